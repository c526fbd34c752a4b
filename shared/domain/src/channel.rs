//! Messaging channels (WhatsApp, Messenger, Instagram, Apple Messages for
//! Business, VK): the channel-neutral events every webhook is normalized into,
//! the contacts who write through them, and the delivery state of what we send.

use crate::conversation::Channel;
use crate::ids::{TenantId, VisitorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What an attachment is. Providers add kinds over time; one we do not know
/// is kept by its name rather than lost.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Who the contact is, as far as the channel tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub struct ContactProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// WhatsApp's business-scoped user id (2026 usernames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_bsuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Apple: which rich message types the device supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// Something the client sent: text, media, an interactive reply, or a
/// placeholder for a type the channel could not render to us.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Stored and waiting for the sender function.
    Queued,
    Sent,
    Failed,
    Delivered,
    Read,
}

impl DeliveryState {
    /// Receipts arrive out of order; a state only ever moves up this ladder.
    /// `failed` outranks `sent` (a failure report follows the send) but not
    /// `delivered`/`read`, which prove the message arrived.
    pub fn rank(self) -> u8 {
        match self {
            DeliveryState::Queued => 0,
            DeliveryState::Sent => 1,
            DeliveryState::Failed => 2,
            DeliveryState::Delivered => 3,
            DeliveryState::Read => 4,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Read => "read",
        }
    }
}

/// A provider's numeric error code, or one of ours where the provider gave none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorCode {
    /// 131047, 551, ...
    Provider(i64),
    /// `http_503`, `window_closed`, `retries_exhausted`, ...
    Ours(String),
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorCode::Provider(c) => write!(f, "{c}"),
            ErrorCode::Ours(c) => f.write_str(c),
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(c: &str) -> Self {
        ErrorCode::Ours(c.to_string())
    }
}

/// Why a send failed, in terms an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct DeliveryError {
    pub code: ErrorCode,
    pub retryable: bool,
    /// What to do next, e.g. `send_approved_template_to_reengage`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Where an outbound message stands with its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub state: DeliveryState,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<DeliveryError>,
}

impl Delivery {
    pub fn queued(at: Timestamp) -> Self {
        Delivery {
            state: DeliveryState::Queued,
            updated_at: at,
            error: None,
        }
    }

    /// True if `next` moves this delivery forward.
    pub fn advances_to(&self, next: DeliveryState) -> bool {
        next.rank() > self.state.rank()
    }
}

/// A delivery receipt: for one message, or for everything up to a watermark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypingState {
    Start,
    End,
}

/// Every webhook is turned into these before anything else happens to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundEnvelope {
    pub tenant: TenantId,
    pub received_at: Timestamp,
    pub event: ChannelEvent,
}

/// An operator's message waiting to be sent through its conversation's
/// channel: what the outbound queue carries to the sender function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboundJob {
    pub tenant: TenantId,
    pub conversation: crate::ids::ConversationId,
    pub seq: u64,
}

/// A person reaching a tenant through one channel account. Their visitor id is
/// derived from the channel identity, so every webhook for them, however
/// concurrent, lands on the same visitor and so on one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub tenant: TenantId,
    pub visitor: VisitorId,
    pub channel: Channel,
    pub account_id: String,
    pub contact_id: String,
    #[serde(default)]
    pub profile: ContactProfile,
    /// The client's latest message: WhatsApp's 24-hour window runs from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound_at: Option<Timestamp>,
}

impl Contact {
    /// WhatsApp only accepts free-form messages this long after the client's
    /// last message; afterwards only approved templates.
    pub const WHATSAPP_WINDOW_SECONDS: u64 = 24 * 3600;

    /// Is a free-form message allowed now?
    pub fn window_open(&self, now: Timestamp) -> bool {
        match self.channel {
            Channel::WhatsApp => self.last_inbound_at.is_some_and(|at| {
                now.millis() < at.plus_seconds(Self::WHATSAPP_WINDOW_SECONDS).millis()
            }),
            _ => true,
        }
    }

    /// Later profile facts win; absent ones keep what we knew.
    pub fn merge(&mut self, newer: &Contact) {
        let p = &newer.profile;
        let mine = &mut self.profile;
        for (slot, value) in [
            (&mut mine.contact_name, &p.contact_name),
            (&mut mine.contact_phone, &p.contact_phone),
            (&mut mine.contact_bsuid, &p.contact_bsuid),
            (&mut mine.locale, &p.locale),
            (&mut mine.device, &p.device),
        ] {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        if p.capabilities.is_some() {
            mine.capabilities.clone_from(&p.capabilities);
        }
        self.last_inbound_at = self.last_inbound_at.max(newer.last_inbound_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(last: Option<u64>) -> Contact {
        Contact {
            tenant: TenantId::parse("t").unwrap(),
            visitor: VisitorId::parse("wa-1").unwrap(),
            channel: Channel::WhatsApp,
            account_id: "a".into(),
            contact_id: "c".into(),
            profile: ContactProfile::default(),
            last_inbound_at: last.map(Timestamp),
        }
    }

    #[test]
    fn whatsapp_window_is_24_hours_from_the_last_inbound_message() {
        let day = 24 * 3600 * 1000;
        assert!(!contact(None).window_open(Timestamp(5)));
        assert!(contact(Some(1000)).window_open(Timestamp(1000 + day - 1)));
        assert!(!contact(Some(1000)).window_open(Timestamp(1000 + day)));
        let mut apple = contact(None);
        apple.channel = Channel::Apple;
        assert!(apple.window_open(Timestamp(u64::MAX / 2)));
    }

    #[test]
    fn delivery_never_moves_backwards() {
        let d = Delivery {
            state: DeliveryState::Delivered,
            updated_at: Timestamp(1),
            error: None,
        };
        assert!(!d.advances_to(DeliveryState::Sent));
        assert!(!d.advances_to(DeliveryState::Failed));
        assert!(d.advances_to(DeliveryState::Read));
        assert!(Delivery::queued(Timestamp(1)).advances_to(DeliveryState::Failed));
    }

    #[test]
    fn merge_keeps_known_facts_and_the_latest_inbound_time() {
        let mut known = contact(Some(50));
        known.profile.contact_name = Some("Ada".into());
        let mut newer = contact(Some(40));
        newer.profile.locale = Some("fr_FR".into());
        known.merge(&newer);
        assert_eq!(known.profile.contact_name.as_deref(), Some("Ada"));
        assert_eq!(known.profile.locale.as_deref(), Some("fr_FR"));
        assert_eq!(known.last_inbound_at, Some(Timestamp(50)));
    }
}
