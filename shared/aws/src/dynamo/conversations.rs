//! Conversations: start, accept, close and reopen under conditions, the
//! visitor's current conversation, the waiting queue (GSI1) and each
//! operator's active conversations (GSI2).

use super::codec::conversation_from;
use super::event_record::EventRecord;
use super::item::{get_s, json, s};
use super::keys;
use super::{backend, backoff, DynamoStore, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::Select;
use switchboard_app::ports::{
    Accepted, Closed, ConversationError, ConversationStore, OperatorSnapshot, Redirected, Returned,
    StartOutcome, StoreError, StoreResult, Transferred, WaitingQueue,
};
use switchboard_domain::{
    Assignment, Capacity, Conversation, ConversationId, ConversationStatus, GroupId, OperatorId,
    Sla, TenantId, TimelineEvent, Timestamp, TransferComment, TransferTarget, VisitorId,
};

/// What this port's adapter asks of DynamoDB (the waiting queue (GSI1), a
/// visitor's tabs (GSI1) and operators' conversations (GSI2) are queries;
/// accepts, closes and the fan-out's reads batch their items; starts, accepts
/// and closes are transactions of puts and updates). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
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
        self.start_or_resume(candidate).await
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
        match self.current_conversation_id(tenant, visitor).await? {
            Some(id) => self.load_conversation(tenant, &id).await,
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>> {
        let mut out = Vec::new();
        for group in self.group_ids(tenant).await? {
            if out.len() >= limit {
                break;
            }
            let left = limit - out.len();
            out.extend(self.listed_waiting(tenant, &group, Some(left)).await?);
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn group_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        self.listed_waiting(tenant, group, Some(limit)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, touched = touched.len()))]
    async fn waiting_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
    ) -> StoreResult<WaitingQueue> {
        self.read_waiting_queue(tenant, group, touched).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant, conversation = %seen.id))]
    async fn set_sla(&self, seen: &Conversation, sla: &Sla) -> StoreResult<bool> {
        self.set_conversation_sla(seen, sla).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(conversation = %conversation.id))]
    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>> {
        let Some(current) = self
            .load_conversation(&conversation.tenant, &conversation.id)
            .await?
        else {
            return Ok(None);
        };
        if current.status != ConversationStatus::Waiting || current.pending_transfer.is_some() {
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
                .expression_attribute_values(
                    ":pk",
                    s(keys::waiting_gsi_pk(&current.tenant, &current.group)),
                )
                .expression_attribute_values(":mine", s(keys::waiting_gsi_sk(&current)))
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

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn set_progress(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        progress: switchboard_domain::workspace::Progress,
    ) -> Result<Conversation, ConversationError> {
        self.set_progress_item(tenant, id, progress).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn tag_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>, ConversationError> {
        self.tag_item(tenant, id, add, remove).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn search_conversations(
        &self,
        tenant: &TenantId,
        query: &switchboard_domain::workspace::SearchQuery,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        self.search_items(tenant, query, limit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn list_conversations(
        &self,
        tenant: &TenantId,
        filter: &switchboard_domain::workspace::ListFilter,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<switchboard_app::ports::Page<Conversation>> {
        self.list_items(tenant, filter, after, limit).await
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
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        self.accept_conversation(tenant, id, operator, None, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, operator = %operator))]
    async fn assign_by_admin(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        admin: &OperatorId,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        self.accept_conversation(tenant, id, operator, Some(admin), now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant, conversation = %seen.id, operator = %operator.operator.id))]
    async fn assign(
        &self,
        seen: &Conversation,
        operator: &OperatorSnapshot,
        max_chats: Capacity,
        how: Assignment,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        self.assign_seen(seen, operator, max_chats, how, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, operator = %by))]
    async fn redirect(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: &OperatorId,
        from_groups: Option<&[GroupId]>,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Redirected, ConversationError> {
        self.redirect_conversation(tenant, id, by, from_groups, target, comment, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, operator = %from))]
    async fn transfer(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        from: &OperatorId,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Transferred, ConversationError> {
        self.transfer_conversation(tenant, id, from, target, comment, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn return_transfer(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: Option<&OperatorId>,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<Returned, ConversationError> {
        self.return_conversation(tenant, id, by, reason, now).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn due_transfers(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<(TenantId, ConversationId)>> {
        self.overdue_transfers(now, limit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        self.close_conversation(tenant, id, by_operator, now).await
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
            .map(|item| json::<EventRecord>(get_s(item, "body")?).and_then(TimelineEvent::try_from))
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
