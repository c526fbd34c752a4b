//! The widget catalogue as admins manage it. Widget ids are public (they sit
//! in the embed snippet) and unique across the deployment.

use super::{Page, StoreResult};
use async_trait::async_trait;
use switchboard_domain::{TenantId, Widget, WidgetId};

#[async_trait]
pub trait WidgetStore: Send + Sync {
    /// Creates the widget; false, writing nothing, if its id is taken.
    async fn create_widget(&self, widget: &Widget) -> StoreResult<bool>;
    /// Replaces the tenant's widget; false, writing nothing, if the tenant
    /// has no widget of that id.
    async fn replace_widget(&self, widget: &Widget) -> StoreResult<bool>;
    /// Deletes the tenant's widget and returns what it was.
    async fn delete_widget(&self, tenant: &TenantId, id: &WidgetId) -> StoreResult<Option<Widget>>;
    /// The tenant's widgets by id, `limit` at a time from `after`.
    async fn widgets(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Widget>>;
}
