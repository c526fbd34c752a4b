//! What clients send besides text: attachments, and replies to what we sent.

use serde::{Deserialize, Serialize};

/// What an attachment is. Providers add kinds over time; one we do not know
/// is kept by its name rather than lost.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
    #[default]
    File,
    Location,
    Contacts,
    #[serde(untagged)]
    Other(String),
}

impl From<&str> for AttachmentKind {
    fn from(raw: &str) -> Self {
        match raw {
            "image" => Self::Image,
            "video" => Self::Video,
            "audio" => Self::Audio,
            "document" => Self::Document,
            "sticker" => Self::Sticker,
            "file" => Self::File,
            "location" => Self::Location,
            "contacts" => Self::Contacts,
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<String> for AttachmentKind {
    fn from(raw: String) -> Self {
        Self::from(raw.as_str())
    }
}

/// What kind of control a reply answers. Hero Cards resolve by these.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    Button,
    List,
    TemplateButton,
    Flow,
    QuickReply,
    Postback,
    AppleInteractive,
    AppleListPicker,
    AppleTimePicker,
    AppleForm,
    AppleQuickReply,
    /// Apple sent a reference to fetch; the reply's data arrives later.
    PendingInteractiveDataRef,
    #[serde(untagged)]
    Other(String),
}

impl From<&str> for ReplyKind {
    fn from(raw: &str) -> Self {
        match raw {
            "button" => Self::Button,
            "list" => Self::List,
            "template_button" => Self::TemplateButton,
            "flow" => Self::Flow,
            "quick_reply" => Self::QuickReply,
            "postback" => Self::Postback,
            "apple_interactive" => Self::AppleInteractive,
            "apple_list_picker" => Self::AppleListPicker,
            "apple_time_picker" => Self::AppleTimePicker,
            "apple_form" => Self::AppleForm,
            "apple_quick_reply" => Self::AppleQuickReply,
            "pending_interactive_data_ref" => Self::PendingInteractiveDataRef,
            other => Self::Other(other.to_string()),
        }
    }
}

impl From<String> for ReplyKind {
    fn from(raw: String) -> Self {
        Self::from(raw.as_str())
    }
}

/// A file the client sent, kept as the provider's reference; downloading it to
/// our own storage is a later step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct Attachment {
    pub kind: AttachmentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// A tap or selection answering something we sent: a button, list row,
/// quick reply, postback, Apple picker. The ids are what a Hero Card resolves by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct Reply {
    pub kind: ReplyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_id: Option<String>,
    /// Apple's `requestIdentifier`, echoed from what we sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selected_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}
