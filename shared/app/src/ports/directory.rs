//! Tenants, their widgets and their operators (with presence and load).

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{
    Account, ConnectionId, Operator, OperatorId, OperatorStatus, Role, StatusChange, Tenant,
    TenantId, TenantSettings, Timestamp, Widget, WidgetId,
};

/// Tenants, widgets and operators.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// Creates or replaces the tenant.
    async fn put_tenant(&self, tenant: &Tenant) -> StoreResult<()>;
    async fn tenant(&self, id: &TenantId) -> StoreResult<Option<Tenant>>;
    /// Replaces the settings of an existing tenant; None if there is no such tenant.
    async fn set_tenant_settings(
        &self,
        id: &TenantId,
        settings: &TenantSettings,
    ) -> StoreResult<Option<Tenant>>;
    /// Creates or replaces the widget.
    async fn put_widget(&self, widget: &Widget) -> StoreResult<()>;
    async fn widget(&self, id: &WidgetId) -> StoreResult<Option<Widget>>;
    /// Sets the sites that may open the widget's visitor sockets, in one
    /// write and only if the widget is the tenant's; None otherwise.
    async fn set_widget_origins(
        &self,
        tenant: &TenantId,
        id: &WidgetId,
        origins: &[String],
    ) -> StoreResult<Option<Widget>>;

    async fn operator(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Operator>>;
    /// The operator's account, if they have one (see [`crate::ports::AccountStore`]):
    /// what `$connect` and the admin API check a signed-in token against.
    async fn account(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Account>>;
    /// Creates the operator on first sight; counts one more open connection and
    /// brings an offline operator online (an away one stays away). The name
    /// and roles are the latest token's. A connect is a sign of life, as
    /// [`operator_seen`](Self::operator_seen) records it. Every status change here and below
    /// is logged at `now` in the same write (see [`status_log`](Self::status_log)).
    async fn operator_connected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
        roles: &[Role],
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Operator>;
    /// Counts one connection fewer; the last one going takes the operator offline.
    async fn operator_disconnected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>>;
    /// The operator's status changes, oldest first: what the time-in-status
    /// report is computed from ([`switchboard_domain::time_in_status`]).
    async fn status_log(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Vec<StatusChange>>;
    /// A console of the operator showed it is alive (a connect or a ping).
    async fn operator_seen(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// None if the operator was never seen.
    async fn set_operator_status(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        status: OperatorStatus,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>>;
}
