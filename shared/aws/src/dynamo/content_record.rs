//! What a `MSG#` item says a message is and who wrote it: records of their
//! own rather than the domain's serde (which is what clients are sent), so
//! the protocol's message shapes can change without a data migration. The
//! shapes written are the ones version 1 items already hold, so those read
//! as they are (a test below holds the two together).

use serde::{Deserialize, Serialize};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{
    Attachment, AttachmentKind, Author, Card, Content, MessageText, OperatorId, Reply, ReplyKind,
    Template, VisitorId,
};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn text(raw: String) -> StoreResult<MessageText> {
    MessageText::parse(raw).map_err(corrupt)
}

fn operator(raw: String) -> StoreResult<OperatorId> {
    OperatorId::parse(raw).map_err(corrupt)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub(crate) enum AuthorRecord {
    Visitor(String),
    Operator(String),
    System,
    Business(String),
}

impl From<&Author> for AuthorRecord {
    fn from(a: &Author) -> Self {
        match a {
            Author::Visitor(v) => AuthorRecord::Visitor(v.to_string()),
            Author::Operator(o) => AuthorRecord::Operator(o.to_string()),
            Author::System => AuthorRecord::System,
            Author::Business(b) => AuthorRecord::Business(b.clone()),
        }
    }
}

impl TryFrom<AuthorRecord> for Author {
    type Error = StoreError;
    fn try_from(r: AuthorRecord) -> StoreResult<Self> {
        Ok(match r {
            AuthorRecord::Visitor(v) => Author::Visitor(VisitorId::parse(v).map_err(corrupt)?),
            AuthorRecord::Operator(o) => Author::Operator(operator(o)?),
            AuthorRecord::System => Author::System,
            AuthorRecord::Business(b) => Author::Business(b),
        })
    }
}

fn attachment_kind(k: &AttachmentKind) -> String {
    match k {
        AttachmentKind::Image => "image",
        AttachmentKind::Video => "video",
        AttachmentKind::Audio => "audio",
        AttachmentKind::Document => "document",
        AttachmentKind::Sticker => "sticker",
        AttachmentKind::File => "file",
        AttachmentKind::Location => "location",
        AttachmentKind::Contacts => "contacts",
        AttachmentKind::Other(other) => other,
    }
    .to_string()
}

fn reply_kind(k: &ReplyKind) -> String {
    match k {
        ReplyKind::Button => "button",
        ReplyKind::List => "list",
        ReplyKind::TemplateButton => "template_button",
        ReplyKind::Flow => "flow",
        ReplyKind::QuickReply => "quick_reply",
        ReplyKind::Postback => "postback",
        ReplyKind::AppleInteractive => "apple_interactive",
        ReplyKind::AppleListPicker => "apple_list_picker",
        ReplyKind::AppleTimePicker => "apple_time_picker",
        ReplyKind::AppleForm => "apple_form",
        ReplyKind::AppleQuickReply => "apple_quick_reply",
        ReplyKind::PendingInteractiveDataRef => "pending_interactive_data_ref",
        ReplyKind::Other(other) => other,
    }
    .to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AttachmentRecord {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ReplyRecord {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    selected_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CardRecord {
    #[serde(default)]
    instance: String,
    #[serde(default)]
    title: String,
    definition: String,
    #[serde(default)]
    fields: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TemplateRecord {
    name: String,
    language: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    header_parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ContentRecord {
    Text {
        text: String,
    },
    Attachments {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        attachments: Vec<AttachmentRecord>,
    },
    Reply {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        reply: ReplyRecord,
    },
    Card {
        card: CardRecord,
    },
    Template {
        template: TemplateRecord,
    },
    Note {
        text: String,
    },
    System {
        event: SystemLineRecord,
    },
    Unsupported,
}

fn opt_text(t: &Option<MessageText>) -> Option<String> {
    t.as_ref().map(|t| t.as_str().to_string())
}

impl From<&Content> for ContentRecord {
    fn from(c: &Content) -> Self {
        match c {
            Content::Text { text } => ContentRecord::Text {
                text: text.as_str().into(),
            },
            Content::Attachments { text, attachments } => ContentRecord::Attachments {
                text: opt_text(text),
                attachments: attachments
                    .iter()
                    .map(|a| AttachmentRecord {
                        kind: attachment_kind(&a.kind),
                        provider_media_id: a.provider_media_id.clone(),
                        url: a.url.clone(),
                        mime_type: a.mime_type.clone(),
                        caption: a.caption.clone(),
                        name: a.name.clone(),
                        sha256: a.sha256.clone(),
                        size: a.size,
                    })
                    .collect(),
            },
            Content::Reply { text, reply } => ContentRecord::Reply {
                text: opt_text(text),
                reply: ReplyRecord {
                    kind: reply_kind(&reply.kind),
                    reply_id: reply.reply_id.clone(),
                    request_id: reply.request_id.clone(),
                    title: reply.title.clone(),
                    description: reply.description.clone(),
                    selected_ids: reply.selected_ids.clone(),
                    data: reply.data.clone(),
                },
            },
            Content::Card { card } => ContentRecord::Card {
                card: CardRecord {
                    instance: card.instance.clone(),
                    title: card.title.clone(),
                    definition: card.definition.clone(),
                    fields: card.fields.clone(),
                },
            },
            Content::Template { template } => ContentRecord::Template {
                template: TemplateRecord {
                    name: template.name.clone(),
                    language: template.language.clone(),
                    parameters: template.parameters.clone(),
                    header_parameters: template.header_parameters.clone(),
                    text: template.text.clone(),
                },
            },
            Content::Note { text } => ContentRecord::Note {
                text: text.as_str().into(),
            },
            Content::System { event } => ContentRecord::System {
                event: event.into(),
            },
            Content::Unsupported => ContentRecord::Unsupported,
        }
    }
}

impl TryFrom<ContentRecord> for Content {
    type Error = StoreError;
    fn try_from(r: ContentRecord) -> StoreResult<Self> {
        Ok(match r {
            ContentRecord::Text { text: t } => Content::Text { text: text(t)? },
            ContentRecord::Attachments {
                text: t,
                attachments,
            } => Content::Attachments {
                text: t.map(text).transpose()?,
                attachments: attachments
                    .into_iter()
                    .map(|a| Attachment {
                        kind: AttachmentKind::from(a.kind),
                        provider_media_id: a.provider_media_id,
                        url: a.url,
                        mime_type: a.mime_type,
                        caption: a.caption,
                        name: a.name,
                        sha256: a.sha256,
                        size: a.size,
                    })
                    .collect(),
            },
            ContentRecord::Reply { text: t, reply } => Content::Reply {
                text: t.map(text).transpose()?,
                reply: Reply {
                    kind: ReplyKind::from(reply.kind),
                    reply_id: reply.reply_id,
                    request_id: reply.request_id,
                    title: reply.title,
                    description: reply.description,
                    selected_ids: reply.selected_ids,
                    data: reply.data,
                },
            },
            ContentRecord::Card { card } => Content::Card {
                card: Card {
                    instance: card.instance,
                    title: card.title,
                    definition: card.definition,
                    fields: card.fields,
                },
            },
            ContentRecord::Template { template } => Content::Template {
                template: Template {
                    name: template.name,
                    language: template.language,
                    parameters: template.parameters,
                    header_parameters: template.header_parameters,
                    text: template.text,
                },
            },
            ContentRecord::Note { text: t } => Content::Note { text: text(t)? },
            ContentRecord::System { event } => Content::System {
                event: event.try_into()?,
            },
            ContentRecord::Unsupported => Content::Unsupported,
        })
    }
}

pub(crate) use super::system_line_record::SystemLineRecord;

#[cfg(test)]
#[path = "content_record_tests.rs"]
mod tests;
