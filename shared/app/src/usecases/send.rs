//! `message.send` from either side: stored once in the conversation's order,
//! acknowledged to the sender, pushed to the others, and for an operator's
//! reply in a channel conversation, handed to the sender function.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::Principal;
use crate::protocol::SendMessage;
use crate::views::Event;
use switchboard_domain::{
    Author, Channel, ClientMessageId, Conversation, ConversationId, ConversationStatus, Delivery,
    Message, NewMessage,
};

impl Frames {
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
                    message.delivery = Some(Delivery::queued(now));
                }
            }
        }
        let (conversation, appended) = self
            .lifecycle
            .append_or_reopen(conversation, message)
            .await?;
        self.deliver_sent(caller, &conversation, appended)
            .await
            .map(|_| ())
    }

    /// What follows an operator's or visitor's message being stored: the
    /// sender gets it if it is for a channel, the sender's tab its ack, and
    /// (unless it was a resend) everyone else in the conversation the
    /// message. True if it was new.
    pub(crate) async fn deliver_sent(
        &self,
        caller: &Caller,
        conversation: &Conversation,
        appended: crate::ports::Appended,
    ) -> Result<bool, ActionError> {
        let message = appended.message;
        self.hand_to_sender(conversation, &message).await?;
        self.notifier
            .reply(
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
            return Ok(false);
        }
        self.notifier
            .push_to_participants(
                conversation,
                &Event::Message { message },
                Audience::except(&caller.connection.id),
            )
            .await?;
        Ok(true)
    }

    /// Hands a message still `queued` to the sender function. A resend of a
    /// message whose hand-over may have failed is handed over again; the
    /// sender sends each message at most once.
    pub(crate) async fn hand_to_sender(
        &self,
        conversation: &Conversation,
        message: &Message,
    ) -> Result<(), ActionError> {
        super::lifecycle::hand_to_sender(&*self.outbound, conversation, message).await
    }

    /// WhatsApp refuses free-form messages a day after the client's last one;
    /// refusing here keeps the operator from waiting on a send that cannot work.
    pub(crate) async fn check_channel_window(
        &self,
        conversation: &Conversation,
    ) -> Result<(), ActionError> {
        let contact = self
            .contacts
            .contact(&conversation.tenant, &conversation.visitor)
            .await?
            .ok_or(ActionError::ChannelUnavailable)?;
        if contact.window_open(self.now()) {
            Ok(())
        } else {
            Err(ActionError::WindowClosed)
        }
    }
}

fn ack(
    conversation: &ConversationId,
    client_id: &ClientMessageId,
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
