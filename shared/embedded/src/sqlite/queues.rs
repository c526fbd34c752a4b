//! The waiting queues: one per group, in SLA order, without the
//! conversations transferred or invited to one operator (`addressed`).

use super::connections::{tenant_operator_ids, watched_all};
use super::rows::load_conversation;
use super::{backend, bodies, Db};
use rusqlite::params;
use switchboard_app::ports::{StoreResult, WaitingQueue};
use switchboard_domain::{Conversation, ConversationId, ConversationStatus, GroupId, TenantId};

/// Conversations as read: sessions rebuilt for old rows, watchers listed.
pub(super) fn complete(tx: &Db, list: Vec<Conversation>) -> StoreResult<Vec<Conversation>> {
    watched_all(
        tx,
        list.into_iter().map(Conversation::with_sessions).collect(),
    )
}

pub(super) fn all_waiting(
    tx: &Db,
    tenant: &TenantId,
    limit: usize,
) -> StoreResult<Vec<Conversation>> {
    let list = bodies::<Conversation>(
        tx,
        "SELECT body FROM conversations WHERE tenant = ?1 AND status = 'waiting' AND addressed IS NULL
             ORDER BY grp, queue_key LIMIT ?2",
        params![tenant.as_str(), limit as i64],
    )?;
    complete(tx, list)
}

fn group_waiting(
    tx: &Db,
    tenant: &TenantId,
    group: &GroupId,
    limit: Option<usize>,
) -> StoreResult<Vec<Conversation>> {
    bodies::<Conversation>(
        tx,
        "SELECT body FROM conversations WHERE tenant = ?1 AND grp = ?2 AND status = 'waiting' AND addressed IS NULL
             ORDER BY queue_key LIMIT ?3",
        params![
            tenant.as_str(),
            group.as_str(),
            limit.map_or(-1, |l| l as i64)
        ],
    )
}

pub(super) fn group_queue(
    tx: &Db,
    tenant: &TenantId,
    group: &GroupId,
    limit: usize,
) -> StoreResult<Vec<Conversation>> {
    let list = group_waiting(tx, tenant, group, Some(limit))?;
    complete(tx, list)
}

pub(super) fn waiting_queue(
    tx: &Db,
    tenant: &TenantId,
    group: &GroupId,
    touched: &[ConversationId],
) -> StoreResult<WaitingQueue> {
    let waiting = group_waiting(tx, tenant, group, None)?;
    let mut current = Vec::with_capacity(touched.len());
    for id in touched {
        if let Some(c) = load_conversation(tx, tenant.as_str(), id.as_str())? {
            current.push(c);
        }
    }
    Ok(WaitingQueue {
        waiting: complete(tx, waiting)?,
        touched: current,
        operators: tenant_operator_ids(tx, tenant)?,
    })
}

pub(super) fn queue_position(tx: &Db, conversation: &Conversation) -> StoreResult<Option<usize>> {
    let (t, c) = (conversation.tenant.as_str(), conversation.id.as_str());
    let Some(current) = load_conversation(tx, t, c)? else {
        return Ok(None);
    };
    if current.status != ConversationStatus::Waiting || current.pending_transfer.is_some() {
        return Ok(None);
    }
    let ahead: i64 = tx
        .query_row(
            "SELECT COUNT(*) FROM conversations WHERE tenant = ?1 AND grp = ?3
             AND status = 'waiting' AND addressed IS NULL
             AND queue_key < ?2",
            params![
                t,
                switchboard_domain::queue::queue_key(&current),
                current.group.as_str()
            ],
            |r| r.get(0),
        )
        .map_err(backend)?;
    Ok(Some(ahead as usize + 1))
}
