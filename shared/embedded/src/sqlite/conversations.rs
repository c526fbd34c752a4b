//! Conversations, the visitor's current one, the waiting queue and accepts.

use super::connections::watched;
use super::directory::{load_operator, save_operator_load};
use super::queues::{self, complete};
use super::rows::{insert_event, load_conversation, load_row, operator_load, save_conversation};
use super::{backend, bodies, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{
    Accepted, Closed, ConversationError, ConversationStore, OperatorSnapshot, Redirected, Returned,
    StartOutcome, StoreResult, Transferred, WaitingQueue,
};
use switchboard_domain::{
    Assignment, Capacity, Conversation, ConversationId, ConversationStatus, GroupId, OperatorId,
    Sla, TenantId, TimelineEvent, TimelineKind, Timestamp, TransferComment, TransferTarget,
    VisitorId,
};

#[async_trait]
impl ConversationStore for SqliteStore {
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
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| load_conversation(tx, &t, &c)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn visitor_conversation(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Conversation>> {
        let (t, v) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| {
            let id: Option<String> = tx
                .query_row(
                    "SELECT conversation FROM visitor_current WHERE tenant = ?1 AND visitor = ?2",
                    params![t, v],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            match id {
                Some(id) => load_conversation(tx, &t, &id),
                None => Ok(None),
            }
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>> {
        let tenant = tenant.clone();
        self.tx(move |tx| queues::all_waiting(tx, &tenant, limit))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn group_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        let (tenant, group) = (tenant.clone(), group.clone());
        self.tx(move |tx| queues::group_queue(tx, &tenant, &group, limit))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn waiting_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
    ) -> StoreResult<WaitingQueue> {
        let (tenant, group, touched) = (tenant.clone(), group.clone(), touched.to_vec());
        self.tx(move |tx| queues::waiting_queue(tx, &tenant, &group, &touched))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant, conversation = %seen.id))]
    async fn set_sla(&self, seen: &Conversation, sla: &Sla) -> StoreResult<bool> {
        let (seen, sla) = (seen.clone(), sla.clone());
        self.tx(move |tx| super::sla::set_sla(tx, &seen, &sla))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(conversation = %conversation.id))]
    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>> {
        let conversation = conversation.clone();
        self.tx(move |tx| queues::queue_position(tx, &conversation))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn set_progress(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        progress: switchboard_domain::workspace::Progress,
    ) -> Result<Conversation, ConversationError> {
        self.set_progress_row(tenant, id, progress).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn tag_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>, ConversationError> {
        self.tag_row(tenant, id, add, remove).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn search_conversations(
        &self,
        tenant: &TenantId,
        query: &switchboard_domain::workspace::SearchQuery,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        self.search_rows(tenant, query, limit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn list_conversations(
        &self,
        tenant: &TenantId,
        filter: &switchboard_domain::workspace::ListFilter,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<switchboard_app::ports::Page<Conversation>> {
        self.list_rows(tenant, filter, after, limit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %operator))]
    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>> {
        let (t, o) = (tenant.to_string(), operator.to_string());
        self.tx(move |tx| {
            bodies::<Conversation>(
                tx,
                "SELECT body FROM conversations WHERE tenant = ?1 AND operator = ?2 AND status = 'active'
                     ORDER BY enqueued_at, id",
                params![t, o],
            )
            .and_then(|list| complete(tx, list))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, operator = %operator))]
    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        let (tenant, id, operator) = (tenant.clone(), id.clone(), operator.clone());
        self.tx(move |tx| super::routing::accept_in(tx, &tenant, &id, &operator, None, now))
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
        let (tenant, id, operator, admin) =
            (tenant.clone(), id.clone(), operator.clone(), admin.clone());
        self.tx(move |tx| super::routing::accept_in(tx, &tenant, &id, &operator, Some(&admin), now))
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
        let (seen, operator) = (seen.clone(), operator.clone());
        self.tx(move |tx| super::routing::assign(tx, &seen, &operator, max_chats, how, now))
            .await
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
        let (tenant, id, by, target, comment) = (
            tenant.clone(),
            id.clone(),
            by.clone(),
            target.clone(),
            comment.cloned(),
        );
        let from_groups = from_groups.map(<[GroupId]>::to_vec);
        self.tx(move |tx| {
            super::transfers::redirect(
                tx,
                &tenant,
                &id,
                &by,
                from_groups.as_deref(),
                &target,
                comment.as_ref(),
                now,
            )
        })
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
        let (tenant, id, from, target, comment) = (
            tenant.clone(),
            id.clone(),
            from.clone(),
            target.clone(),
            comment.cloned(),
        );
        self.tx(move |tx| {
            super::transfers::transfer(tx, &tenant, &id, &from, &target, comment.as_ref(), now)
        })
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
        let (tenant, id, by, reason) = (
            tenant.clone(),
            id.clone(),
            by.cloned(),
            reason.map(str::to_string),
        );
        self.tx(move |tx| {
            super::transfers::return_transfer(tx, &tenant, &id, by.as_ref(), reason.as_deref(), now)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn due_transfers(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<(TenantId, ConversationId)>> {
        self.tx(move |tx| super::transfers::due_transfers(tx, now, limit))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        let (tenant, t, c, by) = (
            tenant.clone(),
            tenant.to_string(),
            id.to_string(),
            by_operator.cloned(),
        );
        self.tx(move |tx| {
            let mut conv = load_row(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            let previous = conv.status;
            conv.close(by.as_ref(), now)?;
            let event = conv.closed_event(now);
            insert_event(tx, &t, &event)?;
            let mut operator = None;
            if let (ConversationStatus::Active, Some(accepted)) = (previous, conv.accepted_at) {
                super::sla::record_handling(tx, &tenant, &conv.group, accepted, now)?;
            }
            if previous == ConversationStatus::Active {
                if let Some(op_id) = &conv.operator {
                    if let Some(mut op) = load_operator(tx, &t, op_id.as_str())? {
                        op.active_chats = op.active_chats.saturating_sub(1);
                        if conv.is_video() {
                            op.in_video_call = false;
                        }
                        save_operator_load(tx, &op)?;
                        operator = Some(operator_load(tx, op, &tenant)?);
                    }
                }
            }
            save_conversation(tx, &conv)?;
            // Pushed to as it was: the operator's tabs still hear of the close.
            let mut watched_before = conv.clone();
            watched_before.status = previous;
            let watchers = watched(tx, watched_before)?.watchers;
            conv.watchers = watchers;
            Ok(Closed {
                conversation: conv,
                previous,
                operator,
            })
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn timeline(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Vec<TimelineEvent>> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            bodies(
                tx,
                "SELECT body FROM timeline WHERE tenant = ?1 AND conversation = ?2 ORDER BY number",
                params![t, c],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let mut conv = load_row(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            conv.reopen(now)?;
            let event = conv.record(TimelineKind::Reopened, now);
            insert_event(tx, &t, &event)?;
            save_conversation(tx, &conv)?;
            super::lists::index_search(tx, &conv)?;
            super::reports::index_session(tx, &conv)?;
            Ok(watched(tx, conv)?)
        })
        .await
    }
}
