use crate::channel::{Attachment, Delivery, Reply};
use crate::ids::{ClientMessageId, ConversationId, OperatorId, VisitorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who wrote a message. System lines (accepted, closed, ...) are written by the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Author {
    Visitor(VisitorId),
    Operator(OperatorId),
    System,
    /// The business wrote from outside Switchboard (the WhatsApp Business app,
    /// the Page Inbox); the id names the app when the channel tells it.
    Business(String),
}

/// Message text: non-empty after trimming and at most [`MessageText::MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageText(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
}

impl MessageText {
    /// Keeps a message (with its JSON envelope) inside one 32 KB WebSocket frame
    /// even when every character takes 3 bytes of UTF-8.
    pub const MAX_CHARS: usize = 8_000;

    pub fn parse(raw: impl Into<String>) -> Result<Self, TextError> {
        let raw = raw.into();
        if raw.trim().is_empty() {
            return Err(TextError::Blank);
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(TextError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MessageText {
    type Error = TextError;
    fn try_from(raw: String) -> Result<Self, TextError> {
        Self::parse(raw)
    }
}

impl From<MessageText> for String {
    fn from(t: MessageText) -> String {
        t.0
    }
}

/// What a message carries beyond text when it crossed a messaging channel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelDetails {
    /// The provider's id for it (wamid, mid, Apple id), once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// The channel could not tell us what this is; a placeholder, so the
    /// operator sees that something arrived.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsupported: bool,
    /// For what we send through a channel: where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

/// A message as handed to the store, before it has a place in the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub client_id: ClientMessageId,
    pub author: Author,
    /// None for a message that is only attachments, a reply without a title, or a placeholder.
    pub text: Option<MessageText>,
    pub at: Timestamp,
    pub details: ChannelDetails,
}

impl NewMessage {
    pub fn text(
        client_id: ClientMessageId,
        author: Author,
        text: MessageText,
        at: Timestamp,
    ) -> Self {
        NewMessage {
            client_id,
            author,
            text: Some(text),
            at,
            details: ChannelDetails::default(),
        }
    }
}

/// A stored message. `seq` is its place in the conversation: 1, 2, 3, ... with
/// no gaps, assigned by the store, and the one order both sides see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub conversation: ConversationId,
    pub seq: u64,
    pub client_id: ClientMessageId,
    pub author: Author,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<MessageText>,
    pub created_at: Timestamp,
    #[serde(flatten)]
    pub details: ChannelDetails,
}

impl Message {
    pub fn from_new(conversation: ConversationId, seq: u64, new: NewMessage) -> Self {
        Message {
            conversation,
            seq,
            client_id: new.client_id,
            author: new.author,
            text: new.text,
            created_at: new.at,
            details: new.details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_bounds() {
        assert_eq!(MessageText::parse("  \n"), Err(TextError::Blank));
        assert!(MessageText::parse("héllo").is_ok());
        assert!(MessageText::parse("é".repeat(MessageText::MAX_CHARS)).is_ok());
        assert!(MessageText::parse("a".repeat(MessageText::MAX_CHARS + 1)).is_err());
    }
}
