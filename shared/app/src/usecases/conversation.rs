//! What both sides do inside a conversation: start it, write, type, read back, close.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::{Principal, PrincipalRef, StartOutcome};
use crate::protocol::{self, History, HistoryLimit, OptionalConversationRef, StartConversation};
use crate::views::{Event, Side};
use switchboard_domain::{Channel, Conversation, ConversationId, ConversationStatus};

impl Frames {
    pub(super) async fn welcome_visitor(&self, caller: &Caller) -> Result<(), ActionError> {
        let (visitor, widget) = caller.visitor()?;
        let token = self
            .tokens
            .issue_visitor(caller.tenant(), visitor, widget, self.now())
            .map_err(ActionError::Token)?;
        let conversation = match self
            .conversations()
            .visitor_conversation(caller.tenant(), visitor)
            .await?
        {
            Some(c) => Some(self.lifecycle.view(c).await?),
            None => None,
        };
        let event = Event::WelcomeVisitor {
            tenant: caller.tenant().clone(),
            visitor_id: visitor.clone(),
            visitor_token: token,
            conversation,
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn start_conversation(
        &self,
        caller: &Caller,
        action: StartConversation,
    ) -> Result<(), ActionError> {
        let (visitor, _) = caller.visitor()?;
        let outcome = self
            .lifecycle
            .start(caller.tenant(), visitor, Channel::WebChat, action.entry)
            .await?;
        let label = match &outcome {
            StartOutcome::Created(_) => "created",
            StartOutcome::Existing(_) => "existing",
            StartOutcome::Reopened(_) => "reopened",
        };
        let conversation = outcome.conversation().clone();
        let event = Event::ConversationStarted {
            view: self.lifecycle.view(conversation).await?,
            outcome: label,
        };
        self.notifier.reply(caller, &event).await?;
        self.notifier
            .push_to(
                caller.tenant(),
                &PrincipalRef::Visitor(visitor.clone()),
                &event,
                Audience::except(&caller.connection.id),
            )
            .await
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
                    .conversations()
                    .visitor_conversation(tenant, visitor)
                    .await?
                    .ok_or(ActionError::NoConversation)?;
                match requested {
                    Some(id) if *id != current.id => {
                        // Only their own conversations exist for a visitor.
                        match self.conversations().conversation(tenant, id).await? {
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
                self.conversations()
                    .conversation(tenant, id)
                    .await?
                    .ok_or(ActionError::ConversationNotFound)
            }
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
        self.notifier
            .push_to(caller.tenant(), &to, &event, Audience::everyone())
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
        let limit = action.limit.unwrap_or(HistoryLimit::DEFAULT).get();
        let page = self
            .messages()
            .messages(
                caller.tenant(),
                &conversation.id,
                action.before,
                limit as usize,
            )
            .await?;
        self.notifier
            .reply(
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
            .conversations()
            .close(caller.tenant(), &conversation.id, by_operator, self.now())
            .await?;
        self.lifecycle
            .announce_close(&self.notifier, closed, side, Audience::answering(caller))
            .await
    }
}
