//! What a conversation starts from: the channel the client writes on and
//! what the widget knew about them.

use serde::{Deserialize, Serialize};

/// How the client asked to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    Chat,
    Video,
    Callback,
}

/// Where the client writes from. Only the web widget exists yet; the messaging
/// channels arrive with their webhooks and already have a place here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    WebChat,
    WhatsApp,
    Messenger,
    Instagram,
    Apple,
    Vk,
}

impl Channel {
    /// As it is written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WebChat => "webchat",
            Channel::WhatsApp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Apple => "apple",
            Channel::Vk => "vk",
        }
    }
}

/// What the widget knows when a conversation starts, shown to operators in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryInfo {
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    pub language: String,
    pub browser: String,
    pub os: String,
    pub widget: String,
    pub page_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// From the entry form, or chosen when contacts are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}
