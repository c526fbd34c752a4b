//! What both sides do inside a conversation: start it, write, type, read back, close.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::{Principal, StartOutcome};
use crate::protocol::{self, History, HistoryLimit, OptionalConversationRef, StartConversation};
use crate::views::{Event, Side};
use switchboard_domain::{Channel, Conversation, ConversationId, ConversationStatus, WidgetEntry};

impl Frames {
    pub(super) async fn welcome_visitor(&self, caller: &Caller) -> Result<(), ActionError> {
        let (visitor, widget) = caller.visitor()?;
        let token = self
            .tokens
            .issue_visitor(caller.tenant(), visitor, widget, self.now())
            .map_err(ActionError::Token)?;
        let conversation = match self.visitors_conversation(caller).await {
            Ok(c) => Some(self.lifecycle.view(c).await?),
            Err(ActionError::NoConversation) => None,
            Err(e) => return Err(e),
        };
        let event = Event::WelcomeVisitor {
            tenant: caller.tenant().clone(),
            visitor_id: visitor.clone(),
            visitor_token: token,
            entries: caller.visitor_entries().to_vec(),
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
        let invalid = |field: &str, reason: String| {
            ActionError::Protocol(crate::protocol::ProtocolError::InvalidField {
                field: field.into(),
                reason,
            })
        };
        action
            .entry
            .check()
            .map_err(|(field, reason)| invalid(field, reason))?;
        // A code is its own way in, whatever the type it starts.
        let (needed, field) = match action.invitation_code {
            Some(_) => (WidgetEntry::Invitation, "invitationCode"),
            None => (WidgetEntry::of(action.entry.entry_type), "entry.type"),
        };
        if !caller.visitor_entries().contains(&needed) {
            let reason = format!("this widget does not offer {}", needed.as_str());
            return Err(invalid(field, reason));
        }
        let mut candidate = self.lifecycle.candidate(
            caller.tenant(),
            visitor,
            Channel::WebChat,
            action.entry,
            &caller.visitor_group(),
        )?;
        let outcome = match action.invitation_code.as_deref() {
            Some(code) => self.start_invited(caller, code, candidate).await?,
            None => {
                // Nobody to take a new one, or closed: no conversation, the
                // form instead. A client with a conversation resumes it.
                if caller.connection.conversation.is_none() {
                    match self.serving_group(caller).await? {
                        Ok(group) => candidate.group = group,
                        Err(reason) => return self.reply_offline(caller, reason).await,
                    }
                }
                self.lifecycle.start_candidate(candidate).await?
            }
        };
        let label = match &outcome {
            StartOutcome::Created(_) => "created",
            StartOutcome::Existing(_) => "existing",
            StartOutcome::Reopened(_) => "reopened",
        };
        let conversation = outcome.conversation().clone();
        // A new or reopened conversation hears its place from the queue function.
        let view = match outcome {
            StartOutcome::Existing(_) => self.lifecycle.view(conversation.clone()).await?,
            _ => self.lifecycle.view_unplaced(conversation.clone()).await?,
        };
        let event = Event::ConversationStarted {
            view,
            outcome: label,
        };
        self.notifier.reply(caller, &event).await?;
        // The visitor's other tabs.
        self.notifier
            .push_to_side(
                &conversation,
                Side::Visitor,
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
                let current = self.visitors_conversation(caller).await?;
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

    /// The visitor's current conversation: the one their connection knows
    /// of, else the store's pointer (a tab opened before the conversation began).
    async fn visitors_conversation(&self, caller: &Caller) -> Result<Conversation, ActionError> {
        let (visitor, _) = caller.visitor()?;
        let tenant = caller.tenant();
        if let Some(id) = &caller.connection.conversation {
            if let Some(c) = self.conversations().conversation(tenant, id).await? {
                if &c.visitor == visitor {
                    return Ok(c);
                }
            }
        }
        self.conversations()
            .visitor_conversation(tenant, visitor)
            .await?
            .ok_or(ActionError::NoConversation)
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
            Principal::Visitor { .. } => match conversation.status {
                ConversationStatus::Active => (Side::Visitor, Side::Operator),
                // Nobody to tell yet.
                _ => return Ok(()),
            },
            Principal::Operator { id, .. } => {
                if conversation.operator.as_ref() != Some(id)
                    || conversation.status != ConversationStatus::Active
                {
                    return Err(ActionError::NotYours);
                }
                (Side::Operator, Side::Visitor)
            }
        };
        let event = Event::Typing {
            conversation_id: conversation.id.clone(),
            from,
            typing: action.typing,
        };
        self.notifier
            .push_to_side(&conversation, to, &event, Audience::everyone())
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
        if let Principal::Operator { id, roles, .. } = &caller.connection.principal {
            if !self.may_open(id, roles, &conversation).await? {
                return Err(ActionError::ConversationNotFound);
            }
        }
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
        // The store reads the conversation as it closes it, and the domain's
        // rule decides whether this operator may; a visitor's own conversation
        // is known from their connection.
        let requested = action.conversation_id.as_ref();
        let id = match (
            &caller.connection.principal,
            &caller.connection.conversation,
        ) {
            (Principal::Operator { .. }, _) => requested.cloned().ok_or_else(|| {
                ActionError::Protocol(protocol::ProtocolError::InvalidField {
                    field: "conversationId".into(),
                    reason: "is required".into(),
                })
            })?,
            (Principal::Visitor { .. }, Some(own)) if requested.is_none_or(|r| r == own) => {
                own.clone()
            }
            (Principal::Visitor { .. }, _) => self.conversation_for(caller, requested).await?.id,
        };
        let (by_operator, side) = match &caller.connection.principal {
            Principal::Operator { id, .. } => (Some(id), Side::Operator),
            Principal::Visitor { .. } => (None, Side::Visitor),
        };
        let closed = self
            .conversations()
            .close(caller.tenant(), &id, by_operator, self.now())
            .await?;
        self.lifecycle
            .announce_close(&self.notifier, closed, side, Audience::answering(caller))
            .await
    }
}
