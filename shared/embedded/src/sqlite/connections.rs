//! The registry of open WebSocket connections.

use super::{backend, bodies, from_json, to_json, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{
    Connection, ConnectionRegistry, Principal, PrincipalRef, StoreResult,
};
use switchboard_domain::{ConnectionId, TenantId, Timestamp};

#[async_trait]
impl ConnectionRegistry for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %connection.tenant, connection = %connection.id))]
    async fn register(&self, connection: &Connection) -> StoreResult<()> {
        let body = to_json(connection)?;
        let c = connection.clone();
        self.tx(move |tx| {
            tx.execute(
                "INSERT INTO connections (id, tenant, principal_key, is_operator, expires_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant,
                   principal_key = excluded.principal_key, is_operator = excluded.is_operator,
                   expires_at = excluded.expires_at, body = excluded.body",
                params![
                    c.id.as_str(),
                    c.tenant.as_str(),
                    c.principal.key().storage_key(),
                    matches!(c.principal, Principal::Operator { .. }) as i64,
                    c.expires_at.millis() as i64,
                    body
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(connection = %id))]
    async fn connection(
        &self,
        id: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Connection>> {
        let id = id.to_string();
        self.tx(move |tx| {
            tx.query_row(
                "SELECT body FROM connections WHERE id = ?1 AND expires_at > ?2",
                params![id, now.millis() as i64],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b))
            .transpose()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(connection = %id))]
    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>> {
        let id = id.to_string();
        self.tx(move |tx| {
            tx.query_row(
                "DELETE FROM connections WHERE id = ?1 RETURNING body",
                [id],
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
    async fn principal_connections(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        let (t, p) = (tenant.to_string(), principal.storage_key());
        self.tx(move |tx| {
            bodies(tx, "SELECT body FROM connections WHERE tenant = ?1 AND principal_key = ?2 AND expires_at > ?3
                     ORDER BY id", params![t, p, now.millis() as i64])
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn operator_connections(
        &self,
        tenant: &TenantId,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            bodies(tx, "SELECT body FROM connections WHERE tenant = ?1 AND is_operator = 1 AND expires_at > ?2
                     ORDER BY id", params![t, now.millis() as i64])
        })
        .await
    }
}
