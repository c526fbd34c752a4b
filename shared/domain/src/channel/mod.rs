//! Messaging channels (WhatsApp, Messenger, Instagram, Apple Messages for
//! Business, VK): the channel-neutral events every webhook is normalized into,
//! the contacts who write through them, and the delivery state of what we send.

use crate::conversation::Channel;
use crate::ids::TenantId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

mod contact;
mod delivery;
mod media;

pub use contact::{normalize_tag, Contact, ContactProfile, MAX_TAGS};
pub use delivery::{Delivery, DeliveryError, DeliveryState, ErrorCode};
pub use media::{Attachment, AttachmentKind, Reply, ReplyKind};

/// Something the client sent: text, media, an interactive reply, or a
/// placeholder for a type the channel could not render to us.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct InboundMessage {
    pub channel: Channel,
    /// The business side: phone number id, Page id, IG account, Apple business, VK group.
    pub account_id: String,
    pub contact_id: String,
    #[serde(flatten)]
    pub profile: ContactProfile,
    pub external_id: String,
    /// Provider time, Unix seconds.
    pub timestamp: u64,
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsupported: bool,
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub reply: Option<Reply>,
}

/// A delivery receipt: for one message, or for everything up to a watermark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct StatusUpdate {
    pub channel: Channel,
    pub account_id: String,
    /// Messenger names the contact; WhatsApp names the recipient.
    pub contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub status: DeliveryState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<u64>,
    /// Messenger: everything we sent before this time (ms) has this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<DeliveryError>,
    /// What we attached when sending (WhatsApp `biz_opaque_callback_data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
}

/// A message the business sent from another app (the WhatsApp Business app,
/// the Page Inbox). Recorded on the business side of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct EchoMessage {
    pub channel: Channel,
    pub account_id: String,
    pub contact_id: String,
    pub external_id: String,
    pub timestamp: u64,
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_app_id: Option<u64>,
    /// Messenger: the metadata we set when sending, if this echoes our own send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TypingState {
    Start,
    End,
}

/// Every webhook is turned into these before anything else happens to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type")]
pub enum ChannelEvent {
    #[serde(rename = "message.received")]
    MessageReceived(InboundMessage),
    /// Same shape as a message; `reply` is set.
    #[serde(rename = "interactive.reply")]
    InteractiveReply(InboundMessage),
    #[serde(rename = "message.status")]
    Status(StatusUpdate),
    #[serde(rename = "message.echo")]
    Echo(EchoMessage),
    #[serde(rename = "typing")]
    Typing {
        channel: Channel,
        account_id: String,
        contact_id: String,
        state: TypingState,
        /// The provider's id of this event, when it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
    },
    #[serde(rename = "conversation.closed")]
    Closed {
        channel: Channel,
        account_id: String,
        contact_id: String,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
    },
    /// Well-formed, authenticated, but nothing we act on yet (reactions,
    /// account updates, ...). Acknowledged and logged, never a failure.
    #[serde(rename = "unhandled")]
    Unhandled {
        channel: Channel,
        account_id: String,
        kind: String,
    },
}

impl ChannelEvent {
    pub fn channel(&self) -> Channel {
        match self {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => m.channel,
            ChannelEvent::Status(s) => s.channel,
            ChannelEvent::Echo(e) => e.channel,
            ChannelEvent::Typing { channel, .. }
            | ChannelEvent::Closed { channel, .. }
            | ChannelEvent::Unhandled { channel, .. } => *channel,
        }
    }

    pub fn account_id(&self) -> &str {
        match self {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => &m.account_id,
            ChannelEvent::Status(s) => &s.account_id,
            ChannelEvent::Echo(e) => &e.account_id,
            ChannelEvent::Typing { account_id, .. }
            | ChannelEvent::Closed { account_id, .. }
            | ChannelEvent::Unhandled { account_id, .. } => account_id,
        }
    }

    /// The contact the event is about, if any.
    pub fn contact_id(&self) -> Option<&str> {
        match self {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => {
                Some(&m.contact_id)
            }
            ChannelEvent::Status(s) => s.contact_id.as_deref(),
            ChannelEvent::Echo(e) => Some(&e.contact_id),
            ChannelEvent::Typing { contact_id, .. } | ChannelEvent::Closed { contact_id, .. } => {
                Some(contact_id)
            }
            ChannelEvent::Unhandled { .. } => None,
        }
    }

    /// What makes a provider's retry of this event recognisable: the message
    /// id, or for receipts the message id with the status.
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => {
                Some(format!("msg:{}", m.external_id))
            }
            ChannelEvent::Status(s) => Some(format!(
                "status:{}:{}:{}",
                s.external_id.as_deref().unwrap_or_default(),
                s.watermark.unwrap_or_default(),
                s.status.as_str()
            )),
            ChannelEvent::Echo(e) => Some(format!("echo:{}", e.external_id)),
            ChannelEvent::Typing { event_id, .. } | ChannelEvent::Closed { event_id, .. } => {
                event_id.as_ref().map(|id| format!("event:{id}"))
            }
            ChannelEvent::Unhandled { .. } => None,
        }
    }
}

/// A normalized event bound to the tenant that owns its channel account: what
/// the webhook puts on the inbound queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InboundEnvelope {
    pub tenant: TenantId,
    /// The group the channel account routes to; None: the default group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<crate::ids::GroupId>,
    pub received_at: Timestamp,
    pub event: ChannelEvent,
}

/// An operator's message waiting to be sent through its conversation's
/// channel: what the outbound queue carries to the sender function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboundJob {
    pub tenant: TenantId,
    pub conversation: crate::ids::ConversationId,
    pub seq: u64,
    /// The conversation's client, so the sender reads message, conversation
    /// and contact at once. Jobs queued before it existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<crate::ids::VisitorId>,
}
