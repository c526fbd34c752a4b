//! Conversation rows: reading one (with its watchers, or alone to write it
//! back), writing it and its timeline entries, and what accepts and closes
//! read beside it (the operator's load, the tenant's settings).

use super::connections::{operator_ids, watched};
use super::{backend, from_json, get_body, to_json, Cached, Db};
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{OperatorLoad, StoreResult};
use switchboard_domain::{Conversation, Operator, Tenant, TenantId, TenantSettings, TimelineEvent};

/// The conversation with its watchers, as the port returns it.
pub(super) fn load_conversation(
    tx: &Db,
    tenant: &str,
    id: &str,
) -> StoreResult<Option<Conversation>> {
    load_row(tx, tenant, id)?
        .map(|c| watched(tx, c))
        .transpose()
}

/// The stored conversation alone, for a change that writes it back.
pub(super) fn load_row(tx: &Db, tenant: &str, id: &str) -> StoreResult<Option<Conversation>> {
    tx.query_row_cached(
        "SELECT body FROM conversations WHERE tenant = ?1 AND id = ?2",
        params![tenant, id],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json::<Conversation>(&b).map(Conversation::with_sessions))
    .transpose()
}

/// The operator after an accept or close, for their consoles.
pub(super) fn operator_load(tx: &Db, op: Operator, tenant: &TenantId) -> StoreResult<OperatorLoad> {
    let max_chats = tenant_settings(tx, tenant)?.max_chats.get();
    let connections = operator_ids(tx, tenant, &op.id)?;
    Ok(OperatorLoad {
        operator: op,
        max_chats,
        connections,
    })
}

pub(super) fn tenant_settings(tx: &Db, tenant: &TenantId) -> StoreResult<TenantSettings> {
    Ok(get_body::<Tenant>(tx, "tenants", tenant.as_str())?
        .map(|t| t.settings)
        .unwrap_or_default())
}

/// Appends one entry to the conversation's log; the primary key refuses a
/// second entry under the same number.
pub(super) fn insert_event(tx: &Db, tenant: &str, event: &TimelineEvent) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO timeline (tenant, conversation, number, body) VALUES (?1, ?2, ?3, ?4)",
        params![
            tenant,
            event.conversation.as_str(),
            event.number as i64,
            to_json(event)?
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(super) fn save_conversation(tx: &Db, c: &Conversation) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO conversations
           (tenant, id, visitor, status, operator, enqueued_at, body, grp, addressed, transfer_due,
            queue_key, progress, last_activity, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (tenant, id) DO UPDATE SET
           status = excluded.status, operator = excluded.operator,
           enqueued_at = excluded.enqueued_at, body = excluded.body, grp = excluded.grp,
           addressed = excluded.addressed, transfer_due = excluded.transfer_due,
           queue_key = excluded.queue_key, progress = excluded.progress,
           last_activity = excluded.last_activity, channel = excluded.channel",
        params![
            c.tenant.as_str(),
            c.id.as_str(),
            c.visitor.as_str(),
            c.status.as_str(),
            c.operator.as_ref().map(|o| o.as_str()),
            c.enqueued_at.millis() as i64,
            to_json(c)?,
            c.group.as_str(),
            c.pending_transfer.as_ref().map(|p| p.to.as_str()),
            c.pending_transfer
                .as_ref()
                .map(|p| p.deadline.millis() as i64),
            switchboard_domain::queue::queue_key(c),
            c.progress.as_str(),
            c.last_activity_at.millis() as i64,
            c.channel.as_str(),
        ],
    )
    .map_err(backend)?;
    Ok(())
}
