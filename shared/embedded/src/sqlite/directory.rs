//! Tenants, widgets and operators, with operators' presence and load.

use super::{backend, corrupt, get_body, put_body, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{DirectoryStore, StoreResult};
use switchboard_domain::{
    ConnectionId, Operator, OperatorId, OperatorStatus, Role, StatusChange, Tenant, TenantId,
    TenantSettings, Timestamp, Widget, WidgetId,
};

pub(super) fn load_operator(tx: &Db, tenant: &str, id: &str) -> StoreResult<Option<Operator>> {
    let row = tx
        .query_row(
            "SELECT id, name, status, active_chats, in_video, last_assigned_at, connections, roles,
                    last_seen_at
             FROM operators WHERE tenant = ?1 AND id = ?2",
            params![tenant, id],
            operator_row,
        )
        .optional()
        .map_err(backend)?;
    row.map(|r| r.into_operator(tenant).map(|(op, _)| op))
        .transpose()
}

/// An `operators` row as selected by [`load_operator`] and the routing reads.
pub(super) struct OperatorRow {
    id: String,
    name: String,
    status: String,
    active: i64,
    video: i64,
    last_assigned_at: Option<i64>,
    connections: i64,
    roles: String,
    last_seen_at: Option<i64>,
}

pub(super) fn operator_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OperatorRow> {
    Ok(OperatorRow {
        id: r.get(0)?,
        name: r.get(1)?,
        status: r.get(2)?,
        active: r.get(3)?,
        video: r.get(4)?,
        last_assigned_at: r.get(5)?,
        connections: r.get(6)?,
        roles: r.get(7)?,
        last_seen_at: r.get(8)?,
    })
}

impl OperatorRow {
    /// The operator and their connection count.
    pub(super) fn into_operator(self, tenant: &str) -> StoreResult<(Operator, u64)> {
        let operator = Operator {
            tenant: TenantId::parse(tenant).map_err(corrupt)?,
            id: OperatorId::parse(self.id).map_err(corrupt)?,
            name: self.name,
            status: OperatorStatus::parse(&self.status)
                .ok_or_else(|| corrupt(self.status.clone()))?,
            active_chats: u32::try_from(self.active).map_err(corrupt)?,
            in_video_call: self.video != 0,
            last_assigned_at: self
                .last_assigned_at
                .map(|t| u64::try_from(t).map(Timestamp).map_err(corrupt))
                .transpose()?,
            roles: super::from_json(&self.roles)?,
            last_seen_at: self
                .last_seen_at
                .map(|t| u64::try_from(t).map(Timestamp).map_err(corrupt))
                .transpose()?,
        };
        Ok((operator, u64::try_from(self.connections).unwrap_or(0)))
    }
}

pub(super) fn save_operator_load(tx: &Db, op: &Operator) -> StoreResult<()> {
    tx.execute_cached(
        "UPDATE operators SET active_chats = ?3, in_video = ?4, status = ?5, last_assigned_at = ?6
         WHERE tenant = ?1 AND id = ?2",
        params![
            op.tenant.as_str(),
            op.id.as_str(),
            op.active_chats as i64,
            op.in_video_call as i64,
            op.status.as_str(),
            op.last_assigned_at.map(|t| t.millis() as i64),
        ],
    )
    .map_err(backend)?;
    Ok(())
}

/// Logs a status change, if it is one (a new operator's first status is).
fn log_change(
    tx: &Db,
    tenant: &str,
    operator: &str,
    before: Option<OperatorStatus>,
    after: OperatorStatus,
    now: Timestamp,
) -> StoreResult<()> {
    if before == Some(after) {
        return Ok(());
    }
    tx.execute_cached(
        "INSERT OR IGNORE INTO operator_status_log (tenant, operator, at, status) VALUES (?1, ?2, ?3, ?4)",
        params![tenant, operator, now.millis() as i64, after.as_str()],
    )
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl DirectoryStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn status_log(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Vec<StatusChange>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT at, status FROM operator_status_log WHERE tenant = ?1 AND operator = ?2
                     ORDER BY at",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![t, o], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(backend)?;
            rows.map(|r| {
                let (at, status) = r.map_err(backend)?;
                Ok(StatusChange {
                    at: Timestamp(u64::try_from(at).map_err(corrupt)?),
                    status: OperatorStatus::parse(&status)
                        .ok_or_else(|| corrupt(status.clone()))?,
                })
            })
            .collect()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn put_tenant(&self, tenant: &Tenant) -> StoreResult<()> {
        let (id, body) = (tenant.id.to_string(), to_json(tenant)?);
        self.tx(move |tx| put_body(tx, "tenants", &id, &body)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %id))]
    async fn tenant(&self, id: &TenantId) -> StoreResult<Option<Tenant>> {
        let id = id.to_string();
        self.tx(move |tx| get_body(tx, "tenants", &id)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %id))]
    async fn set_tenant_settings(
        &self,
        id: &TenantId,
        settings: &TenantSettings,
    ) -> StoreResult<Option<Tenant>> {
        let (id, settings) = (id.to_string(), settings.clone());
        self.tx(move |tx| {
            let Some(mut tenant) = get_body::<Tenant>(tx, "tenants", &id)? else {
                return Ok(None);
            };
            tenant.settings = settings;
            put_body(tx, "tenants", &id, &to_json(&tenant)?)?;
            Ok(Some(tenant))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(widget = %widget.id))]
    async fn put_widget(&self, widget: &Widget) -> StoreResult<()> {
        let (id, body) = (widget.id.to_string(), to_json(widget)?);
        let tenant = widget.tenant.to_string();
        self.tx(move |tx| super::widgets::put_widget_row(tx, &id, &tenant, &body))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %id))]
    async fn set_widget_origins(
        &self,
        tenant: &TenantId,
        id: &WidgetId,
        origins: &[String],
    ) -> StoreResult<Option<Widget>> {
        let (tenant, id, origins) = (tenant.clone(), id.to_string(), origins.to_vec());
        self.tx(move |tx| {
            let Some(mut widget) = get_body::<Widget>(tx, "widgets", &id)? else {
                return Ok(None);
            };
            if widget.tenant != tenant {
                return Ok(None);
            }
            widget.allowed_origins = origins;
            put_body(tx, "widgets", &id, &to_json(&widget)?)?;
            Ok(Some(widget))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(widget = %id))]
    async fn widget(&self, id: &WidgetId) -> StoreResult<Option<Widget>> {
        let id = id.to_string();
        self.tx(move |tx| get_body(tx, "widgets", &id)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| load_operator(tx, &t, &o)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn account(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Option<switchboard_domain::Account>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| super::accounts::load_account(tx, &t, &o))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_connected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
        roles: &[Role],
        // The connections table is where this store finds an operator's tabs.
        _connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Operator> {
        let (t, o, name) = (tenant.to_string(), id.to_string(), name.to_string());
        let roles = to_json(&roles)?;
        self.tx(move |tx| {
            let before = load_operator(tx, &t, &o)?.map(|op| op.status);
            tx.execute_cached(
                "INSERT INTO operators (tenant, id, name, status, connections, roles, last_seen_at)
                 VALUES (?1, ?2, ?3, 'online', 1, ?4, ?5)
                 ON CONFLICT (tenant, id) DO UPDATE SET
                   name = excluded.name, roles = excluded.roles,
                   connections = connections + 1,
                   last_seen_at = MAX(COALESCE(last_seen_at, 0), excluded.last_seen_at),
                   status = CASE WHEN status = 'offline' THEN 'online' ELSE status END",
                params![t, o, name, roles, now.millis() as i64],
            )
            .map_err(backend)?;
            let after = load_operator(tx, &t, &o)?.ok_or_else(|| backend("operator vanished"))?;
            log_change(tx, &t, &o, before, after.status, now)?;
            Ok(after)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_disconnected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        _connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let before = load_operator(tx, &t, &o)?.map(|op| op.status);
            tx.execute_cached(
                "UPDATE operators SET
                   connections = MAX(connections - 1, 0),
                   status = CASE WHEN connections <= 1 THEN 'offline' ELSE status END
                 WHERE tenant = ?1 AND id = ?2",
                params![t, o],
            )
            .map_err(backend)?;
            let after = load_operator(tx, &t, &o)?;
            if let Some(after) = &after {
                log_change(tx, &t, &o, before, after.status, now)?;
            }
            Ok(after)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_seen(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.execute_cached(
                "UPDATE operators SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?3)
                 WHERE tenant = ?1 AND id = ?2",
                params![t, o, now.millis() as i64],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn set_operator_status(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        status: OperatorStatus,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let before = load_operator(tx, &t, &o)?.map(|op| op.status);
            tx.execute_cached(
                "UPDATE operators SET status = ?3 WHERE tenant = ?1 AND id = ?2",
                params![t, o, status.as_str()],
            )
            .map_err(backend)?;
            let after = load_operator(tx, &t, &o)?;
            if let Some(after) = &after {
                log_change(tx, &t, &o, before, after.status, now)?;
            }
            Ok(after)
        })
        .await
    }
}
