//! Offline requests and their mailing claims.

use super::{backend, from_json, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{OfflineStore, StoreResult};
use switchboard_domain::{OfflineRequest, TenantId, Timestamp};

#[async_trait]
impl OfflineStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %request.tenant))]
    async fn put_offline_request(&self, request: &OfflineRequest) -> StoreResult<()> {
        let (t, id, body) = (
            request.tenant.to_string(),
            request.id.clone(),
            to_json(request)?,
        );
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO offline_requests (tenant, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, id) DO NOTHING",
                params![t, id, body],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn offline_request(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<OfflineRequest>> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.query_row_cached(
                "SELECT body FROM offline_requests WHERE tenant = ?1 AND id = ?2",
                params![t, id],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b))
            .transpose()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn claim_mailing(
        &self,
        tenant: &TenantId,
        id: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let claimed = tx
                .execute_cached(
                    "UPDATE offline_requests SET claimed_at = ?3
                     WHERE tenant = ?1 AND id = ?2 AND claimed_at IS NULL",
                    params![t, id, now.millis() as i64],
                )
                .map_err(backend)?;
            Ok(claimed == 1)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn release_mailing(&self, tenant: &TenantId, id: &str) -> StoreResult<()> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.execute_cached(
                "UPDATE offline_requests SET claimed_at = NULL WHERE tenant = ?1 AND id = ?2",
                params![t, id],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
