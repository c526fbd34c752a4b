//! `note.add`: an operator writes something for operators only. It is stored
//! in the conversation's order like any message, so it shows in the history
//! where it was written, but its content makes it operators-only, and the
//! notifier never lets it reach a visitor's connection or a channel.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::protocol::AddNote;
use crate::views::Event;
use switchboard_domain::{Author, Content, NewMessage};

impl Frames {
    pub(super) async fn add_note(
        &self,
        caller: &Caller,
        action: AddNote,
    ) -> Result<(), ActionError> {
        let (operator, _, _) = caller.operator()?;
        let conversation = self
            .conversation_for(caller, Some(&action.conversation_id))
            .await?;
        let note = NewMessage::new(
            action.client_message_id,
            Author::Operator(operator.clone()),
            Content::Note { text: action.text },
            self.now(),
        );
        // An operator's note never reopens a closed conversation.
        let (conversation, appended) = self.lifecycle.append_or_reopen(conversation, note).await?;
        let message = appended.message;
        self.notifier
            .reply(
                caller,
                &Event::MessageAck {
                    conversation_id: conversation.id.clone(),
                    client_message_id: message.client_id.to_string(),
                    seq: message.seq,
                    duplicate: appended.duplicate,
                },
            )
            .await?;
        if appended.duplicate {
            return Ok(());
        }
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Message { message },
                Audience::except(&caller.connection.id),
            )
            .await
    }
}
