//! Browsing history: a row per page view, the visitor's rows beyond the
//! newest kept deleted in the same transaction as each insert.

use super::{backend, from_json, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::params;
use switchboard_app::ports::{BrowsingHistory, StoreResult};
use switchboard_domain::workspace::PageView;
use switchboard_domain::{TenantId, VisitorId};

#[async_trait]
impl BrowsingHistory for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn record_page_view(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        view: &PageView,
    ) -> StoreResult<()> {
        let (tenant, visitor, body) = (tenant.to_string(), visitor.to_string(), to_json(view)?);
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO page_views (tenant, visitor, body) VALUES (?1, ?2, ?3)",
                params![tenant, visitor, body],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "DELETE FROM page_views WHERE tenant = ?1 AND visitor = ?2 AND id NOT IN
                 (SELECT id FROM page_views WHERE tenant = ?1 AND visitor = ?2
                  ORDER BY id DESC LIMIT ?3)",
                params![tenant, visitor, PageView::KEPT as i64],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn page_views(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Vec<PageView>> {
        let (tenant, visitor) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM page_views WHERE tenant = ?1 AND visitor = ?2
                     ORDER BY id DESC LIMIT ?3",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![tenant, visitor, PageView::KEPT as i64], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(backend)?;
            rows.map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
                .collect()
        })
        .await
    }
}
