//! The audit log, newest first.

use super::{bodies, to_json, widgets::page_of, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::params;
use switchboard_app::ports::{AuditEntry, AuditLog, Page, StoreResult};
use switchboard_domain::TenantId;

#[async_trait]
impl AuditLog for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %entry.tenant))]
    async fn record(&self, entry: &AuditEntry) -> StoreResult<()> {
        let (t, id, body) = (entry.tenant.to_string(), entry.id.clone(), to_json(entry)?);
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO audit_log (tenant, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, id) DO NOTHING",
                params![t, id, body],
            )
            .map_err(super::backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn audit_entries(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<AuditEntry>> {
        // Ids are ULIDs, so their order is time order; "~" sorts after any.
        let (t, after) = (tenant.to_string(), after.unwrap_or("~").to_string());
        let rows = self
            .tx(move |tx| {
                bodies::<AuditEntry>(
                    tx,
                    "SELECT body FROM audit_log WHERE tenant = ?1 AND id < ?2
                     ORDER BY id DESC LIMIT ?3",
                    params![t, after, (limit + 1) as i64],
                )
            })
            .await?;
        Ok(page_of(rows, limit, |e| e.id.clone()))
    }
}
