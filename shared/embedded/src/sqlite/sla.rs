//! SLA rules, a waiting conversation's SLA, and the handling times the wait
//! estimate reads.

use super::rows::{load_row, save_conversation};
use super::{backend, from_json, to_json, Cached, Db};
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::StoreResult;
use switchboard_domain::estimate::{GroupLoad, HandlingBucket, WINDOW_HOURS};
use switchboard_domain::{
    Conversation, ConversationStatus, GroupId, Sla, SlaRule, TenantId, Timestamp,
};

pub(super) fn load_rules(tx: &Db, tenant: &TenantId) -> StoreResult<Vec<SlaRule>> {
    tx.query_row_cached(
        "SELECT body FROM sla_rules WHERE tenant = ?1",
        params![tenant.as_str()],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map_or(Ok(Vec::new()), |body: String| from_json(&body))
}

pub(super) fn put_rules(tx: &Db, tenant: &TenantId, rules: &[SlaRule]) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO sla_rules (tenant, body) VALUES (?1, ?2)
         ON CONFLICT (tenant) DO UPDATE SET body = excluded.body",
        params![tenant.as_str(), to_json(&rules)?],
    )
    .map_err(backend)?;
    Ok(())
}

pub(super) fn set_sla(tx: &Db, seen: &Conversation, sla: &Sla) -> StoreResult<bool> {
    let Some(mut current) = load_row(tx, seen.tenant.as_str(), seen.id.as_str())? else {
        return Ok(false);
    };
    let still_waiting_there = current.status == ConversationStatus::Waiting
        && current.group == seen.group
        && current.enqueued_at == seen.enqueued_at
        && current.pending_transfer.is_none();
    if !still_waiting_there {
        return Ok(false);
    }
    current.sla = Some(sla.clone());
    save_conversation(tx, &current)?;
    Ok(true)
}

/// Adds one closed chat's handling time to its group's hour, and forgets
/// hours the estimate no longer reads.
pub(super) fn record_handling(
    tx: &Db,
    tenant: &TenantId,
    group: &GroupId,
    accepted_at: Timestamp,
    closed_at: Timestamp,
) -> StoreResult<()> {
    let hour = HandlingBucket::hour_of(closed_at) as i64;
    let took = closed_at.millis().saturating_sub(accepted_at.millis()) as i64;
    tx.execute_cached(
        "INSERT INTO handling_times (tenant, grp, hour, total_millis, chats) VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (tenant, grp, hour) DO UPDATE SET
           total_millis = total_millis + excluded.total_millis, chats = chats + 1",
        params![tenant.as_str(), group.as_str(), hour, took],
    )
    .map_err(backend)?;
    tx.execute_cached(
        "DELETE FROM handling_times WHERE tenant = ?1 AND grp = ?2 AND hour < ?3",
        params![
            tenant.as_str(),
            group.as_str(),
            hour - 2 * WINDOW_HOURS as i64
        ],
    )
    .map_err(backend)?;
    Ok(())
}

pub(super) fn load_handling(tx: &Db, tenant: &TenantId) -> StoreResult<Vec<HandlingBucket>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT grp, hour, total_millis, chats FROM handling_times WHERE tenant = ?1
             ORDER BY grp, hour",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .map_err(backend)?;
    rows.map(|row| {
        let (group, hour, total, chats) = row.map_err(backend)?;
        Ok(HandlingBucket {
            group: GroupId::parse(group).map_err(super::corrupt)?,
            hour: hour as u64,
            total_millis: total as u64,
            chats: chats as u64,
        })
    })
    .collect()
}

pub(super) fn announce_load(
    tx: &Db,
    tenant: &TenantId,
    group: &GroupId,
    load: GroupLoad,
) -> StoreResult<()> {
    tx.execute_cached(
        "INSERT INTO announced_loads (tenant, grp, slots, free) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant, grp) DO UPDATE SET slots = excluded.slots, free = excluded.free",
        params![tenant.as_str(), group.as_str(), load.slots, load.free],
    )
    .map_err(backend)?;
    Ok(())
}

pub(super) fn announced_loads(
    tx: &Db,
    tenant: &TenantId,
) -> StoreResult<Vec<(GroupId, GroupLoad)>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT grp, slots, free FROM announced_loads WHERE tenant = ?1 ORDER BY grp",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![tenant.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })
        .map_err(backend)?;
    rows.map(|row| {
        let (group, slots, free) = row.map_err(backend)?;
        Ok((
            GroupId::parse(group).map_err(super::corrupt)?,
            GroupLoad { slots, free },
        ))
    })
    .collect()
}
