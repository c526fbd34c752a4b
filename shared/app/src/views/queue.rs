//! The queue and the operators as consoles see them: a waiting
//! conversation with its place, a change to a queue, an operator's load.

use serde::Serialize;
use switchboard_domain::{
    Conversation, ConversationId, Operator, OperatorId, OperatorStatus, Role,
};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueEntry {
    pub conversation: Conversation,
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperatorView {
    pub id: OperatorId,
    pub name: String,
    pub status: OperatorStatus,
    pub active_chats: u32,
    pub in_video_call: bool,
    pub max_chats: u32,
    pub roles: Vec<Role>,
}

impl OperatorView {
    pub fn new(op: &Operator, max_chats: u32, roles: Vec<Role>) -> Self {
        OperatorView {
            id: op.id.clone(),
            name: op.name.clone(),
            status: op.status,
            active_chats: op.active_chats,
            in_video_call: op.in_video_call,
            max_chats,
            roles,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QueueUpdate {
    Added,
    Removed,
}

/// One conversation's change in a `queue.updated`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueUpdated {
    pub change: QueueUpdate,
    pub conversation_id: ConversationId,
    /// Its place and details while it waits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<QueueEntry>,
}
