//! Transfers: a conversation handed on, declined or left unanswered.

use super::connections::watched;
use super::directory::{load_operator, save_operator_load};
use super::rows::{insert_event, load_row, operator_load, save_conversation, tenant_settings};
use super::{backend, corrupt, Cached, Db};
use rusqlite::params;
use switchboard_app::ports::{
    ConversationError, OperatorLoad, Redirected, Returned, StoreResult, Transferred,
};
use switchboard_domain::{
    ConversationId, ConversationStatus, GroupId, OperatorId, OperatorStatus, TenantId,
    TimelineKind, Timestamp, TransferComment, TransferTarget,
};

pub(super) fn transfer(
    tx: &Db,
    tenant: &TenantId,
    id: &ConversationId,
    from: &OperatorId,
    target: &TransferTarget,
    comment: Option<&TransferComment>,
    now: Timestamp,
) -> Result<Transferred, ConversationError> {
    let t = tenant.as_str();
    let timeout = tenant_settings(tx, tenant)?.transfer_timeout_seconds;
    let deadline = now.plus_seconds(u64::from(timeout));
    let mut conv = load_row(tx, t, id.as_str())?.ok_or(ConversationError::NotFound)?;
    let was_video = conv.is_video();
    conv.transfer(from, target, now, deadline)?;
    let to = offered_to(tx, tenant, target)?;
    let event = conv.record(target.timeline_kind(from, comment), now);
    insert_event(tx, t, &event)?;
    let mut holder =
        load_operator(tx, t, from.as_str())?.ok_or(ConversationError::OperatorNotFound)?;
    holder.active_chats = holder.active_chats.saturating_sub(1);
    if was_video {
        holder.in_video_call = false;
    }
    save_operator_load(tx, &holder)?;
    save_conversation(tx, &conv)?;
    Ok(Transferred {
        conversation: watched(tx, conv)?,
        from: operator_load(tx, holder, tenant)?,
        to,
    })
}

/// The operator a transfer or redirect offers the conversation to, who
/// must be online with a tab open; None for a group.
fn offered_to(
    tx: &Db,
    tenant: &TenantId,
    target: &TransferTarget,
) -> Result<Option<OperatorLoad>, ConversationError> {
    let TransferTarget::Operator(to) = target else {
        return Ok(None);
    };
    let t = tenant.as_str();
    let op = load_operator(tx, t, to.as_str())?.ok_or(ConversationError::UnknownTarget)?;
    let connections: i64 = tx
        .query_row_cached(
            "SELECT connections FROM operators WHERE tenant = ?1 AND id = ?2",
            params![t, to.as_str()],
            |r| r.get(0),
        )
        .map_err(backend)?;
    if op.status != OperatorStatus::Online || connections == 0 {
        return Err(ConversationError::TargetOffline);
    }
    Ok(Some(operator_load(tx, op, tenant)?))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn redirect(
    tx: &Db,
    tenant: &TenantId,
    id: &ConversationId,
    by: &OperatorId,
    from_groups: Option<&[GroupId]>,
    target: &TransferTarget,
    comment: Option<&TransferComment>,
    now: Timestamp,
) -> Result<Redirected, ConversationError> {
    let t = tenant.as_str();
    let timeout = tenant_settings(tx, tenant)?.transfer_timeout_seconds;
    let mut conv = load_row(tx, t, id.as_str())?.ok_or(ConversationError::NotFound)?;
    if from_groups.is_some_and(|seen| !seen.contains(&conv.group)) {
        return Err(ConversationError::NotFound);
    }
    let from_group = conv.group.clone();
    conv.redirect(by, target, now.plus_seconds(u64::from(timeout)))?;
    let to = offered_to(tx, tenant, target)?;
    let event = conv.record(target.timeline_kind(by, comment), now);
    insert_event(tx, t, &event)?;
    save_conversation(tx, &conv)?;
    Ok(Redirected {
        conversation: watched(tx, conv)?,
        from_group,
        to,
    })
}

pub(super) fn return_transfer(
    tx: &Db,
    tenant: &TenantId,
    id: &ConversationId,
    by: Option<&OperatorId>,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<Returned, ConversationError> {
    let t = tenant.as_str();
    let mut conv = load_row(tx, t, id.as_str())?.ok_or(ConversationError::NotFound)?;
    if conv.status != ConversationStatus::Waiting {
        return Err(switchboard_domain::TransitionError::NoTransfer.into());
    }
    let transfer = conv.return_transfer(by, now)?;
    let event = conv.record(
        TimelineKind::TransferReturned {
            to: transfer.to.clone(),
            by: by.cloned(),
            reason: reason.map(str::to_string),
        },
        now,
    );
    insert_event(tx, t, &event)?;
    save_conversation(tx, &conv)?;
    Ok(Returned {
        conversation: watched(tx, conv)?,
        transfer,
    })
}

pub(super) fn due_transfers(
    tx: &Db,
    now: Timestamp,
    limit: usize,
) -> StoreResult<Vec<(TenantId, ConversationId)>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT tenant, id FROM conversations
             WHERE transfer_due IS NOT NULL AND transfer_due <= ?1 AND status = 'waiting'
             ORDER BY transfer_due LIMIT ?2",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![now.millis() as i64, limit as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(backend)?;
    rows.map(|r| {
        let (t, c) = r.map_err(backend)?;
        Ok((
            TenantId::parse(t).map_err(corrupt)?,
            ConversationId::parse(c).map_err(corrupt)?,
        ))
    })
    .collect()
}
