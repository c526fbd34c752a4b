//! Text blocks by tenant and id, and each tenant's version, moved in the
//! same transaction as every change.

use super::widgets::page_of;
use super::{backend, bodies, body, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_app::ports::{Page, StoreResult, TextBlockStore};
use switchboard_domain::workspace::TextBlock;
use switchboard_domain::TenantId;

fn bump(tx: &Connection, tenant: &str) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO text_block_versions (tenant, version) VALUES (?1, 1)
         ON CONFLICT (tenant) DO UPDATE SET version = version + 1",
        [tenant],
    )
    .map_err(backend)?;
    Ok(())
}

fn version(tx: &Connection, tenant: &str) -> StoreResult<u64> {
    let v: Option<i64> = tx
        .query_row_cached(
            "SELECT version FROM text_block_versions WHERE tenant = ?1",
            [tenant],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    Ok(v.unwrap_or(0).max(0) as u64)
}

const SELECT_ONE: &str = "SELECT body FROM text_blocks WHERE tenant = ?1 AND id = ?2";

#[async_trait]
impl TextBlockStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %block.tenant, block = %block.id))]
    async fn put_text_block(&self, block: &TextBlock) -> StoreResult<Option<TextBlock>> {
        let (tenant, id, json) = (block.tenant.to_string(), block.id.clone(), to_json(block)?);
        self.tx(move |tx| {
            let before = body::<TextBlock>(tx, SELECT_ONE, params![tenant, id])?;
            tx.execute_cached(
                "INSERT INTO text_blocks (tenant, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, id) DO UPDATE SET body = excluded.body",
                params![tenant, id, json],
            )
            .map_err(backend)?;
            bump(tx, &tenant)?;
            Ok(before)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, block = %id))]
    async fn delete_text_block(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<TextBlock>> {
        let (tenant, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let deleted = body::<TextBlock>(
                tx,
                "DELETE FROM text_blocks WHERE tenant = ?1 AND id = ?2 RETURNING body",
                params![tenant, id],
            )?;
            if deleted.is_some() {
                bump(tx, &tenant)?;
            }
            Ok(deleted)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, block = %id))]
    async fn text_block(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TextBlock>> {
        let (tenant, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| body(tx, SELECT_ONE, params![tenant, id]))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn text_blocks(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<TextBlock>> {
        let (t, after) = (tenant.to_string(), after.unwrap_or("").to_string());
        let rows = self
            .tx(move |tx| {
                bodies::<TextBlock>(
                    tx,
                    "SELECT body FROM text_blocks WHERE tenant = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                    params![t, after, (limit + 1) as i64],
                )
            })
            .await?;
        Ok(page_of(rows, limit, |b| b.id.clone()))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn text_blocks_version(&self, tenant: &TenantId) -> StoreResult<u64> {
        let t = tenant.to_string();
        self.tx(move |tx| version(tx, &t)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn all_text_blocks(&self, tenant: &TenantId) -> StoreResult<Vec<TextBlock>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            bodies(
                tx,
                "SELECT body FROM text_blocks WHERE tenant = ?1 ORDER BY id",
                [&t],
            )
        })
        .await
    }
}
