//! The registry of open WebSocket connections.

use super::{backend, bodies, corrupt, from_json, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use switchboard_app::ports::{
    Connection, ConnectionRegistry, Principal, PrincipalRef, StoreResult, VanishedOperator,
};
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, ConversationStatus, OperatorId, TenantId,
    Timestamp, VisitorId, Watchers,
};

/// Ids of connections selected by `sql` (its first column), in id order.
fn connection_ids(
    tx: &Db,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<ConnectionId>> {
    let mut stmt = tx.prepare_cached(sql).map_err(backend)?;
    let rows = stmt
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(backend)?;
    rows.map(|r| {
        r.map_err(backend)
            .and_then(|id| ConnectionId::parse(id).map_err(corrupt))
    })
    .collect()
}

fn principal_ids(
    tx: &Db,
    tenant: &TenantId,
    principal: &PrincipalRef,
) -> StoreResult<Vec<ConnectionId>> {
    connection_ids(
        tx,
        "SELECT id FROM connections WHERE tenant = ?1 AND principal_key = ?2 ORDER BY id",
        params![tenant.as_str(), principal.storage_key()],
    )
}

/// An operator's connections.
pub(super) fn operator_ids(
    tx: &Db,
    tenant: &TenantId,
    operator: &OperatorId,
) -> StoreResult<Vec<ConnectionId>> {
    principal_ids(tx, tenant, &PrincipalRef::Operator(operator.clone()))
}

/// Every operator connection of the tenant.
pub(super) fn tenant_operator_ids(tx: &Db, tenant: &TenantId) -> StoreResult<Vec<ConnectionId>> {
    connection_ids(
        tx,
        "SELECT id FROM connections WHERE tenant = ?1 AND is_operator = 1 ORDER BY id",
        params![tenant.as_str()],
    )
}

/// The conversation with its watchers: this store lists them from the
/// connections table when reading rather than keeping a copy.
pub(super) fn watched(tx: &Db, mut c: Conversation) -> StoreResult<Conversation> {
    let visitor = principal_ids(tx, &c.tenant, &PrincipalRef::Visitor(c.visitor.clone()))?;
    let operator = match (&c.operator, c.status) {
        (Some(op), ConversationStatus::Active) => operator_ids(tx, &c.tenant, op)?,
        _ => Vec::new(),
    };
    c.watchers = Watchers { visitor, operator };
    Ok(c)
}

/// Conversations of one listing with their watchers, from one read of their
/// tenants' connections rather than one or two per conversation (a fan-out
/// lists the whole waiting queue).
pub(super) fn watched_all(tx: &Db, list: Vec<Conversation>) -> StoreResult<Vec<Conversation>> {
    let mut by_principal: HashMap<(String, String), Vec<ConnectionId>> = HashMap::new();
    let mut tenants: Vec<&TenantId> = Vec::new();
    for c in &list {
        if !tenants.contains(&&c.tenant) {
            tenants.push(&c.tenant);
        }
    }
    for tenant in tenants {
        let mut stmt = tx
            .prepare_cached(
                "SELECT principal_key, id FROM connections WHERE tenant = ?1 ORDER BY id",
            )
            .map_err(backend)?;
        let rows = stmt
            .query_map([tenant.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(backend)?;
        for row in rows {
            let (principal, id) = row.map_err(backend)?;
            by_principal
                .entry((tenant.to_string(), principal))
                .or_default()
                .push(ConnectionId::parse(id).map_err(corrupt)?);
        }
    }
    let ids = |c: &Conversation, principal: PrincipalRef| {
        by_principal
            .get(&(c.tenant.to_string(), principal.storage_key()))
            .cloned()
            .unwrap_or_default()
    };
    Ok(list
        .into_iter()
        .map(|mut c| {
            let visitor = ids(&c, PrincipalRef::Visitor(c.visitor.clone()));
            let operator = match (&c.operator, c.status) {
                (Some(op), ConversationStatus::Active) => {
                    ids(&c, PrincipalRef::Operator(op.clone()))
                }
                _ => Vec::new(),
            };
            c.watchers = Watchers { visitor, operator };
            c
        })
        .collect())
}

/// A visitor's connection with their current conversation.
fn with_conversation(tx: &Db, mut c: Connection) -> StoreResult<Connection> {
    if let Principal::Visitor { id, .. } = &c.principal {
        c.conversation = current_conversation(tx, &c.tenant, id)?;
    }
    Ok(c)
}

fn current_conversation(
    tx: &Db,
    tenant: &TenantId,
    visitor: &VisitorId,
) -> StoreResult<Option<ConversationId>> {
    tx.query_row_cached(
        "SELECT conversation FROM visitor_current WHERE tenant = ?1 AND visitor = ?2",
        params![tenant.as_str(), visitor.as_str()],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|id| ConversationId::parse(id).map_err(corrupt))
    .transpose()
}

#[async_trait]
impl ConnectionRegistry for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %connection.tenant, connection = %connection.id))]
    async fn register(&self, connection: &Connection) -> StoreResult<Connection> {
        let body = to_json(connection)?;
        let c = connection.clone();
        self.tx(move |tx| {
            tx.execute_cached(
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
            with_conversation(tx, c)
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
            tx.query_row_cached(
                "SELECT body FROM connections WHERE id = ?1 AND expires_at > ?2",
                params![id, now.millis() as i64],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b).and_then(|c| with_conversation(tx, c)))
            .transpose()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(connection = %id))]
    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>> {
        let id = id.to_string();
        self.tx(move |tx| {
            tx.query_row_cached(
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

    async fn forget_gone(
        &self,
        _tenant: &TenantId,
        _id: &ConnectionId,
        _conversation: Option<&Conversation>,
    ) -> StoreResult<()> {
        // Nothing lists a connection here but its own row.
        Ok(())
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

    #[tracing::instrument(level = "debug", skip_all)]
    async fn vanished_operators(
        &self,
        quiet_since: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<VanishedOperator>> {
        self.tx(move |tx| {
            let quiet: Vec<(String, String)> = {
                let mut stmt = tx
                    .prepare_cached(
                        "SELECT tenant, id FROM operators
                         WHERE connections > 0 AND last_seen_at < ?1
                         ORDER BY tenant, id LIMIT ?2",
                    )
                    .map_err(backend)?;
                let rows = stmt
                    .query_map(params![quiet_since.millis() as i64, limit as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .map_err(backend)?;
                rows.collect::<Result<_, _>>().map_err(backend)?
            };
            quiet
                .into_iter()
                .map(|(t, o)| {
                    let tenant = TenantId::parse(t).map_err(corrupt)?;
                    let operator = OperatorId::parse(o).map_err(corrupt)?;
                    let connections =
                        principal_ids(tx, &tenant, &PrincipalRef::Operator(operator.clone()))?;
                    Ok(VanishedOperator {
                        tenant,
                        operator,
                        connections,
                    })
                })
                .collect()
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
