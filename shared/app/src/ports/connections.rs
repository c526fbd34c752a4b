//! Open WebSocket connections and who holds them.

use super::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, GroupId, OperatorId, Role, TenantId, Timestamp,
    VisitorId, WidgetEntry, WidgetId,
};

/// Who holds a WebSocket connection, as established at `$connect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Principal {
    Operator {
        id: OperatorId,
        name: String,
        roles: Vec<Role>,
    },
    Visitor {
        id: VisitorId,
        widget: WidgetId,
        /// The group the widget routed to at connect; None: the default group.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<GroupId>,
        /// What the widget offered at connect, so a start is checked
        /// without reading the widget again.
        #[serde(default = "WidgetEntry::all")]
        entries: Vec<WidgetEntry>,
    },
}

impl Principal {
    pub fn key(&self) -> PrincipalRef {
        match self {
            Principal::Operator { id, .. } => PrincipalRef::Operator(id.clone()),
            Principal::Visitor { id, .. } => PrincipalRef::Visitor(id.clone()),
        }
    }
}

/// Enough to find a principal's connections.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalRef {
    Operator(OperatorId),
    Visitor(VisitorId),
}

impl PrincipalRef {
    /// Stable text form used in storage keys.
    pub fn storage_key(&self) -> String {
        match self {
            PrincipalRef::Operator(id) => format!("op:{id}"),
            PrincipalRef::Visitor(id) => format!("vis:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: ConnectionId,
    pub tenant: TenantId,
    pub principal: Principal,
    pub connected_at: Timestamp,
    /// API Gateway closes a connection after two hours; past this the record is dead
    /// even if `$disconnect` never arrived.
    pub expires_at: Timestamp,
    /// A visitor's conversation, once there is one: filled in by the store, so
    /// a visitor's frame finds its conversation without another lookup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationId>,
}

/// An operator whose consoles went quiet, and the connections still
/// counted for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VanishedOperator {
    pub tenant: TenantId,
    pub operator: OperatorId,
    pub connections: Vec<ConnectionId>,
}

/// Open WebSocket connections.
///
/// A conversation's [`Watchers`](switchboard_domain::Watchers) follow from
/// here: a visitor's connection watches the visitor's conversation from
/// `register` on, an operator's watches every conversation assigned to the
/// operator, and `remove_connection` ends both.
#[async_trait]
pub trait ConnectionRegistry: Send + Sync {
    /// Stores the connection and returns it as stored: a visitor's with their
    /// current conversation, if they have one.
    async fn register(&self, connection: &Connection) -> StoreResult<Connection>;
    /// None if unknown or expired at `now`.
    async fn connection(
        &self,
        id: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Connection>>;
    /// Removes the record and returns what it was, if it existed; the
    /// connection stops watching anything.
    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>>;
    /// A push found `id` gone and its record was gone first (expired, then
    /// deleted): removes it from what may still list it, the tenant's queue
    /// watchers and, if given, the conversation's watchers.
    async fn forget_gone(
        &self,
        tenant: &TenantId,
        id: &ConnectionId,
        conversation: Option<&Conversation>,
    ) -> StoreResult<()>;
    async fn principal_connections(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>>;
    /// Operators who still hold connections but whose consoles have all
    /// been quiet since before `quiet_since` (no connect, no ping): their
    /// sockets vanished without `$disconnect`. At most `limit`, any tenant;
    /// for the scheduled sweep, never a request path.
    async fn vanished_operators(
        &self,
        quiet_since: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<VanishedOperator>>;
    /// Every live operator connection of the tenant (for queue fan-out).
    async fn operator_connections(
        &self,
        tenant: &TenantId,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>>;
}
