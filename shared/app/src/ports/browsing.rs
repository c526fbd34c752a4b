//! Browsing history: the latest pages each visitor viewed.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::workspace::PageView;
use switchboard_domain::{TenantId, VisitorId};

#[async_trait]
pub trait BrowsingHistory: Send + Sync {
    /// Adds a page view; the visitor's history keeps at least the newest
    /// [`PageView::KEPT`] (a store may hold a few more until it trims).
    async fn record_page_view(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        view: &PageView,
    ) -> StoreResult<()>;
    /// The newest [`PageView::KEPT`] page views, newest first.
    async fn page_views(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Vec<PageView>>;
}
