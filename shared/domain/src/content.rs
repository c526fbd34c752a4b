//! What a conversation item carries, one enum for all of it, and who may see
//! it. Visibility is a property of the content, never a choice at the call
//! site: `switchboard_app`'s notifier is the one place that applies it.

use crate::channel::{Attachment, Reply};
use crate::ids::OperatorId;
use crate::message::MessageText;
use crate::timeline::ClosedBy;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawContent")]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    Text {
        text: MessageText,
    },
    /// Files, with an optional caption.
    Attachments {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<MessageText>,
        attachments: Vec<Attachment>,
    },
    /// A tap or selection answering something we sent.
    Reply {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<MessageText>,
        reply: Reply,
    },
    /// A Hero Card: a form the client fills in.
    Card {
        card: Card,
    },
    /// An approved WhatsApp template, the only way back after the 24-hour window.
    Template {
        template: Template,
    },
    /// Written by an operator for operators; never shown to the client.
    Note {
        text: MessageText,
    },
    /// A line the platform writes: assigned, transferred, a card's outcome, closed, reopened.
    System {
        event: SystemLine,
    },
    /// The channel could not tell us what this is; a placeholder, so the
    /// operator sees that something arrived.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// The sent card ([`crate::cards::CardInstance`]) this item shows.
    #[serde(default)]
    pub instance: String,
    /// The tenant's card definition it was made from.
    pub definition: String,
    #[serde(default)]
    pub title: String,
    /// The values it was sent with (the operator's prefills).
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub name: String,
    pub language: String,
    /// The body's parameters, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_parameters: Vec<String>,
    /// The text as the client reads it, filled in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CardOutcome {
    Confirmed,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SystemLine {
    Assigned {
        operator: OperatorId,
    },
    Transferred {
        from: OperatorId,
        to: OperatorId,
    },
    CardOutcome {
        #[serde(default)]
        instance: String,
        definition: String,
        outcome: CardOutcome,
        #[serde(default = "client_side")]
        by: crate::cards::CardSide,
        /// "Confirmed by the client" in the conversation's language.
        #[serde(default)]
        text: String,
    },
    Closed {
        by: ClosedBy,
    },
    Reopened,
}

fn client_side() -> crate::cards::CardSide {
    crate::cards::CardSide::Client
}

/// Who may see an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Everyone,
    /// Operators only: never pushed to a visitor, never in a visitor's
    /// history, never sent through a channel.
    Operators,
}

impl Content {
    pub fn text(text: MessageText) -> Self {
        Content::Text { text }
    }

    /// What a client's channel message amounts to.
    pub fn inbound(
        text: Option<MessageText>,
        attachments: Vec<Attachment>,
        reply: Option<Reply>,
        unsupported: bool,
    ) -> Self {
        match (reply, attachments.is_empty(), text) {
            (Some(reply), _, text) => Content::Reply { text, reply },
            (None, false, text) => Content::Attachments { text, attachments },
            (None, true, Some(text)) if !unsupported => Content::Text { text },
            _ => Content::Unsupported,
        }
    }

    pub fn visibility(&self) -> Visibility {
        match self {
            Content::Note { .. } => Visibility::Operators,
            _ => Visibility::Everyone,
        }
    }

    /// The name an error or a log gives this kind of content.
    pub fn kind(&self) -> &'static str {
        match self {
            Content::Text { .. } => "text",
            Content::Attachments { .. } => "attachments",
            Content::Reply { .. } => "reply",
            Content::Card { .. } => "card",
            Content::Template { .. } => "template",
            Content::Note { .. } => "note",
            Content::System { .. } => "system",
            Content::Unsupported => "unsupported",
        }
    }

    /// The words of it, where it has any.
    pub fn text_part(&self) -> Option<&MessageText> {
        match self {
            Content::Text { text } | Content::Note { text } => Some(text),
            Content::Attachments { text, .. } | Content::Reply { text, .. } => text.as_ref(),
            _ => None,
        }
    }
}

/// Every shape content has been stored in: tagged with `type`, and the
/// untagged fields of messages stored before the tag existed.
#[derive(Deserialize, schemars::JsonSchema)]
struct RawContent {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<MessageText>,
    #[serde(default)]
    attachments: Vec<Attachment>,
    reply: Option<Reply>,
    #[serde(default)]
    unsupported: bool,
    card: Option<Card>,
    template: Option<Template>,
    event: Option<SystemLine>,
}

impl TryFrom<RawContent> for Content {
    type Error = String;

    fn try_from(raw: RawContent) -> Result<Self, String> {
        let missing = |field: &str, kind: &str| format!("`{kind}` content needs `{field}`");
        Ok(match raw.kind.as_deref() {
            None => Content::inbound(raw.text, raw.attachments, raw.reply, raw.unsupported),
            Some("text") => Content::Text {
                text: raw.text.ok_or_else(|| missing("text", "text"))?,
            },
            Some("attachments") => Content::Attachments {
                text: raw.text,
                attachments: raw.attachments,
            },
            Some("reply") => Content::Reply {
                text: raw.text,
                reply: raw.reply.ok_or_else(|| missing("reply", "reply"))?,
            },
            Some("card") => Content::Card {
                card: raw.card.ok_or_else(|| missing("card", "card"))?,
            },
            Some("template") => Content::Template {
                template: raw
                    .template
                    .ok_or_else(|| missing("template", "template"))?,
            },
            Some("note") => Content::Note {
                text: raw.text.ok_or_else(|| missing("text", "note"))?,
            },
            Some("system") => Content::System {
                event: raw.event.ok_or_else(|| missing("event", "system"))?,
            },
            Some("unsupported") => Content::Unsupported,
            Some(other) => return Err(format!("unknown content type `{other}`")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(c: &Content) -> Content {
        serde_json::from_value(serde_json::to_value(c).unwrap()).unwrap()
    }

    #[test]
    fn every_kind_round_trips_tagged() {
        let text = MessageText::parse("hi").unwrap();
        for c in [
            Content::text(text.clone()),
            Content::Note { text: text.clone() },
            Content::Unsupported,
            Content::System {
                event: SystemLine::Reopened,
            },
            Content::Template {
                template: Template {
                    name: "order_update".into(),
                    language: "en".into(),
                    parameters: vec!["4411".into()],
                    header_parameters: vec![],
                    text: String::new(),
                },
            },
        ] {
            assert_eq!(round_trip(&c), c);
        }
        assert_eq!(
            serde_json::to_value(Content::text(text)).unwrap(),
            json!({"type": "text", "text": "hi"})
        );
    }

    #[test]
    fn content_stored_before_the_tag_still_reads() {
        let legacy: Content = serde_json::from_value(json!({"text": "hello"})).unwrap();
        assert_eq!(legacy.kind(), "text");
        let media: Content = serde_json::from_value(
            json!({"text": "look", "attachments": [{"kind": "image", "provider_media_id": "m1"}]}),
        )
        .unwrap();
        assert_eq!(media.kind(), "attachments");
        let placeholder: Content = serde_json::from_value(json!({"unsupported": true})).unwrap();
        assert_eq!(placeholder, Content::Unsupported);
    }

    #[test]
    fn only_notes_are_for_operators() {
        let text = MessageText::parse("internal").unwrap();
        assert_eq!(
            Content::Note { text: text.clone() }.visibility(),
            Visibility::Operators
        );
        assert_eq!(Content::text(text).visibility(), Visibility::Everyone);
        assert!(serde_json::from_value::<Content>(json!({"type": "note"})).is_err());
        assert!(serde_json::from_value::<Content>(json!({"type": "fax"})).is_err());
    }
}
