//! The widget catalogue: widgets by id, listed by tenant.

use super::{backend, bodies, get_body, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection};
use switchboard_app::ports::{Page, StoreResult, WidgetStore};
use switchboard_domain::{TenantId, Widget, WidgetId};

pub(super) fn put_widget_row(
    tx: &Connection,
    id: &str,
    tenant: &str,
    body: &str,
) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO widgets (id, tenant, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, body = excluded.body",
        params![id, tenant, body],
    )
    .map_err(backend)?;
    Ok(())
}

/// A page of `limit` from rows fetched one longer: the extra row only says
/// there is more.
pub(super) fn page_of<T>(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next }
}

#[async_trait]
impl WidgetStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %widget.tenant, widget = %widget.id))]
    async fn create_widget(&self, widget: &Widget) -> StoreResult<bool> {
        let (id, tenant, body) = (
            widget.id.to_string(),
            widget.tenant.to_string(),
            to_json(widget)?,
        );
        self.tx(move |tx| {
            let created = tx
                .execute_cached(
                    "INSERT INTO widgets (id, tenant, body) VALUES (?1, ?2, ?3)
                     ON CONFLICT (id) DO NOTHING",
                    params![id, tenant, body],
                )
                .map_err(backend)?;
            Ok(created == 1)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %widget.tenant, widget = %widget.id))]
    async fn replace_widget(&self, widget: &Widget) -> StoreResult<bool> {
        let (id, tenant, body) = (
            widget.id.to_string(),
            widget.tenant.to_string(),
            to_json(widget)?,
        );
        self.tx(move |tx| {
            let replaced = tx
                .execute_cached(
                    "UPDATE widgets SET body = ?3 WHERE id = ?1 AND tenant = ?2",
                    params![id, tenant, body],
                )
                .map_err(backend)?;
            Ok(replaced == 1)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %id))]
    async fn delete_widget(&self, tenant: &TenantId, id: &WidgetId) -> StoreResult<Option<Widget>> {
        let (tenant, id) = (tenant.clone(), id.to_string());
        self.tx(move |tx| {
            let Some(widget) = get_body::<Widget>(tx, "widgets", &id)? else {
                return Ok(None);
            };
            if widget.tenant != tenant {
                return Ok(None);
            }
            tx.execute_cached("DELETE FROM widgets WHERE id = ?1", [&id])
                .map_err(backend)?;
            Ok(Some(widget))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn widgets(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Widget>> {
        let (t, after) = (tenant.to_string(), after.unwrap_or("").to_string());
        let rows = self
            .tx(move |tx| {
                bodies::<Widget>(
                    tx,
                    "SELECT body FROM widgets WHERE tenant = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                    params![t, after, (limit + 1) as i64],
                )
            })
            .await?;
        Ok(page_of(rows, limit, |w| w.id.to_string()))
    }
}
