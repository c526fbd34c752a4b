//! The payloads of the workspace actions: text blocks found by `#` and
//! inserted with their placeholders filled, and a client's additional
//! information.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use switchboard_domain::ConversationId;

/// `#` and what follows it: blocks in the conversation's language (or
/// `language`), best first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsertTextBlock {
    pub block_id: String,
    pub conversation_id: ConversationId,
}

/// A visitor's widget reports the page they are on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewPage {
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
}

/// The client of a conversation: their additional information, and with
/// `values` a change to it (a null value clears a field).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientInfo {
    pub conversation_id: ConversationId,
    #[serde(default)]
    pub values: Option<BTreeMap<String, Value>>,
}
