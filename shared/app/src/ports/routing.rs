//! Groups of operators and what automatic routing reads: the tenant's
//! groups, operators and capacity in one go.

use super::{StoreError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::estimate::{GroupLoad, HandlingBucket};
use switchboard_domain::{
    ConnectionId, Group, GroupId, Operator, OperatorId, SlaRule, TenantId, TenantSettings, Widget,
    WidgetId,
};

/// An operator as read for routing, with what a conditional assignment
/// checks against (their connection count) and pushes to (their tabs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorSnapshot {
    pub operator: Operator,
    /// How many connections the store counts; an assignment is conditioned
    /// on it, so a tab opened or closed meanwhile makes it decide again.
    pub connection_count: u64,
    /// Their open tabs (may name one that has closed since).
    pub connections: Vec<ConnectionId>,
}

/// Everything routing decides on for one tenant, read together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutingSnapshot {
    pub settings: TenantSettings,
    /// The tenant's groups, the default one always among them.
    pub groups: Vec<Group>,
    pub operators: Vec<OperatorSnapshot>,
    /// The tenant's SLA rules, in the order they are tried.
    pub sla_rules: Vec<SlaRule>,
    /// Recent handling times per group and hour (a store may hold older
    /// ones until they expire; the estimate picks its window).
    pub handling: Vec<HandlingBucket>,
    /// Per group, the load the waiting visitors' estimates were last
    /// recomputed with (see [`RoutingStore::announce_load`]).
    pub announced: Vec<(GroupId, GroupLoad)>,
}

impl RoutingSnapshot {
    pub fn group(&self, id: &GroupId) -> Option<&Group> {
        self.groups.iter().find(|g| &g.id == id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error("unknown operator {0}")]
    UnknownOperator(OperatorId),
    #[error("unknown group")]
    UnknownGroup,
    #[error("unknown widget")]
    UnknownWidget,
    #[error("group has no members")]
    EmptyGroup,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Groups, widget routing and the reads automatic routing decides on.
#[async_trait]
pub trait RoutingStore: Send + Sync {
    /// Creates or replaces the group, atomically with a check that every
    /// member is an operator of the tenant.
    ///
    /// # Errors
    /// `UnknownOperator` naming the first member that is not one; nothing
    /// is written then.
    async fn put_group(&self, group: &Group) -> Result<(), RoutingError>;
    /// Deletes the tenant's group and returns it as it was; None when there
    /// was none. What still routes to it is the caller's to check first.
    async fn delete_group(&self, tenant: &TenantId, group: &GroupId) -> StoreResult<Option<Group>>;
    /// The tenant's groups by id, the default group always among them.
    async fn groups(&self, tenant: &TenantId) -> StoreResult<Vec<Group>>;
    /// Routes the tenant's widget to a group, and sets (or with None
    /// clears) the address its offline forms go to, atomically with a check
    /// that the group exists and has members (the default group always does).
    ///
    /// # Errors
    /// `UnknownWidget` (also for another tenant's), `UnknownGroup`, `EmptyGroup`.
    async fn route_widget(
        &self,
        tenant: &TenantId,
        widget: &WidgetId,
        group: &GroupId,
        offline_email: Option<&str>,
    ) -> Result<Widget, RoutingError>;
    /// The tenant's settings, groups and operators in as few reads as the
    /// store allows (one Query on DynamoDB), strongly consistent.
    async fn routing(&self, tenant: &TenantId) -> StoreResult<RoutingSnapshot>;
    /// Replaces the tenant's SLA rules (already validated) with `rules`.
    async fn put_sla_rules(&self, tenant: &TenantId, rules: &[SlaRule]) -> StoreResult<()>;
    /// Remembers the load a group's wait estimates were told with, so the
    /// next change of capacity tells only those whose estimate moved.
    async fn announce_load(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        load: GroupLoad,
    ) -> StoreResult<()>;
    /// Tenants with at least one group under automatic routing: what the
    /// scheduled sweep visits.
    async fn auto_routed_tenants(&self) -> StoreResult<Vec<TenantId>>;
}
