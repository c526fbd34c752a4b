use crate::channel::Delivery;
use crate::content::{Content, Visibility};
use crate::ids::{ClientMessageId, ConversationId, OperatorId, VisitorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who wrote a message. System lines (accepted, closed, ...) are written by the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

/// A message as handed to the store, before it has a place in the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub client_id: ClientMessageId,
    pub author: Author,
    pub content: Content,
    pub at: Timestamp,
    /// The provider's id for it (wamid, mid, Apple id), once known.
    pub external_id: Option<String>,
    /// For what we send through a channel: where it stands.
    pub delivery: Option<Delivery>,
}

impl NewMessage {
    pub fn new(
        client_id: ClientMessageId,
        author: Author,
        content: Content,
        at: Timestamp,
    ) -> Self {
        NewMessage {
            client_id,
            author,
            content,
            at,
            external_id: None,
            delivery: None,
        }
    }

    pub fn text(
        client_id: ClientMessageId,
        author: Author,
        text: MessageText,
        at: Timestamp,
    ) -> Self {
        Self::new(client_id, author, Content::text(text), at)
    }
}

/// A stored message. `seq` is its place in the conversation: 1, 2, 3, ... with
/// no gaps, assigned by the store, and the one order both sides see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub conversation: ConversationId,
    pub seq: u64,
    pub client_id: ClientMessageId,
    pub author: Author,
    #[serde(flatten)]
    pub content: Content,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
}

impl Message {
    pub fn from_new(conversation: ConversationId, seq: u64, new: NewMessage) -> Self {
        Message {
            conversation,
            seq,
            client_id: new.client_id,
            author: new.author,
            content: new.content,
            created_at: new.at,
            external_id: new.external_id,
            delivery: new.delivery,
        }
    }

    pub fn visibility(&self) -> Visibility {
        self.content.visibility()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_stored_before_content_types_still_reads() {
        let m: Message = serde_json::from_value(serde_json::json!({
            "conversation": "c1", "seq": 3, "clientId": "wa.1",
            "author": {"kind": "visitor", "id": "v1"}, "text": "hi",
            "createdAt": 5, "externalId": "wamid.1"
        }))
        .unwrap();
        assert_eq!(m.content.kind(), "text");
        assert_eq!(m.external_id.as_deref(), Some("wamid.1"));
        let again: Message = serde_json::from_value(serde_json::to_value(&m).unwrap()).unwrap();
        assert_eq!(again, m);
    }

    #[test]
    fn text_bounds() {
        assert_eq!(MessageText::parse("  \n"), Err(TextError::Blank));
        assert!(MessageText::parse("héllo").is_ok());
        assert!(MessageText::parse("é".repeat(MessageText::MAX_CHARS)).is_ok());
        assert!(MessageText::parse("a".repeat(MessageText::MAX_CHARS + 1)).is_err());
    }
}
