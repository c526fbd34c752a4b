//! Accept and close: a conversation and its operator's slot change together,
//! in one transaction conditioned on both as they were read. The reads are one
//! `BatchGetItem` (conversation, operator, tenant settings), so an accept costs
//! two round trips and knows the operator's load afterwards without a third.

use super::codec::{connection_ids, conversation_from, OPERATOR_CONNECTIONS};
use super::directory::{operator_from, tenant_from};
use super::item::{get_n, n, s, string_set, Item};
use super::keys;
use super::operator_slots::{after_free, after_take, SeenOperator};
use super::{backoff, build_err, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};
use switchboard_app::ports::{
    Accepted, Closed, ConversationError, OperatorLoad, StoreError, StoreResult,
};
use switchboard_domain::{
    Assignment, Capacity, Conversation, ConversationId, ConversationStatus, EntryType, Operator,
    OperatorId, TenantId, TenantSettings, Timestamp,
};

/// An operator as read with what a change to their slots needs.
pub(crate) struct OperatorRead {
    pub operator: Operator,
    pub connections: u64,
    pub connection_ids: Vec<switchboard_domain::ConnectionId>,
}

pub(crate) fn operator_read(item: &Item) -> StoreResult<OperatorRead> {
    Ok(OperatorRead {
        operator: operator_from(item)?,
        connections: get_n(item, "connections").unwrap_or(0),
        connection_ids: connection_ids(item, OPERATOR_CONNECTIONS)?,
    })
}

pub(crate) fn settings(item: Option<&Item>) -> StoreResult<TenantSettings> {
    Ok(item
        .map(tenant_from)
        .transpose()?
        .map(|t| t.settings)
        .unwrap_or_default())
}

impl DynamoStore {
    /// The conversation and, if named, the operator and the tenant, in one read.
    async fn read_with_operator(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: Option<&OperatorId>,
    ) -> StoreResult<(Option<Conversation>, Option<(OperatorRead, TenantSettings)>)> {
        let mut wanted = vec![Self::meta_key(tenant, id)];
        if let Some(op) = operator {
            wanted.push(Self::operator_key(tenant, op));
            wanted.push(Self::tenant_key(tenant));
        }
        let mut found = self.batch_get(&wanted).await?.into_iter();
        let conversation = found
            .next()
            .flatten()
            .map(|i| conversation_from(&i))
            .transpose()?;
        let operator = match (found.next().flatten(), found.next()) {
            (Some(op), tenant) => Some((operator_read(&op)?, settings(tenant.flatten().as_ref())?)),
            _ => None,
        };
        Ok((conversation, operator))
    }

    async fn operator_and_settings(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Option<(OperatorRead, TenantSettings)>> {
        let found = self
            .batch_get(&[
                Self::operator_key(tenant, operator),
                Self::tenant_key(tenant),
            ])
            .await?;
        match found.as_slice() {
            [Some(op), tenant] => Ok(Some((operator_read(op)?, settings(tenant.as_ref())?))),
            _ => Ok(None),
        }
    }

    /// An accept, or an admin's assignment (`by`) with the same rules.
    pub(crate) async fn accept_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        by: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        let how = match by {
            Some(_) => Assignment::Admin,
            None => Assignment::Accepted,
        };
        for attempt in 0..MAX_ATTEMPTS {
            let (seen, op) = self.read_with_operator(tenant, id, Some(operator)).await?;
            let seen = seen.ok_or(ConversationError::NotFound)?;
            if let (ConversationStatus::Active, Some(by)) = (seen.status, &seen.operator) {
                return Err(ConversationError::AlreadyTaken { by: by.clone() });
            }
            let (op, settings) = op.ok_or(ConversationError::OperatorNotFound)?;
            match self
                .take(&seen, op, settings.max_chats, how, by, now)
                .await?
            {
                Some(accepted) => return Ok(accepted),
                // The conversation or the operator moved: the next read says how.
                None => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    /// The accept's one transaction, decided on `seen` and `op` as read:
    /// None if either changed since.
    pub(crate) async fn take(
        &self,
        seen: &Conversation,
        op: OperatorRead,
        max_chats: Capacity,
        how: Assignment,
        by: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Option<Accepted>, ConversationError> {
        let (tenant, id, operator) = (&seen.tenant, &seen.id, &op.operator.id);
        {
            let mut accepted = seen.clone();
            accepted.accept(operator, now)?;
            op.operator.may_accept(seen.entry.entry_type, max_chats)?;
            accepted.watchers.operator = op.connection_ids.clone();
            let event = accepted.assigned_event_by(operator, how, by, now);
            let video = seen.entry.entry_type == EntryType::Video;

            let mut take_conversation = self
                .conversation_update(seen, &accepted)?
                .expression_attribute_names("#op", "operator")
                .expression_attribute_names("#ops", OPERATOR_CONNECTIONS)
                .expression_attribute_values(":active", s("active"))
                .expression_attribute_values(":op", s(operator.as_str()))
                .expression_attribute_values(":now", n(now.millis()))
                .expression_attribute_values(
                    ":g2pk",
                    s(keys::operator_convs_gsi_pk(tenant, operator)),
                )
                .expression_attribute_values(":g2sk", s(keys::operator_convs_gsi_sk(now, id)));
            let set = "SET #status = :active, #op = :op, acceptedAt = :now, GSI2PK = :g2pk, \
                 GSI2SK = :g2sk, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, lastEvent = :last_event";
            take_conversation = match string_set(op.connection_ids.iter().map(|c| c.as_str())) {
                Some(ids) => take_conversation
                    .update_expression(format!(
                        "{set}, #ops = :ops REMOVE GSI1PK, GSI1SK, pendingTransfer"
                    ))
                    .expression_attribute_values(":ops", ids),
                None => take_conversation.update_expression(format!(
                    "{set} REMOVE GSI1PK, GSI1SK, #ops, pendingTransfer"
                )),
            };
            let seen_op = SeenOperator {
                operator: &op.operator,
                connections: op.connections,
            };
            let take_slot =
                self.take_slot(Self::operator_key(tenant, operator), &seen_op, video, now);
            let mut items = vec![
                tx_update(take_conversation)?,
                tx_update(take_slot)?,
                self.event_put(tenant, &event)?,
            ];
            // A member of its group as the commit finds the group: no
            // extra read, and a member removed meanwhile cannot take it.
            if how == Assignment::Accepted && seen.accept_needs_membership(&op.operator) {
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(Self::key(
                        keys::tenant_pk(tenant),
                        keys::group_sk(&seen.group),
                    )))
                    .condition_expression("contains(members, :member)")
                    .expression_attribute_values(":member", s(operator.as_str()))
                    .build()
                    .map_err(build_err)?;
                items.push(TransactWriteItem::builder().condition_check(check).build());
            }
            match self.transact(items).await? {
                TxOutcome::Committed => Ok(Some(Accepted {
                    conversation: accepted,
                    operator: OperatorLoad {
                        operator: after_take(&op.operator, video, now),
                        max_chats: max_chats.get(),
                        connections: op.connection_ids,
                    },
                })),
                TxOutcome::ConditionFailed(failed) if failed.get(3) == Some(&true) => {
                    Err(ConversationError::NotInGroup)
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => Ok(None),
            }
        }
    }

    pub(crate) async fn close_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let (seen, read_op) = self.read_with_operator(tenant, id, by_operator).await?;
            let seen = seen.ok_or(ConversationError::NotFound)?;
            let mut closed = seen.clone();
            closed.close(by_operator, now)?;
            let event = closed.closed_event(now);
            let close_conversation = self
                .conversation_update(&seen, &closed)?
                .update_expression(
                    "SET #status = :closed, closedAt = :now, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, lastEvent = :last_event \
                     REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK, #ops",
                )
                .expression_attribute_names("#ops", OPERATOR_CONNECTIONS)
                .expression_attribute_values(":closed", s("closed"))
                .expression_attribute_values(":now", n(now.millis()));
            let mut items = vec![
                tx_update(close_conversation)?,
                self.event_put(tenant, &event)?,
            ];
            let mut load = None;
            if let (ConversationStatus::Active, Some(accepted)) = (seen.status, seen.accepted_at) {
                items.push(tx_update(self.handling_update(
                    tenant,
                    &seen.group,
                    accepted,
                    now,
                ))?);
            }
            if let (ConversationStatus::Active, Some(holder)) = (seen.status, &seen.operator) {
                let op = match read_op.filter(|(o, _)| &o.operator.id == holder) {
                    Some(found) => Some(found),
                    // The client closed it: the operator was not read yet.
                    None => self.operator_and_settings(tenant, holder).await?,
                };
                if let Some((op, settings)) = op {
                    let video = seen.entry.entry_type == EntryType::Video;
                    let seen_op = SeenOperator {
                        operator: &op.operator,
                        connections: op.connections,
                    };
                    items.push(tx_update(self.free_slot(
                        Self::operator_key(tenant, holder),
                        &seen_op,
                        video,
                    ))?);
                    load = Some(OperatorLoad {
                        operator: after_free(&op.operator, video),
                        max_chats: settings.max_chats.get(),
                        connections: op.connection_ids,
                    });
                }
            }
            match self.transact(items).await? {
                // The conversation keeps its watchers: they hear of the close.
                TxOutcome::Committed => {
                    return Ok(Closed {
                        conversation: closed,
                        previous: seen.status,
                        operator: load,
                    })
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }
}
