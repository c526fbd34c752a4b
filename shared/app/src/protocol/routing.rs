//! The payloads of the routing actions: groups and widget routes, transfers,
//! admin assignment, invitation codes, the offline form and the admin's
//! "Others" view. `protocol.rs` parses them like every other action.

use serde::Deserialize;
use switchboard_domain::{
    BusinessHours, ConversationId, EntryType, GroupId, OperatorId, RoutingPolicy, SlaRule, WidgetId,
};

/// An admin replaces the tenant's SLA rules, in the order they are tried.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutSlaRules {
    pub rules: Vec<SlaRule>,
}

/// An operator asks for an invitation code for a client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvitation {
    /// How long the code is valid: 1 to 1,440 minutes, 30 by default.
    #[serde(default)]
    pub valid_minutes: Option<u64>,
}

/// An admin defines a group (or the default group's policy).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutGroup {
    pub group_id: GroupId,
    pub name: String,
    #[serde(default)]
    pub members: Vec<OperatorId>,
    #[serde(default)]
    pub policy: RoutingPolicy,
    /// None: always open.
    #[serde(default)]
    pub hours: Option<BusinessHours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteWidget {
    pub widget_id: WidgetId,
    pub group_id: GroupId,
    /// Where the widget's offline forms are e-mailed; absent: stored only.
    #[serde(default)]
    pub offline_email: Option<String>,
}

/// An operator tags the client of a conversation they may open.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TagClient {
    pub conversation_id: ConversationId,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub remove: Vec<String>,
}

/// An admin names the sites that may open a widget's visitor sockets
/// (empty: any).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetWidgetOrigins {
    pub widget_id: WidgetId,
    pub allowed_origins: Vec<String>,
}

/// Hands an active conversation to another operator or a group. Exactly one
/// of `toOperatorId` and `toGroupId`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub conversation_id: ConversationId,
    #[serde(default)]
    pub to_operator_id: Option<OperatorId>,
    #[serde(default)]
    pub to_group_id: Option<GroupId>,
    /// Internal: operators only, never shown to the client.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The addressed operator turns a transfer down; it returns to its group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeclineTransfer {
    pub conversation_id: ConversationId,
    #[serde(default)]
    pub reason: Option<String>,
}

/// An admin gives a waiting conversation to an operator.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminAssign {
    pub conversation_id: ConversationId,
    pub operator_id: OperatorId,
}

/// A client's offline form, when the service was offline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOffline {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// What the client was starting when told the service is offline.
    #[serde(default)]
    pub entry_type: Option<EntryType>,
}

/// Names an operator (the admin's "Others" view).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperatorRef {
    pub operator_id: OperatorId,
}

/// The longest decline reason.
pub const MAX_DECLINE_REASON: usize = 500;
