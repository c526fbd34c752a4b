//! Additional-information fields per tenant, and each contact's values one
//! row per key, so a change touches only the keys it names.

use super::{backend, bodies, body, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection};
use switchboard_app::ports::{ContactInfoStore, StoreError, StoreResult};
use switchboard_domain::workspace::{InfoField, InfoValues};
use switchboard_domain::{TenantId, VisitorId};

fn values(tx: &Connection, tenant: &str, visitor: &str) -> StoreResult<InfoValues> {
    let mut stmt = tx
        .prepare_cached("SELECT key, value FROM info_values WHERE tenant = ?1 AND visitor = ?2")
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![tenant, visitor], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(backend)?;
    let mut out = InfoValues::new();
    for row in rows {
        let (key, raw) = row.map_err(backend)?;
        let value = serde_json::from_str(&raw)
            .map_err(|e| StoreError::Corrupt(format!("info {key}: {e}")))?;
        out.insert(key, value);
    }
    Ok(out)
}

#[async_trait]
impl ContactInfoStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %field.tenant))]
    async fn put_info_field(&self, field: &InfoField) -> StoreResult<Option<InfoField>> {
        let (tenant, key, json) = (field.tenant.to_string(), field.key.clone(), to_json(field)?);
        self.tx(move |tx| {
            let before = body::<InfoField>(
                tx,
                "SELECT body FROM info_fields WHERE tenant = ?1 AND key = ?2",
                params![tenant, key],
            )?;
            tx.execute_cached(
                "INSERT INTO info_fields (tenant, key, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, key) DO UPDATE SET body = excluded.body",
                params![tenant, key, json],
            )
            .map_err(backend)?;
            Ok(before)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_info_field(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> StoreResult<Option<InfoField>> {
        let (tenant, key) = (tenant.to_string(), key.to_string());
        self.tx(move |tx| {
            body(
                tx,
                "DELETE FROM info_fields WHERE tenant = ?1 AND key = ?2 RETURNING body",
                params![tenant, key],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn info_fields(&self, tenant: &TenantId) -> StoreResult<Vec<InfoField>> {
        let tenant = tenant.to_string();
        self.tx(move |tx| {
            bodies(
                tx,
                "SELECT body FROM info_fields WHERE tenant = ?1 ORDER BY key",
                [&tenant],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn contact_info(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<InfoValues> {
        let (tenant, visitor) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| values(tx, &tenant, &visitor)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn change_contact_info(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        set: &InfoValues,
        remove: &[String],
    ) -> StoreResult<InfoValues> {
        let (tenant, visitor) = (tenant.to_string(), visitor.to_string());
        let set: Vec<(String, String)> = set
            .iter()
            .map(|(k, v)| Ok((k.clone(), to_json(v)?)))
            .collect::<StoreResult<_>>()?;
        let remove = remove.to_vec();
        self.tx(move |tx| {
            for (key, value) in &set {
                tx.execute_cached(
                    "INSERT INTO info_values (tenant, visitor, key, value) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (tenant, visitor, key) DO UPDATE SET value = excluded.value",
                    params![tenant, visitor, key, value],
                )
                .map_err(backend)?;
            }
            for key in &remove {
                tx.execute_cached(
                    "DELETE FROM info_values WHERE tenant = ?1 AND visitor = ?2 AND key = ?3",
                    params![tenant, visitor, key],
                )
                .map_err(backend)?;
            }
            values(tx, &tenant, &visitor)
        })
        .await
    }
}
