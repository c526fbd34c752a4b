//! Invitations and guess counters.

use super::{backend, corrupt, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{InvitationStore, StoreResult};
use switchboard_domain::{Invitation, OperatorId, TenantId, Timestamp};

#[async_trait]
impl InvitationStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %invitation.tenant))]
    async fn put_invitation(&self, invitation: &Invitation, now: Timestamp) -> StoreResult<bool> {
        let i = invitation.clone();
        self.tx(move |tx| {
            // A used or expired invitation under the same digest is replaced.
            let written = tx
                .execute_cached(
                    "INSERT INTO invitations (tenant, digest, operator, expires_at, used)
                     VALUES (?1, ?2, ?3, ?4, 0)
                     ON CONFLICT (tenant, digest) DO UPDATE SET
                       operator = excluded.operator, expires_at = excluded.expires_at, used = 0
                     WHERE invitations.used = 1 OR invitations.expires_at <= ?5",
                    params![
                        i.tenant.as_str(),
                        i.digest,
                        i.operator.as_str(),
                        i.expires_at.millis() as i64,
                        now.millis() as i64
                    ],
                )
                .map_err(backend)?;
            Ok(written == 1)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn consume_invitation(
        &self,
        tenant: &TenantId,
        digest: &str,
        now: Timestamp,
    ) -> StoreResult<Option<OperatorId>> {
        let (t, d) = (tenant.to_string(), digest.to_string());
        self.tx(move |tx| {
            tx.query_row_cached(
                "UPDATE invitations SET used = 1
                 WHERE tenant = ?1 AND digest = ?2 AND used = 0 AND expires_at > ?3
                 RETURNING operator",
                params![t, d, now.millis() as i64],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|o| OperatorId::parse(o).map_err(corrupt))
            .transpose()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn attempt_counts(&self, keys: &[String], now: Timestamp) -> StoreResult<Vec<u32>> {
        let keys = keys.to_vec();
        self.tx(move |tx| {
            keys.iter()
                .map(|k| {
                    tx.query_row_cached(
                        "SELECT count FROM attempts WHERE key = ?1 AND expires_at > ?2",
                        params![k, now.millis() as i64],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()
                    .map_err(backend)
                    .map(|c| c.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32)
                })
                .collect()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn count_attempt(&self, keys: &[(String, Timestamp)]) -> StoreResult<()> {
        let keys = keys.to_vec();
        self.tx(move |tx| {
            for (key, expires_at) in &keys {
                tx.execute_cached(
                    "INSERT INTO attempts (key, count, expires_at) VALUES (?1, 1, ?2)
                     ON CONFLICT (key) DO UPDATE SET count = count + 1",
                    params![key, expires_at.millis() as i64],
                )
                .map_err(backend)?;
            }
            Ok(())
        })
        .await
    }
}
