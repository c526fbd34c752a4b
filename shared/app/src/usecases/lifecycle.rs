//! What the WebSocket and channel paths share about a conversation's life:
//! entering and leaving the waiting queue, storing a message (reopening a
//! closed conversation when its client writes again), announcing a close, and
//! the view both sides are shown.

use super::notify::{Audience, Notifier};
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{
    Appended, AssignBus, Clock, Closed, ConversationError, ConversationStore, IdGen, MessagePage,
    MessageStore, Principal, QueueBus, StartOutcome,
};
use crate::protocol;
use crate::views::{ConversationView, Event, Side};
use std::sync::Arc;
use switchboard_domain::{
    AssignTrigger, Author, Channel, Conversation, ConversationId, ConversationStatus, EntryInfo,
    GroupId, NewMessage, QueueChange, QueueEvent, TenantId, Timestamp, TransitionError, VisitorId,
};

#[derive(Clone)]
pub struct Lifecycle {
    pub conversations: Arc<dyn ConversationStore>,
    pub messages: Arc<dyn MessageStore>,
    pub queue: Arc<dyn QueueBus>,
    pub assign: Arc<dyn AssignBus>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
}

impl Lifecycle {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Lifecycle {
            conversations: adapters.conversations(),
            messages: adapters.messages(),
            queue: adapters.queue_bus(),
            assign: adapters.assign_bus(),
            clock: adapters.clock(),
            ids: adapters.ids(),
        }
    }

    /// Starts, resumes or reopens the visitor's conversation in `group`'s
    /// queue; the queue hears of it unless it was already open.
    pub(crate) async fn start(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        channel: Channel,
        entry: EntryInfo,
        group: &GroupId,
    ) -> Result<StartOutcome, ActionError> {
        let candidate = self.candidate(tenant, visitor, channel, entry, group)?;
        self.start_candidate(candidate).await
    }

    /// A new conversation as it would be stored, for a start to adjust.
    pub(crate) fn candidate(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        channel: Channel,
        entry: EntryInfo,
        group: &GroupId,
    ) -> Result<Conversation, ActionError> {
        let id = ConversationId::parse(self.ids.new_id("conv")).map_err(ActionError::Id)?;
        Ok(Conversation::start(
            id,
            tenant.clone(),
            visitor.clone(),
            channel,
            entry,
            self.clock.now(),
        )
        .in_group(group.clone()))
    }

    /// Stores the candidate (or resumes or reopens the visitor's); the
    /// queue hears of it unless it was already open.
    pub(crate) async fn start_candidate(
        &self,
        candidate: Conversation,
    ) -> Result<StartOutcome, ActionError> {
        let outcome = self.conversations.start_conversation(candidate).await?;
        if !matches!(outcome, StartOutcome::Existing(_)) {
            self.publish_queue_change(outcome.conversation(), QueueChange::Entered)
                .await?;
        }
        Ok(outcome)
    }

    /// Tells the queue function, and on entering the queue-assignment function.
    pub(crate) async fn publish_queue_change(
        &self,
        conversation: &Conversation,
        change: QueueChange,
    ) -> Result<(), ActionError> {
        if change == QueueChange::Entered {
            self.trigger_assignment(&conversation.tenant, Some(vec![conversation.group.clone()]))
                .await?;
        }
        self.queue
            .publish(&QueueEvent {
                tenant: conversation.tenant.clone(),
                conversation: Some(conversation.id.clone()),
                group: conversation.group.clone(),
                change,
                at: self.clock.now(),
            })
            .await?;
        Ok(())
    }

    /// Asks the queue-assignment function to look at `groups` (None: all of
    /// the tenant's). Cheap and stateless; it does nothing for manual groups.
    pub(crate) async fn trigger_assignment(
        &self,
        tenant: &TenantId,
        groups: Option<Vec<GroupId>>,
    ) -> Result<(), ActionError> {
        self.assign
            .publish_assign(&AssignTrigger {
                tenant: tenant.clone(),
                groups,
                at: self.clock.now(),
            })
            .await?;
        Ok(())
    }

    /// What the tenant's operators can take changed (someone came online or
    /// went, or capacity or membership changed): queues may be assigned,
    /// and waiting visitors' estimates may have moved.
    pub(crate) async fn capacity_changed(&self, tenant: &TenantId) -> Result<(), ActionError> {
        Ok(announce_capacity(&*self.assign, &*self.queue, tenant, self.clock.now()).await?)
    }

    /// A conversation with its latest page of messages and, while waiting, its place.
    pub(crate) async fn view(
        &self,
        conversation: Conversation,
    ) -> Result<ConversationView, ActionError> {
        let position = if conversation.status == ConversationStatus::Waiting {
            self.conversations.queue_position(&conversation).await?
        } else {
            None
        };
        let mut view = self.view_unplaced(conversation).await?;
        view.position = position;
        Ok(view)
    }

    /// The view without the place in the queue, for when the queue function
    /// is about to tell it anyway.
    pub(crate) async fn view_unplaced(
        &self,
        conversation: Conversation,
    ) -> Result<ConversationView, ActionError> {
        // A conversation knows its newest number: with none yet there is nothing to read.
        let page = if conversation.last_seq == 0 {
            MessagePage {
                messages: Vec::new(),
                has_more: false,
            }
        } else {
            self.messages
                .messages(
                    &conversation.tenant,
                    &conversation.id,
                    None,
                    protocol::DEFAULT_HISTORY_PAGE as usize,
                )
                .await?
        };
        Ok(ConversationView {
            conversation,
            messages: page.messages,
            has_more: page.has_more,
            position: None,
        })
    }

    /// Stores the message. The store answers a resend with the original even on
    /// a closed conversation, so only a genuinely new message from the client
    /// reopens it.
    pub(crate) async fn append_or_reopen(
        &self,
        mut conversation: Conversation,
        message: NewMessage,
    ) -> Result<(Conversation, Appended), ActionError> {
        let appended = match self
            .messages
            .append_message(&conversation, message.clone())
            .await
        {
            Err(ConversationError::Transition(TransitionError::AlreadyClosed))
                if matches!(message.author, Author::Visitor(_) | Author::Business(_)) =>
            {
                conversation = self.reopen(&conversation).await?;
                self.messages.append_message(&conversation, message).await?
            }
            other => other?,
        };
        conversation.last_seq = conversation.last_seq.max(appended.message.seq);
        Ok((conversation, appended))
    }

    pub(crate) async fn reopen(
        &self,
        conversation: &Conversation,
    ) -> Result<Conversation, ActionError> {
        match self
            .conversations
            .reopen(&conversation.tenant, &conversation.id, self.clock.now())
            .await
        {
            Ok(reopened) => {
                self.publish_queue_change(&reopened, QueueChange::Entered)
                    .await?;
                Ok(reopened)
            }
            // Someone else reopened it in the meantime: fine, it is open.
            Err(ConversationError::Transition(_)) => self
                .conversations
                .conversation(&conversation.tenant, &conversation.id)
                .await?
                .ok_or(ActionError::ConversationNotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// After any assignment (an accept, the queue-assignment function's, an
    /// admin's): the queue loses the conversation, both sides get
    /// `conversation.accepted`, and the operator's consoles their new load.
    pub(crate) async fn announce_assignment(
        &self,
        notifier: &Notifier,
        accepted: &crate::ports::Accepted,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let conversation = &accepted.conversation;
        let operator = &accepted.operator.operator;
        self.publish_queue_change(conversation, QueueChange::Left)
            .await?;
        let event = Event::Accepted {
            view: self.view_unplaced(conversation.clone()).await?,
            operator_id: operator.id.clone(),
            operator_name: operator.name.clone(),
        };
        notifier
            .push_to_participants(conversation, &event, audience)
            .await?;
        notifier
            .push_operator_load_to_tabs(&accepted.operator)
            .await
    }

    /// After a close: the queue learns if it was waiting, everyone in it is
    /// told, and the operator gets their freed slot back on screen.
    pub(crate) async fn announce_close(
        &self,
        notifier: &Notifier,
        closed: Closed,
        side: Side,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        if closed.previous == ConversationStatus::Waiting {
            self.publish_queue_change(&closed.conversation, QueueChange::Left)
                .await?;
        }
        let event = Event::Closed {
            conversation_id: closed.conversation.id.clone(),
            closed_by: side,
        };
        let mut before = closed.conversation.clone();
        before.status = closed.previous;
        notifier
            .push_to_participants(&before, &event, audience)
            .await?;
        let Some(load) = &closed.operator else {
            return Ok(());
        };
        // A slot came free: someone waiting may get it.
        self.trigger_assignment(&closed.conversation.tenant, None)
            .await?;
        // The operator's roles are on their connections: known here when they
        // closed it themselves, looked up otherwise.
        match audience.caller.map(|c| &c.connection.principal) {
            Some(Principal::Operator { id, roles, .. }) if *id == load.operator.id => {
                notifier.push_operator_load(load, roles.clone(), None).await
            }
            _ => notifier.push_operator_load_to_tabs(load).await,
        }
    }
}

/// Tells the queue-assignment function and the queue function that what
/// the tenant's operators can take changed: queues may be assigned, and
/// waiting visitors' estimates may have moved.
pub(crate) async fn announce_capacity(
    assign: &dyn AssignBus,
    queue: &dyn QueueBus,
    tenant: &TenantId,
    now: Timestamp,
) -> Result<(), crate::ports::BusError> {
    assign
        .publish_assign(&AssignTrigger {
            tenant: tenant.clone(),
            groups: None,
            at: now,
        })
        .await?;
    queue
        .publish(&QueueEvent {
            tenant: tenant.clone(),
            conversation: None,
            group: GroupId::default_group(),
            change: QueueChange::Capacity,
            at: now,
        })
        .await?;
    Ok(())
}

/// Hands a message still `queued` to the sender function. A resend of a
/// message whose hand-over may have failed is handed over again; the sender
/// sends each message at most once.
pub(crate) async fn hand_to_sender(
    outbound: &dyn crate::ports::OutboundBus,
    conversation: &Conversation,
    message: &switchboard_domain::Message,
) -> Result<(), ActionError> {
    let awaiting_send = message
        .delivery
        .as_ref()
        .is_some_and(|d| d.state == switchboard_domain::DeliveryState::Queued);
    if awaiting_send {
        outbound
            .publish_outbound(&switchboard_domain::OutboundJob {
                tenant: conversation.tenant.clone(),
                conversation: conversation.id.clone(),
                seq: message.seq,
                visitor: Some(conversation.visitor.clone()),
            })
            .await?;
    }
    Ok(())
}
