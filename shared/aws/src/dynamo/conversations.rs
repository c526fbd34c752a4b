//! Conversations: start, accept, close and reopen under conditions, the
//! visitor's current conversation, the waiting queue (GSI1) and each
//! operator's active conversations (GSI2).

use super::codec::{conversation_from, conversation_item};
use super::directory::operator_from;
use super::item::{get_s, json, n, parse, s, to_json};
use super::keys;
use super::{backend, backoff, tx_put, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, Select};
use switchboard_app::ports::{
    Closed, ConversationError, ConversationStore, StartOutcome, StoreError, StoreResult,
};
use switchboard_domain::{
    Capacity, Conversation, ConversationId, ConversationStatus, EntryType, OperatorId, TenantId,
    TimelineEvent, TimelineKind, Timestamp, VisitorId,
};

/// What this port's adapter asks of DynamoDB (the waiting queue (GSI1) and operators' conversations (GSI2) are queries; starts, accepts and closes are transactions of puts and updates). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:Query",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = true;

#[async_trait]
impl ConversationStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %candidate.tenant, conversation = %candidate.id))]
    async fn start_conversation(&self, candidate: Conversation) -> StoreResult<StartOutcome> {
        let tenant = candidate.tenant.clone();
        let visitor_key = Self::key(
            keys::visitor_pk(&tenant, &candidate.visitor),
            keys::CURRENT_SK,
        );
        for attempt in 0..MAX_ATTEMPTS {
            if let Some(current) = self.get(visitor_key.clone()).await? {
                let id = parse(get_s(&current, "conversation")?, ConversationId::parse)?;
                let existing = self.load_conversation(&tenant, &id).await?.ok_or_else(|| {
                    StoreError::Corrupt(format!("visitor points at missing {id}"))
                })?;
                if existing.status != ConversationStatus::Closed {
                    return Ok(StartOutcome::Existing(existing));
                }
                let entry = Some(to_json(&candidate.entry)?);
                match self
                    .reopen_with(&existing, entry, candidate.created_at)
                    .await
                {
                    Ok(Some(c)) => return Ok(StartOutcome::Reopened(c)),
                    Ok(None) | Err(ConversationError::Transition(_)) => {
                        backoff(attempt).await;
                        continue;
                    }
                    Err(ConversationError::Store(e)) => return Err(e),
                    Err(e) => return Err(StoreError::backend("reopening on start", e)),
                }
            }
            let mut pointer = visitor_key.clone();
            pointer.insert("conversation".into(), s(candidate.id.as_str()));
            let mut created = candidate.clone();
            let event = created.record(TimelineKind::Created, created.created_at);
            let items = vec![
                tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(conversation_item(&created)?))
                        .condition_expression("attribute_not_exists(PK)"),
                )?,
                tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(pointer))
                        .condition_expression("attribute_not_exists(PK)"),
                )?,
                self.event_put(&tenant, &event)?,
            ];
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(StartOutcome::Created(created)),
                // Another tab of the same visitor won: loop round and resume theirs.
                TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        self.load_conversation(tenant, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn visitor_conversation(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Conversation>> {
        let Some(current) = self
            .get(Self::key(
                keys::visitor_pk(tenant, visitor),
                keys::CURRENT_SK,
            ))
            .await?
        else {
            return Ok(None);
        };
        let id = parse(get_s(&current, "conversation")?, ConversationId::parse)?;
        self.load_conversation(tenant, &id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>> {
        let items = self
            .query_index(
                keys::GSI1,
                keys::GSI1PK,
                keys::waiting_gsi_pk(tenant),
                Some(limit),
            )
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let c = conversation_from(item)?;
            // The index is eventually consistent; the item's own status is checked too.
            if c.status == ConversationStatus::Waiting {
                out.push(c);
            }
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(conversation = %conversation.id))]
    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>> {
        let Some(current) = self
            .load_conversation(&conversation.tenant, &conversation.id)
            .await?
        else {
            return Ok(None);
        };
        if current.status != ConversationStatus::Waiting {
            return Ok(None);
        }
        let mut ahead = 0usize;
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI1)
                .key_condition_expression("GSI1PK = :pk AND GSI1SK < :mine")
                .expression_attribute_values(":pk", s(keys::waiting_gsi_pk(&current.tenant)))
                .expression_attribute_values(
                    ":mine",
                    s(keys::waiting_gsi_sk(current.enqueued_at, &current.id)),
                )
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            ahead += page.count as usize;
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        Ok(Some(ahead + 1))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %operator))]
    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>> {
        let items = self
            .query_index(
                keys::GSI2,
                keys::GSI2PK,
                keys::operator_convs_gsi_pk(tenant, operator),
                None,
            )
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let c = conversation_from(item)?;
            if c.status == ConversationStatus::Active && c.operator.as_ref() == Some(operator) {
                out.push(c);
            }
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, operator = %operator))]
    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        capacity: Capacity,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        let operator_key = Self::key(keys::tenant_pk(tenant), keys::operator_sk(operator));
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if let (ConversationStatus::Active, Some(by)) = (seen.status, &seen.operator) {
                return Err(ConversationError::AlreadyTaken { by: by.clone() });
            }
            let mut accepted = seen.clone();
            accepted.accept(operator, now)?;
            let event = accepted.assigned_event(operator, now);
            let video = seen.entry.entry_type == EntryType::Video;

            let take_conversation = self
                .conversation_update(&seen, &accepted)?
                .update_expression(
                    "SET #status = :active, #op = :op, acceptedAt = :now, GSI2PK = :g2pk, GSI2SK = :g2sk, \
                     sessions = :sessions, lastEvent = :last_event \
                     REMOVE GSI1PK, GSI1SK",
                )
                .expression_attribute_names("#op", "operator")
                .expression_attribute_values(":active", s("active"))
                .expression_attribute_values(":op", s(operator.as_str()))
                .expression_attribute_values(":now", n(now.millis()))
                .expression_attribute_values(":g2pk", s(keys::operator_convs_gsi_pk(tenant, operator)))
                .expression_attribute_values(":g2sk", s(keys::operator_convs_gsi_sk(now, id)));
            let take_slot = self.take_slot(operator_key.clone(), video, capacity);
            match self
                .transact(vec![
                    tx_update(take_conversation)?,
                    tx_update(take_slot)?,
                    self.event_put(tenant, &event)?,
                ])
                .await?
            {
                TxOutcome::Committed => return Ok(accepted),
                TxOutcome::Conflict => backoff(attempt).await,
                TxOutcome::ConditionFailed(failed) => {
                    let moved = |i: usize| failed.get(i).copied().unwrap_or(false);
                    if moved(0) || moved(2) {
                        // The conversation moved: the next read says how.
                        continue;
                    }
                    let op = self
                        .get(operator_key.clone())
                        .await?
                        .map(|i| operator_from(&i))
                        .transpose()?
                        .ok_or(ConversationError::OperatorNotFound)?;
                    op.may_accept(seen.entry.entry_type, capacity)?;
                    // The operator's state changed between the attempt and the read.
                    backoff(attempt).await;
                }
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            let mut closed = seen.clone();
            closed.close(by_operator, now)?;
            let event = closed.closed_event(now);
            let close_conversation = self
                .conversation_update(&seen, &closed)?
                .update_expression(
                    "SET #status = :closed, closedAt = :now, sessions = :sessions, lastEvent = :last_event \
                     REMOVE GSI1PK, GSI1SK, GSI2PK, GSI2SK",
                )
                .expression_attribute_values(":closed", s("closed"))
                .expression_attribute_values(":now", n(now.millis()));
            let mut items = vec![
                tx_update(close_conversation)?,
                self.event_put(tenant, &event)?,
            ];
            if let (ConversationStatus::Active, Some(op)) = (seen.status, &seen.operator) {
                let video = seen.entry.entry_type == EntryType::Video;
                items.push(tx_update(self.free_slot(tenant, op, video))?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => {
                    return Ok(Closed {
                        conversation: closed,
                        previous: seen.status,
                    })
                }
                TxOutcome::Conflict | TxOutcome::ConditionFailed(_) => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn timeline(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Vec<TimelineEvent>> {
        self.query_prefix(keys::conversation_pk(tenant, id), keys::EVENT_PREFIX)
            .await?
            .iter()
            .map(|item| json::<TimelineEvent>(get_s(item, "body")?))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        for attempt in 0..MAX_ATTEMPTS {
            let seen = self
                .load_conversation(tenant, id)
                .await?
                .ok_or(ConversationError::NotFound)?;
            if let Some(c) = self.reopen_with(&seen, None, now).await? {
                return Ok(c);
            }
            backoff(attempt).await;
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }
}
