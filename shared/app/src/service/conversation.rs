//! What both sides do inside a conversation: start it, write, type, read back, close.

use super::{App, Caller};
use crate::error::ActionError;
use crate::notify::Audience;
use crate::ports::{Appended, Closed, ConversationError, Principal, PrincipalRef, StartOutcome};
use crate::protocol::{self, History, OptionalConversationRef, SendMessage, StartConversation};
use crate::views::{ConversationView, Event, Side};
use switchboard_domain::{
    Author, Channel, Conversation, ConversationId, ConversationStatus, Delivery, DeliveryState,
    NewMessage, OutboundJob, QueueChange, QueueEvent, TransitionError,
};

impl App {
    pub(super) async fn welcome_visitor(&self, caller: &Caller) -> Result<(), ActionError> {
        let (visitor, widget) = caller.visitor()?;
        let token = self
            .tokens
            .issue_visitor(caller.tenant(), visitor, widget, self.now())
            .map_err(|e| crate::ports::PushError::Failed(format!("token: {e}")))?;
        let conversation = match self
            .store
            .visitor_conversation(caller.tenant(), visitor)
            .await?
        {
            Some(c) => Some(self.view(c).await?),
            None => None,
        };
        let event = Event::WelcomeVisitor {
            tenant: caller.tenant().clone(),
            visitor_id: visitor.clone(),
            visitor_token: token,
            conversation,
        };
        self.reply(caller, &event).await
    }

    /// A conversation with its latest page of messages and, while waiting, its place.
    pub(crate) async fn view(
        &self,
        conversation: Conversation,
    ) -> Result<ConversationView, ActionError> {
        let page = self
            .store
            .messages(
                &conversation.tenant,
                &conversation.id,
                None,
                protocol::DEFAULT_HISTORY_PAGE as usize,
            )
            .await?;
        let position = if conversation.status == ConversationStatus::Waiting {
            self.store.queue_position(&conversation).await?
        } else {
            None
        };
        Ok(ConversationView {
            conversation,
            messages: page.messages,
            has_more: page.has_more,
            position,
        })
    }

    pub(super) async fn start_conversation(
        &self,
        caller: &Caller,
        action: StartConversation,
    ) -> Result<(), ActionError> {
        let (visitor, _) = caller.visitor()?;
        let now = self.now();
        let id = ConversationId::parse(self.ids.new_id("conv"))
            .map_err(|e| crate::ports::StoreError::Backend(format!("id: {e}")))?;
        let candidate = Conversation::start(
            id,
            caller.tenant().clone(),
            visitor.clone(),
            Channel::WebChat,
            action.entry,
            now,
        );
        let outcome = self.store.start_conversation(candidate).await?;
        let label = match &outcome {
            StartOutcome::Created(_) => "created",
            StartOutcome::Existing(_) => "existing",
            StartOutcome::Reopened(_) => "reopened",
        };
        let conversation = outcome.conversation().clone();
        if !matches!(outcome, StartOutcome::Existing(_)) {
            self.publish_queue_change(&conversation, QueueChange::Entered)
                .await?;
        }
        let event = Event::ConversationStarted {
            view: self.view(conversation).await?,
            outcome: label,
        };
        self.reply(caller, &event).await?;
        self.push_to(
            caller.tenant(),
            &PrincipalRef::Visitor(visitor.clone()),
            &event,
            Audience::except(&caller.connection.id),
        )
        .await
    }

    pub(crate) async fn publish_queue_change(
        &self,
        conversation: &Conversation,
        change: QueueChange,
    ) -> Result<(), ActionError> {
        self.bus
            .publish(&QueueEvent {
                tenant: conversation.tenant.clone(),
                conversation: conversation.id.clone(),
                change,
                at: self.now(),
            })
            .await?;
        Ok(())
    }

    /// Resolves the conversation an action is about and checks the caller may act
    /// on it. Another tenant's conversation is not found: keys are tenant-scoped.
    pub(super) async fn conversation_for(
        &self,
        caller: &Caller,
        requested: Option<&ConversationId>,
    ) -> Result<Conversation, ActionError> {
        let tenant = caller.tenant();
        match &caller.connection.principal {
            Principal::Visitor { id: visitor, .. } => {
                let current = self
                    .store
                    .visitor_conversation(tenant, visitor)
                    .await?
                    .ok_or(ActionError::NoConversation)?;
                match requested {
                    Some(id) if *id != current.id => {
                        // Only their own conversations exist for a visitor.
                        match self.store.conversation(tenant, id).await? {
                            Some(c) if &c.visitor == visitor => Ok(c),
                            _ => Err(ActionError::ConversationNotFound),
                        }
                    }
                    _ => Ok(current),
                }
            }
            Principal::Operator { .. } => {
                let id = requested.ok_or_else(|| {
                    ActionError::Protocol(protocol::ProtocolError::InvalidField {
                        field: "conversationId".into(),
                        reason: "is required".into(),
                    })
                })?;
                self.store
                    .conversation(tenant, id)
                    .await?
                    .ok_or(ActionError::ConversationNotFound)
            }
        }
    }

    pub(super) async fn send_message(
        &self,
        caller: &Caller,
        action: SendMessage,
    ) -> Result<(), ActionError> {
        let conversation = self
            .conversation_for(caller, action.conversation_id.as_ref())
            .await?;
        let now = self.now();
        let mut message =
            NewMessage::text(action.client_message_id, Author::System, action.text, now);
        match &caller.connection.principal {
            Principal::Visitor { id, .. } => message.author = Author::Visitor(id.clone()),
            Principal::Operator { id, .. } => {
                match (conversation.status, &conversation.operator) {
                    (ConversationStatus::Active, Some(op)) if op == id => {}
                    (ConversationStatus::Active, _) => return Err(ActionError::NotYours),
                    (status, _) => return Err(ActionError::NotActive(status.as_str())),
                }
                message.author = Author::Operator(id.clone());
                if conversation.channel != Channel::WebChat {
                    self.check_channel_window(&conversation).await?;
                    message.details.delivery = Some(Delivery::queued(now));
                }
            }
        }
        let (conversation, appended) = self.append_or_reopen(conversation, message).await?;
        let message = appended.message;
        // A resend of a message whose hand-over to the sender may have failed
        // is handed over again; the sender sends each message at most once.
        let awaiting_send = message
            .details
            .delivery
            .as_ref()
            .is_some_and(|d| d.state == DeliveryState::Queued);
        if awaiting_send {
            self.channels
                .publish_outbound(&OutboundJob {
                    tenant: conversation.tenant.clone(),
                    conversation: conversation.id.clone(),
                    seq: message.seq,
                })
                .await?;
        }
        self.reply(
            caller,
            &ack(
                &conversation.id,
                &message.client_id,
                message.seq,
                appended.duplicate,
            ),
        )
        .await?;
        if appended.duplicate {
            return Ok(());
        }
        let event = Event::Message { message };
        self.push_to_participants(
            &conversation,
            &event,
            Audience::except(&caller.connection.id),
        )
        .await
    }

    /// Stores the message. The store answers a resend with the original even on
    /// a closed conversation, so only a genuinely new message from the client
    /// reopens it.
    pub(crate) async fn append_or_reopen(
        &self,
        mut conversation: Conversation,
        message: NewMessage,
    ) -> Result<(Conversation, Appended), ActionError> {
        let tenant = conversation.tenant.clone();
        let appended = match self
            .store
            .append_message(&tenant, &conversation.id, message.clone())
            .await
        {
            Err(ConversationError::Transition(TransitionError::AlreadyClosed))
                if matches!(message.author, Author::Visitor(_) | Author::Business(_)) =>
            {
                conversation = self.reopen(&conversation).await?;
                self.store
                    .append_message(&tenant, &conversation.id, message)
                    .await?
            }
            other => other?,
        };
        Ok((conversation, appended))
    }

    /// WhatsApp refuses free-form messages a day after the client's last one;
    /// refusing here keeps the operator from waiting on a send that cannot work.
    async fn check_channel_window(&self, conversation: &Conversation) -> Result<(), ActionError> {
        let contact = self
            .store
            .contact(&conversation.tenant, &conversation.visitor)
            .await?
            .ok_or(ActionError::ChannelUnavailable)?;
        if contact.window_open(self.now()) {
            Ok(())
        } else {
            Err(ActionError::WindowClosed)
        }
    }

    pub(crate) async fn reopen(
        &self,
        conversation: &Conversation,
    ) -> Result<Conversation, ActionError> {
        match self
            .store
            .reopen(&conversation.tenant, &conversation.id, self.now())
            .await
        {
            Ok(reopened) => {
                self.publish_queue_change(&reopened, QueueChange::Entered)
                    .await?;
                Ok(reopened)
            }
            // Someone else reopened it in the meantime: fine, it is open.
            Err(ConversationError::Transition(_)) => self
                .store
                .conversation(&conversation.tenant, &conversation.id)
                .await?
                .ok_or(ActionError::ConversationNotFound),
            Err(e) => Err(e.into()),
        }
    }

    /// The visitor's connections and, once assigned, the operator's.
    pub(crate) async fn push_to_participants(
        &self,
        conversation: &Conversation,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let visitor_ref = PrincipalRef::Visitor(conversation.visitor.clone());
        let visitor = self.push_to(&conversation.tenant, &visitor_ref, event, audience);
        match &conversation.operator {
            Some(op) if conversation.status == ConversationStatus::Active => {
                let operator_ref = PrincipalRef::Operator(op.clone());
                let operator = self.push_to(&conversation.tenant, &operator_ref, event, audience);
                let (a, b) = futures::join!(visitor, operator);
                a.and(b)
            }
            _ => visitor.await,
        }
    }

    pub(super) async fn typing(
        &self,
        caller: &Caller,
        action: protocol::Typing,
    ) -> Result<(), ActionError> {
        let conversation = self
            .conversation_for(caller, action.conversation_id.as_ref())
            .await?;
        let (from, to) = match &caller.connection.principal {
            Principal::Visitor { .. } => match (&conversation.status, &conversation.operator) {
                (ConversationStatus::Active, Some(op)) => {
                    (Side::Visitor, PrincipalRef::Operator(op.clone()))
                }
                // Nobody to tell yet.
                _ => return Ok(()),
            },
            Principal::Operator { id, .. } => {
                if conversation.operator.as_ref() != Some(id)
                    || conversation.status != ConversationStatus::Active
                {
                    return Err(ActionError::NotYours);
                }
                (
                    Side::Operator,
                    PrincipalRef::Visitor(conversation.visitor.clone()),
                )
            }
        };
        let event = Event::Typing {
            conversation_id: conversation.id.clone(),
            from,
            typing: action.typing,
        };
        self.push_to(caller.tenant(), &to, &event, Audience::everyone())
            .await
    }

    pub(super) async fn history(
        &self,
        caller: &Caller,
        action: History,
    ) -> Result<(), ActionError> {
        let conversation = self
            .conversation_for(caller, action.conversation_id.as_ref())
            .await?;
        let limit = action
            .limit
            .unwrap_or(protocol::DEFAULT_HISTORY_PAGE)
            .clamp(1, protocol::MAX_HISTORY_PAGE);
        let page = self
            .store
            .messages(
                caller.tenant(),
                &conversation.id,
                action.before,
                limit as usize,
            )
            .await?;
        self.reply(
            caller,
            &Event::History {
                conversation_id: conversation.id,
                messages: page.messages,
                has_more: page.has_more,
            },
        )
        .await
    }

    pub(super) async fn close(
        &self,
        caller: &Caller,
        action: OptionalConversationRef,
    ) -> Result<(), ActionError> {
        let conversation = self
            .conversation_for(caller, action.conversation_id.as_ref())
            .await?;
        let (by_operator, side) = match &caller.connection.principal {
            Principal::Operator { id, .. } => (Some(id), Side::Operator),
            Principal::Visitor { .. } => (None, Side::Visitor),
        };
        let closed = self
            .store
            .close(caller.tenant(), &conversation.id, by_operator, self.now())
            .await?;
        self.announce_close(closed, side, Audience::answering(caller))
            .await
    }

    /// After a close: the queue learns if it was waiting, everyone in it is
    /// told, and the operator gets their freed slot back on screen.
    pub(crate) async fn announce_close(
        &self,
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
        self.push_to_participants(&before, &event, audience).await?;
        if let Some(op) = &closed.conversation.operator {
            if closed.previous == ConversationStatus::Active {
                self.push_operator_state(&closed.conversation.tenant, op, None, None)
                    .await?;
            }
        }
        Ok(())
    }
}

fn ack(
    conversation: &ConversationId,
    client_id: &switchboard_domain::ClientMessageId,
    seq: u64,
    duplicate: bool,
) -> Event {
    Event::MessageAck {
        conversation_id: conversation.clone(),
        client_message_id: client_id.to_string(),
        seq,
        duplicate,
    }
}
