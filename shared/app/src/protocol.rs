//! The WebSocket protocol: client actions in, server events out. `docs/protocol.md`
//! is the human description of the same; keep them in step.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_domain::{ClientMessageId, ConversationId, EntryInfo, MessageText, OperatorStatus};

pub mod asyncapi;
mod cards;
mod fields;
mod routing;
pub mod schema;
mod workspace;
pub use cards::*;
pub use fields::parse_fields;
use fields::{fields, invalid};
pub use routing::*;
pub use workspace::*;

/// API Gateway's limit for one WebSocket message (frames join up to this).
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024;
/// API Gateway's limit for one WebSocket frame.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;
pub const MAX_HISTORY_PAGE: u32 = 100;
pub const DEFAULT_HISTORY_PAGE: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("message is {size} bytes; the limit is {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("message is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("unknown action '{0}'")]
    UnknownAction(String),
    #[error("field '{field}' {reason}")]
    InvalidField { field: String, reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartConversation {
    pub entry: EntryInfo,
    /// A six-digit code from an operator: the conversation goes to them.
    #[serde(default)]
    pub invitation_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendMessage {
    /// Visitors may leave it out: they have one current conversation.
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    pub client_message_id: ClientMessageId,
    pub text: MessageText,
}

/// An internal note: stored in the conversation's order, seen by operators only.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddNote {
    pub conversation_id: ConversationId,
    pub client_message_id: ClientMessageId,
    pub text: MessageText,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Typing {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    pub typing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct History {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    #[serde(default)]
    pub before: Option<u64>,
    #[serde(default)]
    pub limit: Option<HistoryLimit>,
}

/// How many messages one `history` page may ask for: 1 to [`MAX_HISTORY_PAGE`].
/// Out of range is refused, not clamped, so a client learns its mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "u32")]
pub struct HistoryLimit(u32);

impl HistoryLimit {
    pub const DEFAULT: HistoryLimit = HistoryLimit(DEFAULT_HISTORY_PAGE);

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for HistoryLimit {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, String> {
        if (1..=MAX_HISTORY_PAGE).contains(&n) {
            Ok(HistoryLimit(n))
        } else {
            Err(format!("must be 1 to {MAX_HISTORY_PAGE}"))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationRef {
    pub conversation_id: ConversationId,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionalConversationRef {
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetStatus {
    pub status: SettableStatus,
}

/// Offline is what disconnecting means; it cannot be chosen while connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SettableStatus {
    Online,
    Away,
}

impl From<SettableStatus> for OperatorStatus {
    fn from(s: SettableStatus) -> Self {
        match s {
            SettableStatus::Online => OperatorStatus::Online,
            SettableStatus::Away => OperatorStatus::Away,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    pub max_chats: u32,
    /// Unchanged if absent.
    #[serde(default)]
    pub transfer_timeout_seconds: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Hello,
    Ping,
    StartConversation(StartConversation),
    SendMessage(SendMessage),
    AddNote(AddNote),
    Typing(Typing),
    History(History),
    ListQueue,
    Preview(ConversationRef),
    Accept(ConversationRef),
    Close(OptionalConversationRef),
    SetStatus(SetStatus),
    UpdateSettings(UpdateSettings),
    PutGroup(PutGroup),
    ListGroups,
    PutSlaRules(PutSlaRules),
    ListSlaRules,
    Transfer(Transfer),
    /// A waiting conversation sent elsewhere from the preview; the same
    /// fields as a transfer.
    Redirect(Transfer),
    DeclineTransfer(DeclineTransfer),
    AdminAssign(AdminAssign),
    CreateInvitation(CreateInvitation),
    SubmitOffline(SubmitOffline),
    OthersConversations(OperatorRef),
    RouteWidget(RouteWidget),
    SetWidgetOrigins(SetWidgetOrigins),
    TagClient(TagClient),
    PutCard(Box<PutCard>),
    ListCards(ListCards),
    PreviewCard(PreviewCard),
    SendCard(SendCard),
    ResolveCard(ResolveCard),
    GetCard(CardRef),
    PutTemplate(PutTemplate),
    ListTemplates(ListTemplates),
    PreviewTemplate(UseTemplate),
    SendTemplate(UseTemplate),
    SyncTemplates,
    SearchTextBlocks(SearchTextBlocks),
    InsertTextBlock(InsertTextBlock),
    ClientInfo(ClientInfo),
    ViewPage(ViewPage),
    ClientPages(ConversationRef),
    SetProgress(SetProgress),
    ListConversations(ListConversations),
    SearchConversations(SearchConversations),
    /// The same fields as `client.tags`, on the conversation itself.
    TagConversation(TagClient),
    ClientPreview(ConversationRef),
    PlanMerge(MergeClients),
    MergeClients(MergeClients),
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Hello => "hello",
            Action::Ping => "ping",
            Action::StartConversation(_) => "conversation.start",
            Action::SendMessage(_) => "message.send",
            Action::AddNote(_) => "note.add",
            Action::Typing(_) => "typing",
            Action::History(_) => "history",
            Action::ListQueue => "queue.list",
            Action::Preview(_) => "conversation.preview",
            Action::Accept(_) => "conversation.accept",
            Action::Close(_) => "conversation.close",
            Action::SetStatus(_) => "operator.status",
            Action::UpdateSettings(_) => "tenant.settings",
            Action::PutGroup(_) => "group.put",
            Action::ListGroups => "group.list",
            Action::PutSlaRules(_) => "sla.put",
            Action::ListSlaRules => "sla.list",
            Action::Transfer(_) => "conversation.transfer",
            Action::Redirect(_) => "conversation.redirect",
            Action::DeclineTransfer(_) => "transfer.decline",
            Action::AdminAssign(_) => "conversation.assign",
            Action::CreateInvitation(_) => "invitation.create",
            Action::SubmitOffline(_) => "offline.submit",
            Action::OthersConversations(_) => "operator.conversations",
            Action::RouteWidget(_) => "widget.route",
            Action::SetWidgetOrigins(_) => "widget.origins",
            Action::TagClient(_) => "client.tags",
            Action::PutCard(_) => "card.put",
            Action::ListCards(_) => "card.list",
            Action::PreviewCard(_) => "card.preview",
            Action::SendCard(_) => "card.send",
            Action::ResolveCard(_) => "card.resolve",
            Action::GetCard(_) => "card.get",
            Action::PutTemplate(_) => "template.put",
            Action::ListTemplates(_) => "template.list",
            Action::PreviewTemplate(_) => "template.preview",
            Action::SendTemplate(_) => "template.send",
            Action::SyncTemplates => "template.sync",
            Action::SearchTextBlocks(_) => "textblock.search",
            Action::InsertTextBlock(_) => "textblock.insert",
            Action::ClientInfo(_) => "client.info",
            Action::ViewPage(_) => "page.view",
            Action::ClientPages(_) => "client.pages",
            Action::ClientPreview(_) => "client.preview",
            Action::PlanMerge(_) => "client.merge.plan",
            Action::MergeClients(_) => "client.merge",
            Action::SetProgress(_) => "conversation.progress",
            Action::ListConversations(_) => "conversation.list",
            Action::SearchConversations(_) => "conversation.search",
            Action::TagConversation(_) => "conversation.tags",
        }
    }
}

/// A parsed client frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: Action,
    /// Echoed on every event answering this request, so clients can correlate.
    pub request_id: Option<String>,
}

/// Parses one client frame. Errors say which field is wrong so the widget or
/// console developer can fix their client.
pub fn parse_request(raw: &str) -> Result<Request, (ProtocolError, Option<String>)> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err((
            ProtocolError::TooLarge {
                size: raw.len(),
                limit: MAX_MESSAGE_BYTES,
            },
            None,
        ));
    }
    let value: Value = serde_json::from_str(raw)
        .map_err(|e| (ProtocolError::MalformedJson(e.to_string()), None))?;
    let Value::Object(ref object) = value else {
        return Err((
            ProtocolError::MalformedJson("expected a JSON object".into()),
            None,
        ));
    };
    let request_id = match object.get("requestId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= 128 => Some(s.clone()),
        Some(_) => {
            return Err((
                invalid("requestId", "must be a string of at most 128 characters"),
                None,
            ))
        }
    };
    let fail = |e: ProtocolError| (e, request_id.clone());
    let name = match object.get("action") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(fail(invalid("action", "must be a string"))),
        None => return Err(fail(invalid("action", "is required"))),
    };
    let action = match name {
        "hello" => Action::Hello,
        "ping" => Action::Ping,
        "conversation.start" => Action::StartConversation(fields(&value).map_err(fail)?),
        "message.send" => Action::SendMessage(fields(&value).map_err(fail)?),
        "note.add" => Action::AddNote(fields(&value).map_err(fail)?),
        "typing" => Action::Typing(fields(&value).map_err(fail)?),
        "history" => Action::History(fields(&value).map_err(fail)?),
        "queue.list" => Action::ListQueue,
        "conversation.preview" => Action::Preview(fields(&value).map_err(fail)?),
        "conversation.accept" => Action::Accept(fields(&value).map_err(fail)?),
        "conversation.close" => Action::Close(fields(&value).map_err(fail)?),
        "operator.status" => Action::SetStatus(fields(&value).map_err(fail)?),
        "tenant.settings" => Action::UpdateSettings(fields(&value).map_err(fail)?),
        "group.put" => Action::PutGroup(fields(&value).map_err(fail)?),
        "group.list" => Action::ListGroups,
        "sla.put" => Action::PutSlaRules(fields(&value).map_err(fail)?),
        "sla.list" => Action::ListSlaRules,
        "conversation.transfer" => Action::Transfer(fields(&value).map_err(fail)?),
        "conversation.redirect" => Action::Redirect(fields(&value).map_err(fail)?),
        "transfer.decline" => Action::DeclineTransfer(fields(&value).map_err(fail)?),
        "conversation.assign" => Action::AdminAssign(fields(&value).map_err(fail)?),
        "invitation.create" => Action::CreateInvitation(fields(&value).map_err(fail)?),
        "offline.submit" => Action::SubmitOffline(fields(&value).map_err(fail)?),
        "operator.conversations" => Action::OthersConversations(fields(&value).map_err(fail)?),
        "widget.route" => Action::RouteWidget(fields(&value).map_err(fail)?),
        "widget.origins" => Action::SetWidgetOrigins(fields(&value).map_err(fail)?),
        "client.tags" => Action::TagClient(fields(&value).map_err(fail)?),
        "card.put" => Action::PutCard(Box::new(fields(&value).map_err(fail)?)),
        "card.list" => Action::ListCards(fields(&value).map_err(fail)?),
        "card.preview" => Action::PreviewCard(fields(&value).map_err(fail)?),
        "card.send" => Action::SendCard(fields(&value).map_err(fail)?),
        "card.resolve" => Action::ResolveCard(fields(&value).map_err(fail)?),
        "card.get" => Action::GetCard(fields(&value).map_err(fail)?),
        "template.put" => Action::PutTemplate(fields(&value).map_err(fail)?),
        "template.list" => Action::ListTemplates(fields(&value).map_err(fail)?),
        "template.preview" => Action::PreviewTemplate(fields(&value).map_err(fail)?),
        "template.send" => Action::SendTemplate(fields(&value).map_err(fail)?),
        "template.sync" => Action::SyncTemplates,
        "textblock.search" => Action::SearchTextBlocks(fields(&value).map_err(fail)?),
        "textblock.insert" => Action::InsertTextBlock(fields(&value).map_err(fail)?),
        "client.info" => Action::ClientInfo(fields(&value).map_err(fail)?),
        "page.view" => Action::ViewPage(fields(&value).map_err(fail)?),
        "client.pages" => Action::ClientPages(fields(&value).map_err(fail)?),
        "conversation.progress" => Action::SetProgress(fields(&value).map_err(fail)?),
        "conversation.list" => Action::ListConversations(fields(&value).map_err(fail)?),
        "conversation.search" => Action::SearchConversations(fields(&value).map_err(fail)?),
        "conversation.tags" => Action::TagConversation(fields(&value).map_err(fail)?),
        "client.preview" => Action::ClientPreview(fields(&value).map_err(fail)?),
        "client.merge.plan" => Action::PlanMerge(fields(&value).map_err(fail)?),
        "client.merge" => Action::MergeClients(fields(&value).map_err(fail)?),
        other => {
            let shown: String = other.chars().take(64).collect();
            return Err(fail(ProtocolError::UnknownAction(shown)));
        }
    };
    Ok(Request { action, request_id })
}

/// A server event with the request id it answers, if any.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Envelope<'a, E: Serialize> {
    #[serde(flatten)]
    pub event: &'a E,
    #[serde(rename = "requestId", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<&'a str>,
}

#[cfg(test)]
#[path = "protocol/tests.rs"]
mod tests;
