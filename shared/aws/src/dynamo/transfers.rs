//! Transfers. Handing a conversation on is one transaction: the conversation
//! waits again (addressed to one operator, or in a group's queue) under the
//! state it was read in, the holder's slot is given back under theirs, the
//! timeline entry with the comment is put, and for an operator target a
//! condition check holds that they are still online. A pending transfer is
//! also listed in GSI2 (`TRANSFERS`, by deadline) for the sweep.

use super::assignment::{operator_read, settings, OperatorRead};
use super::codec::{conversation_from, OPERATOR_CONNECTIONS};
use super::conversation_record::{to_attribute, PendingTransferRecord};
use super::item::{get_s, n, parse, s, Item};
use super::keys;
use super::operator_slots::{after_free, SeenOperator};
use super::{backend, backoff, build_err, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};
use switchboard_app::ports::{
    ConversationError, OperatorLoad, Redirected, Returned, StoreError, StoreResult, Transferred,
};
use switchboard_domain::{
    ConversationId, ConversationStatus, EntryType, GroupId, OperatorId, OperatorStatus,
    PendingTransfer, TenantId, TimelineKind, Timestamp, TransferComment, TransferTarget,
    TransitionError,
};

/// The values of a conversation addressed to one operator: `:pending`,
/// `:g1pk` (their addressed queue), and `:g2pk`/`:g2sk` (listed in
/// `TRANSFERS` by deadline for the sweep).
pub(crate) fn addressed(
    update: UpdateBuilder,
    tenant: &TenantId,
    id: &ConversationId,
    pending: &PendingTransfer,
) -> StoreResult<UpdateBuilder> {
    Ok(update
        .expression_attribute_values(
            ":pending",
            to_attribute(&PendingTransferRecord::from(pending))?,
        )
        .expression_attribute_values(":g1pk", s(keys::addressed_gsi_pk(tenant, &pending.to)))
        .expression_attribute_values(":g2pk", s(keys::TRANSFERS_GSI_PK))
        .expression_attribute_values(
            ":g2sk",
            s(keys::transfer_gsi_sk(pending.deadline, tenant, id)),
        ))
}

/// The values of a conversation waiting in `group`'s queue: `#group`,
/// `:group` and `:g1pk`.
pub(crate) fn queued(update: UpdateBuilder, tenant: &TenantId, group: &GroupId) -> UpdateBuilder {
    update
        .expression_attribute_names("#group", "group")
        .expression_attribute_values(":group", s(group.as_str()))
        .expression_attribute_values(":g1pk", s(keys::waiting_gsi_pk(tenant, group)))
}

impl DynamoStore {
    pub(crate) async fn transfer_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        from: &OperatorId,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Transferred, ConversationError> {
        let mut wanted = vec![
            Self::meta_key(tenant, id),
            Self::operator_key(tenant, from),
            Self::tenant_key(tenant),
        ];
        if let TransferTarget::Operator(to) = target {
            // Asked before reading: a batch read may not name a key twice.
            if to == from {
                return Err(TransitionError::TransferToSelf.into());
            }
            wanted.push(Self::operator_key(tenant, to));
        }
        for attempt in 0..MAX_ATTEMPTS {
            let found = self.batch_get(&wanted).await?;
            let seen = found[0]
                .as_ref()
                .map(conversation_from)
                .transpose()?
                .ok_or(ConversationError::NotFound)?;
            let tenant_settings = settings(found[2].as_ref())?;
            let deadline = now.plus_seconds(u64::from(tenant_settings.transfer_timeout_seconds));
            let mut after = seen.clone();
            after.transfer(from, target, now, deadline)?;
            let holder = found[1]
                .as_ref()
                .map(operator_read)
                .transpose()?
                .ok_or(ConversationError::OperatorNotFound)?;
            let max_chats = tenant_settings.max_chats.get();
            let to = match found.get(3) {
                None => None,
                Some(None) => return Err(ConversationError::UnknownTarget),
                Some(Some(item)) => {
                    let read = operator_read(item)?;
                    if read.operator.status != OperatorStatus::Online || read.connections == 0 {
                        return Err(ConversationError::TargetOffline);
                    }
                    Some(read)
                }
            };
            let event = after.record(target.timeline_kind(from, comment), now);
            after.watchers.operator.clear();

            let waiting = "SET #status = :waiting, enqueuedAt = :now, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, \
                 lastEvent = :last_event, GSI1PK = :g1pk, GSI1SK = :g1sk";
            let mut update = self
                .conversation_update(&seen, &after)?
                .expression_attribute_names("#op", "operator")
                .expression_attribute_names("#ops", OPERATOR_CONNECTIONS)
                .expression_attribute_values(":waiting", s("waiting"))
                .expression_attribute_values(":now", n(now.millis()))
                .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(&after)));
            update = match &after.pending_transfer {
                Some(pending) => addressed(
                    update.update_expression(format!(
                        "{waiting}, pendingTransfer = :pending, GSI2PK = :g2pk, GSI2SK = :g2sk \
                         REMOVE #op, acceptedAt, #ops, sla"
                    )),
                    tenant,
                    id,
                    pending,
                )?,
                None => queued(
                    update.update_expression(format!(
                        "{waiting}, #group = :group \
                         REMOVE #op, acceptedAt, #ops, GSI2PK, GSI2SK, pendingTransfer, sla"
                    )),
                    tenant,
                    &after.group,
                ),
            };
            let video = seen.entry.entry_type == EntryType::Video;
            let seen_holder = SeenOperator {
                operator: &holder.operator,
                connections: holder.connections,
            };
            let mut items = vec![
                tx_update(update)?,
                tx_update(self.free_slot(Self::operator_key(tenant, from), &seen_holder, video))?,
                self.event_put(tenant, &event)?,
            ];
            if let Some(to) = &to {
                items.push(self.still_online(tenant, &to.operator.id)?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => {
                    return Ok(Transferred {
                        conversation: after,
                        from: OperatorLoad {
                            operator: after_free(&holder.operator, video),
                            max_chats,
                            connections: holder.connection_ids,
                        },
                        to: to.map(
                            |OperatorRead {
                                 operator,
                                 connection_ids,
                                 ..
                             }| OperatorLoad {
                                operator,
                                max_chats,
                                connections: connection_ids,
                            },
                        ),
                    })
                }
                // The target went away or offline since it was read.
                TxOutcome::ConditionFailed(failed) if failed.get(3) == Some(&true) => {
                    return Err(ConversationError::TargetOffline)
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    /// A redirect of a waiting conversation: one read of it, the tenant's
    /// transfer timeout and the target, and one transaction (the
    /// conversation under the state read, the timeline entry, the target
    /// still online).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn redirect_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: &OperatorId,
        from_groups: Option<&[GroupId]>,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Redirected, ConversationError> {
        let mut wanted = vec![Self::meta_key(tenant, id), Self::tenant_key(tenant)];
        if let TransferTarget::Operator(to) = target {
            wanted.push(Self::operator_key(tenant, to));
        }
        for attempt in 0..MAX_ATTEMPTS {
            let found = self.batch_get(&wanted).await?;
            let seen = found[0]
                .as_ref()
                .map(conversation_from)
                .transpose()?
                .ok_or(ConversationError::NotFound)?;
            if from_groups.is_some_and(|mine| !mine.contains(&seen.group)) {
                return Err(ConversationError::NotFound);
            }
            let tenant_settings = settings(found[1].as_ref())?;
            let deadline = now.plus_seconds(u64::from(tenant_settings.transfer_timeout_seconds));
            let mut after = seen.clone();
            after.redirect(by, target, deadline)?;
            let to = match found.get(2) {
                None => None,
                Some(None) => return Err(ConversationError::UnknownTarget),
                Some(Some(item)) => {
                    let read = operator_read(item)?;
                    if read.operator.status != OperatorStatus::Online || read.connections == 0 {
                        return Err(ConversationError::TargetOffline);
                    }
                    Some(read)
                }
            };
            let event = after.record(target.timeline_kind(by, comment), now);
            let update = self.conversation_update(&seen, &after)?;
            let update = match &after.pending_transfer {
                Some(pending) => addressed(
                    update.update_expression(
                        "SET lastEvent = :last_event, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, \
                         pendingTransfer = :pending, GSI1PK = :g1pk, GSI1SK = :g1sk, \
                         GSI2PK = :g2pk, GSI2SK = :g2sk REMOVE sla",
                    ),
                    tenant,
                    id,
                    pending,
                )?,
                None => queued(
                    update.update_expression(
                        "SET lastEvent = :last_event, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, #group = :group, \
                         GSI1PK = :g1pk, GSI1SK = :g1sk REMOVE sla",
                    ),
                    tenant,
                    &after.group,
                ),
            }
            .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(&after)));
            let mut items = vec![tx_update(update)?, self.event_put(tenant, &event)?];
            if let Some(to) = &to {
                items.push(self.still_online(tenant, &to.operator.id)?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => {
                    return Ok(Redirected {
                        conversation: after,
                        from_group: seen.group,
                        to: to.map(|read| OperatorLoad {
                            operator: read.operator,
                            max_chats: tenant_settings.max_chats.get(),
                            connections: read.connection_ids,
                        }),
                    })
                }
                TxOutcome::ConditionFailed(failed) if failed.get(2) == Some(&true) => {
                    return Err(ConversationError::TargetOffline)
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    /// Holds a transfer's target operator to being online with a tab open
    /// when the transaction commits.
    fn still_online(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<TransactWriteItem> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, operator)))
            .condition_expression("#status = :online AND connections > :zero")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":online", s("online"))
            .expression_attribute_values(":zero", n(0))
            .build()
            .map_err(build_err)?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    pub(crate) async fn return_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: Option<&OperatorId>,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<Returned, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if seen.status != ConversationStatus::Waiting {
                return Err(TransitionError::NoTransfer.into());
            }
            let mut after = seen.clone();
            let transfer = after.return_transfer(by, now)?;
            let event = after.record(
                TimelineKind::TransferReturned {
                    to: transfer.to.clone(),
                    by: by.cloned(),
                    reason: reason.map(str::to_string),
                },
                now,
            );
            let update = self
                .conversation_update(&seen, &after)?
                .update_expression(
                    "SET enqueuedAt = :now, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, lastEvent = :last_event, \
                     GSI1PK = :g1pk, GSI1SK = :g1sk REMOVE pendingTransfer, GSI2PK, GSI2SK, sla",
                )
                .expression_attribute_values(":now", n(now.millis()))
                .expression_attribute_values(":g1pk", s(keys::waiting_gsi_pk(tenant, &after.group)))
                .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(&after)));
            match self
                .transact(vec![tx_update(update)?, self.event_put(tenant, &event)?])
                .await?
            {
                TxOutcome::Committed => {
                    return Ok(Returned {
                        conversation: after,
                        transfer,
                    })
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    pub(crate) async fn overdue_transfers(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<(TenantId, ConversationId)>> {
        let page = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI2)
            .key_condition_expression("GSI2PK = :pk AND GSI2SK < :until")
            .expression_attribute_values(":pk", s(keys::TRANSFERS_GSI_PK))
            // Every key of a deadline at or before now sorts below this.
            .expression_attribute_values(":until", s(format!("{:015}$", now.millis())))
            .limit(limit.min(1000) as i32)
            .send()
            .await
            .map_err(backend)?;
        page.items
            .unwrap_or_default()
            .iter()
            .map(|item: &Item| {
                Ok((
                    parse(get_s(item, "tenant")?, TenantId::parse)?,
                    parse(get_s(item, "conversation")?, ConversationId::parse)?,
                ))
            })
            .collect()
    }
}
