//! A conversation as a list shows it: enough to pick one, not its history.

use serde::Serialize;
use switchboard_domain::workspace::Progress;
use switchboard_domain::{
    Channel, Conversation, ConversationId, ConversationStatus, GroupId, OperatorId, Sla, Timestamp,
};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub channel: Channel,
    pub status: ConversationStatus,
    pub progress: Progress,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorId>,
    pub group: GroupId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub language: String,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<Sla>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl From<Conversation> for ConversationSummary {
    fn from(c: Conversation) -> Self {
        ConversationSummary {
            id: c.id,
            channel: c.channel,
            status: c.status,
            progress: c.progress,
            operator: c.operator,
            group: c.group,
            name: c.entry.name,
            phone: c.entry.phone,
            language: c.entry.language,
            created_at: c.created_at,
            last_activity_at: c.last_activity_at,
            sla: c.sla,
            tags: c.tags,
        }
    }
}
