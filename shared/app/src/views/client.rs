//! The contact panel (`client.preview`) and Unite's events.

use serde::Serialize;
use switchboard_domain::workspace::unite::{ClientCard, Conflict, Suggestion};
use switchboard_domain::workspace::{InfoField, InfoValues, PageView};
use switchboard_domain::{
    Channel, ConversationId, EntryInfo, Message, OperatorId, Timestamp, VisitorId,
};

/// One channel the client wrote from: each is a conversation of theirs.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientChannel {
    pub channel: Channel,
    pub visitor_id: VisitorId,
    pub conversation_id: ConversationId,
}

/// One past or current session of the client, on any of their channels.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PastSession {
    pub conversation_id: ConversationId,
    pub channel: Channel,
    pub number: u32,
    pub enqueued_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// `open`, `missed` (closed before anyone took it), `closed_by_operator`
    /// or `closed_by_client`.
    pub outcome: &'static str,
}

/// Everything the contact panel shows of a conversation's client.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientPreview {
    pub conversation_id: ConversationId,
    /// The client: the contact the others were merged into.
    pub visitor_id: VisitorId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub channels: Vec<ClientChannel>,
    /// Newest first, across every channel.
    pub sessions: Vec<PastSession>,
    pub tags: Vec<String>,
    pub fields: Vec<InfoField>,
    pub info: InfoValues,
    /// How this conversation came in: entry type, language, browser, OS,
    /// widget and page.
    pub call_parameters: EntryInfo,
    /// Newest first, across the client's web visits.
    pub page_views: Vec<PageView>,
    /// The operators' notes in this conversation, oldest first.
    pub notes: Vec<Message>,
    /// The chat so far (the newest page), notes included, oldest first.
    pub messages: Vec<Message>,
    pub has_more: bool,
    /// Other contacts of the tenant with the same phone or e-mail.
    pub suggestions: Vec<Suggestion>,
}

/// What a merge would do: both contacts and where they disagree.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MergePlan {
    pub into: ClientCard,
    pub from: ClientCard,
    pub conflicts: Vec<Conflict>,
}

/// A merge done: the client as it now stands.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Merged {
    pub merge_id: String,
    pub visitor_id: VisitorId,
    pub from_visitor_id: VisitorId,
    pub conversation_id: ConversationId,
    pub from_conversation_id: ConversationId,
    pub client: ClientCard,
}
