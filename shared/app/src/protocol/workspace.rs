//! The payloads of the workspace actions: text blocks found by `#` and
//! inserted with their placeholders filled, and a client's additional
//! information.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use switchboard_domain::ConversationId;

/// `#` and what follows it: blocks in the conversation's language (or
/// `language`), best first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchTextBlocks {
    /// What was typed after `#`; empty lists blocks by name.
    #[serde(default)]
    pub query: String,
    /// Whose language to search in.
    #[serde(default)]
    pub conversation_id: Option<ConversationId>,
    /// A language tag instead of the conversation's; neither: every language.
    #[serde(default)]
    pub language: Option<String>,
    /// 1 to 20; 10 by default.
    #[serde(default)]
    pub limit: Option<u64>,
}

/// A block chosen: its text with the placeholders of this conversation
/// filled, for the operator to edit and send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InsertTextBlock {
    pub block_id: String,
    pub conversation_id: ConversationId,
}

/// A visitor's widget reports the page they are on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ViewPage {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
}

/// The client of a conversation: their additional information, and with
/// `values` a change to it (a null value clears a field).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientInfo {
    pub conversation_id: ConversationId,
    #[serde(default)]
    pub values: Option<BTreeMap<String, Value>>,
}

/// An operator marks where they stand with a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetProgress {
    pub conversation_id: ConversationId,
    pub progress: switchboard_domain::workspace::Progress,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListState {
    #[default]
    Open,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProgressFilter {
    #[default]
    Unread,
    Unresolved,
    Done,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListScope {
    #[default]
    Mine,
    Unassigned,
    /// One colleague's (`operatorId`): "Others".
    Operator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ListSort {
    #[default]
    Newest,
    /// Nearest SLA deadline first; open lists only.
    Sla,
}

/// The console's conversation lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListConversations {
    #[serde(default)]
    pub state: ListState,
    #[serde(default)]
    pub progress: ProgressFilter,
    #[serde(default)]
    pub scope: ListScope,
    #[serde(default)]
    pub operator_id: Option<switchboard_domain::OperatorId>,
    #[serde(default)]
    pub channel: Option<switchboard_domain::Channel>,
    #[serde(default)]
    pub sort: ListSort,
    #[serde(default)]
    pub cursor: Option<String>,
    /// 1 to 50; 20 by default.
    #[serde(default)]
    pub limit: Option<u64>,
}

/// Conversations found by a client's name or phone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchConversations {
    pub query: String,
    /// 1 to 50; 20 by default.
    #[serde(default)]
    pub limit: Option<u64>,
}

/// Unite: the client of `fromConversationId` (B) merged into the client of
/// `conversationId` (A). `choose` settles each field they disagree on
/// (`name`, `phone`, `email`, `info.<key>`) with `"into"` (A's) or
/// `"from"` (B's); `client.merge.plan` shows those fields first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MergeClients {
    pub conversation_id: ConversationId,
    pub from_conversation_id: ConversationId,
    #[serde(default)]
    pub choose: BTreeMap<String, switchboard_domain::workspace::Side>,
}
