//! Refresh-token families and one-time links, stored by digest.

use super::{backend, body, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_app::ports::{Grant, Rotation, SessionStore, StoreError, StoreResult};
use switchboard_domain::{OneTimeLink, OperatorId, TenantId, Timestamp};

struct TokenRow {
    family: String,
    tenant: String,
    operator: String,
    expires_at: i64,
    spent: bool,
    ended: bool,
}

fn token_row(tx: &Connection, digest: &str) -> StoreResult<Option<TokenRow>> {
    tx.query_row_cached(
        "SELECT r.family, f.tenant, f.operator, r.expires_at, r.spent, f.ended
         FROM refresh_tokens r JOIN session_families f ON f.id = r.family
         WHERE r.digest = ?1",
        [digest],
        |r| {
            Ok(TokenRow {
                family: r.get(0)?,
                tenant: r.get(1)?,
                operator: r.get(2)?,
                expires_at: r.get(3)?,
                spent: r.get::<_, i64>(4)? != 0,
                ended: r.get::<_, i64>(5)? != 0,
            })
        },
    )
    .optional()
    .map_err(backend)
}

impl TokenRow {
    fn grant(&self, expires_at: Timestamp) -> StoreResult<Grant> {
        let corrupt = |e: switchboard_domain::ids::IdError| StoreError::Corrupt(e.to_string());
        Ok(Grant {
            tenant: TenantId::parse(self.tenant.clone()).map_err(corrupt)?,
            operator: OperatorId::parse(self.operator.clone()).map_err(corrupt)?,
            family: self.family.clone(),
            expires_at,
        })
    }
}

fn end_family(tx: &Connection, family: &str) -> StoreResult<()> {
    tx.execute_cached(
        "UPDATE session_families SET ended = 1 WHERE id = ?1",
        [family],
    )
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl SessionStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %grant.tenant, operator = %grant.operator))]
    async fn start_session(&self, token_digest: &str, grant: &Grant) -> StoreResult<()> {
        let (d, g) = (token_digest.to_string(), grant.clone());
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO session_families (id, tenant, operator) VALUES (?1, ?2, ?3)",
                params![g.family, g.tenant.as_str(), g.operator.as_str()],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "INSERT INTO refresh_tokens (digest, family, expires_at) VALUES (?1, ?2, ?3)",
                params![d, g.family, g.expires_at.millis() as i64],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn rotate(
        &self,
        old_digest: &str,
        new_digest: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<Rotation> {
        let (old, new) = (old_digest.to_string(), new_digest.to_string());
        self.tx(move |tx| {
            let Some(row) = token_row(tx, &old)? else {
                return Ok(Rotation::Unknown);
            };
            if row.expires_at as u64 <= now.millis() {
                return Ok(Rotation::Unknown);
            }
            if row.spent || row.ended {
                end_family(tx, &row.family)?;
                return Ok(Rotation::Reused(
                    row.grant(Timestamp(row.expires_at as u64))?,
                ));
            }
            tx.execute_cached(
                "UPDATE refresh_tokens SET spent = 1 WHERE digest = ?1",
                [&old],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "INSERT INTO refresh_tokens (digest, family, expires_at) VALUES (?1, ?2, ?3)",
                params![new, row.family, expires_at.millis() as i64],
            )
            .map_err(backend)?;
            Ok(Rotation::Rotated(row.grant(expires_at)?))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn end_session(&self, token_digest: &str) -> StoreResult<Option<Grant>> {
        let d = token_digest.to_string();
        self.tx(move |tx| {
            let Some(row) = token_row(tx, &d)? else {
                return Ok(None);
            };
            end_family(tx, &row.family)?;
            Ok(Some(row.grant(Timestamp(row.expires_at as u64))?))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %operator))]
    async fn end_sessions_of(&self, tenant: &TenantId, operator: &OperatorId) -> StoreResult<()> {
        let (t, o) = (tenant.to_string(), operator.to_string());
        self.tx(move |tx| {
            tx.execute_cached(
                "UPDATE session_families SET ended = 1 WHERE tenant = ?1 AND operator = ?2",
                params![t, o],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn put_link(&self, digest: &str, link: &OneTimeLink) -> StoreResult<()> {
        let (d, body) = (digest.to_string(), to_json(link)?);
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO one_time_links (digest, body) VALUES (?1, ?2)",
                params![d, body],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn peek_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>> {
        let d = digest.to_string();
        self.tx(move |tx| {
            body(
                tx,
                "SELECT body FROM one_time_links WHERE digest = ?1",
                [&d],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn take_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>> {
        let d = digest.to_string();
        self.tx(move |tx| {
            body(
                tx,
                "DELETE FROM one_time_links WHERE digest = ?1 RETURNING body",
                [&d],
            )
        })
        .await
    }
}
