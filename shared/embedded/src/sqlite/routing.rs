//! Groups, widget routing, the routing snapshot, and the ways a conversation
//! is assigned: an accept (or an admin's assignment) and an assignment
//! decided on a snapshot.

use super::connections::{operator_ids, watched};
use super::directory::{load_operator, operator_row, save_operator_load};
use super::rows::{insert_event, load_row, operator_load, save_conversation, tenant_settings};
use super::{backend, bodies, corrupt, get_body, put_body, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::params;
use switchboard_app::ports::{
    Accepted, ConversationError, OperatorSnapshot, RoutingError, RoutingSnapshot, RoutingStore,
    StoreResult,
};
use switchboard_domain::estimate::GroupLoad;
use switchboard_domain::{
    Assignment, Capacity, Conversation, ConversationId, ConversationStatus, Group, GroupId,
    OperatorId, SlaRule, Tenant, TenantId, Timestamp, Widget, WidgetId,
};

/// The tenant's groups by id, with the default group as stored or as it is
/// before anyone configured it.
fn load_groups(tx: &Db, tenant: &TenantId) -> StoreResult<Vec<Group>> {
    let mut groups: Vec<Group> = bodies(
        tx,
        "SELECT body FROM groups WHERE tenant = ?1 ORDER BY id",
        params![tenant.as_str()],
    )?;
    if !groups.iter().any(|g| g.id.is_default()) {
        groups.push(Group::default_for(tenant.clone()));
        groups.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok(groups)
}

/// An assignment decided on `seen` and `operator` as they were read: done
/// only if neither changed since.
pub(super) fn assign(
    tx: &Db,
    seen: &Conversation,
    operator: &OperatorSnapshot,
    max_chats: Capacity,
    how: Assignment,
    now: Timestamp,
) -> Result<Accepted, ConversationError> {
    let t = seen.tenant.as_str();
    let mut conv = load_row(tx, t, seen.id.as_str())?.ok_or(ConversationError::NotFound)?;
    let current_op = load_operator(tx, t, operator.operator.id.as_str())?
        .ok_or(ConversationError::OperatorNotFound)?;
    let connections: i64 = tx
        .query_row_cached(
            "SELECT connections FROM operators WHERE tenant = ?1 AND id = ?2",
            params![t, operator.operator.id.as_str()],
            |r| r.get(0),
        )
        .map_err(backend)?;
    let conversation_moved = (conv.status, conv.enqueued_at, conv.last_event)
        != (seen.status, seen.enqueued_at, seen.last_event);
    let operator_moved = (
        current_op.status,
        current_op.active_chats,
        current_op.in_video_call,
        connections as u64,
    ) != (
        operator.operator.status,
        operator.operator.active_chats,
        operator.operator.in_video_call,
        operator.connection_count,
    );
    if conversation_moved || operator_moved {
        return Err(ConversationError::Moved);
    }
    let mut op = current_op;
    op.may_accept(conv.entry.entry_type, max_chats)?;
    conv.accept(&op.id, now)?;
    let event = conv.assigned_event_by(&op.id, how, None, now);
    insert_event(tx, t, &event)?;
    op.active_chats += 1;
    op.in_video_call = conv.is_video();
    op.last_assigned_at = Some(now);
    save_conversation(tx, &conv)?;
    save_operator_load(tx, &op)?;
    let mut load = operator_load(tx, op, &seen.tenant)?;
    // The capacity the decision was made under, as the DynamoDB store reports it.
    load.max_chats = max_chats.get();
    Ok(Accepted {
        conversation: watched(tx, conv)?,
        operator: load,
    })
}

/// An accept, or an admin's assignment (`by`) under the same rules.
pub(super) fn accept_in(
    tx: &Db,
    tenant: &TenantId,
    id: &ConversationId,
    operator: &OperatorId,
    by: Option<&OperatorId>,
    now: Timestamp,
) -> Result<Accepted, ConversationError> {
    let t = tenant.as_str();
    let capacity = tenant_settings(tx, tenant)?.max_chats;
    let mut conv = load_row(tx, t, id.as_str())?.ok_or(ConversationError::NotFound)?;
    if conv.status == ConversationStatus::Active {
        if let Some(holder) = conv.operator.clone() {
            return Err(ConversationError::AlreadyTaken { by: holder });
        }
    }
    let mut op =
        load_operator(tx, t, operator.as_str())?.ok_or(ConversationError::OperatorNotFound)?;
    let how = match by {
        Some(_) => Assignment::Admin,
        None => Assignment::Accepted,
    };
    if how == Assignment::Accepted
        && conv.status == ConversationStatus::Waiting
        && conv.accept_needs_membership(&op)
        && !load_groups(tx, tenant)?
            .iter()
            .any(|g| g.id == conv.group && g.includes(operator))
    {
        return Err(ConversationError::NotInGroup);
    }
    conv.accept(operator, now)?;
    let event = conv.assigned_event_by(operator, how, by, now);
    insert_event(tx, t, &event)?;
    op.may_accept(conv.entry.entry_type, capacity)?;
    op.active_chats += 1;
    op.in_video_call = conv.is_video();
    op.last_assigned_at = Some(now);
    save_conversation(tx, &conv)?;
    save_operator_load(tx, &op)?;
    Ok(Accepted {
        conversation: watched(tx, conv)?,
        operator: operator_load(tx, op, tenant)?,
    })
}

#[async_trait]
impl RoutingStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %group.tenant, group = %group.id))]
    async fn put_group(&self, group: &Group) -> Result<(), RoutingError> {
        let group = group.clone();
        self.tx(move |tx| {
            for member in &group.members {
                if load_operator(tx, group.tenant.as_str(), member.as_str())?.is_none() {
                    return Err(RoutingError::UnknownOperator(member.clone()));
                }
            }
            tx.execute_cached(
                "INSERT INTO groups (tenant, id, policy, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant, id) DO UPDATE SET policy = excluded.policy, body = excluded.body",
                params![
                    group.tenant.as_str(),
                    group.id.as_str(),
                    group.policy.as_str(),
                    to_json(&group)?
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn delete_group(&self, tenant: &TenantId, group: &GroupId) -> StoreResult<Option<Group>> {
        let (tenant, group) = (tenant.clone(), group.clone());
        self.tx(move |tx| {
            super::body(
                tx,
                "DELETE FROM groups WHERE tenant = ?1 AND id = ?2 RETURNING body",
                params![tenant.as_str(), group.as_str()],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn groups(&self, tenant: &TenantId) -> StoreResult<Vec<Group>> {
        let tenant = tenant.clone();
        self.tx(move |tx| load_groups(tx, &tenant)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %widget, group = %group))]
    async fn route_widget(
        &self,
        tenant: &TenantId,
        widget: &WidgetId,
        group: &GroupId,
        offline_email: Option<&str>,
    ) -> Result<Widget, RoutingError> {
        let (tenant, widget, group) = (tenant.clone(), widget.clone(), group.clone());
        let offline_email = offline_email.map(str::to_string);
        self.tx(move |tx| {
            let mut found = get_body::<Widget>(tx, "widgets", widget.as_str())?
                .filter(|w| w.tenant == tenant)
                .ok_or(RoutingError::UnknownWidget)?;
            let target = load_groups(tx, &tenant)?
                .into_iter()
                .find(|g| g.id == group)
                .ok_or(RoutingError::UnknownGroup)?;
            if !target.id.is_default() && target.members.is_empty() {
                return Err(RoutingError::EmptyGroup);
            }
            found.group = (!group.is_default()).then_some(group);
            found.offline_email = offline_email;
            put_body(tx, "widgets", widget.as_str(), &to_json(&found)?)?;
            Ok(found)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn routing(&self, tenant: &TenantId) -> StoreResult<RoutingSnapshot> {
        let tenant = tenant.clone();
        self.tx(move |tx| {
            let settings = get_body::<Tenant>(tx, "tenants", tenant.as_str())?
                .map(|t| t.settings)
                .unwrap_or_default();
            let mut stmt = tx
                .prepare_cached(
                    "SELECT id, name, status, active_chats, in_video, last_assigned_at, connections, roles,
                            last_seen_at
                     FROM operators WHERE tenant = ?1 ORDER BY id",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![tenant.as_str()], operator_row)
                .map_err(backend)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(backend)?;
            let mut operators = Vec::with_capacity(rows.len());
            for row in rows {
                let (operator, connection_count) = row.into_operator(tenant.as_str())?;
                let connections = operator_ids(tx, &tenant, &operator.id)?;
                operators.push(OperatorSnapshot {
                    operator,
                    connection_count,
                    connections,
                });
            }
            Ok(RoutingSnapshot {
                settings,
                groups: load_groups(tx, &tenant)?,
                operators,
                sla_rules: super::sla::load_rules(tx, &tenant)?,
                handling: super::sla::load_handling(tx, &tenant)?,
                announced: super::sla::announced_loads(tx, &tenant)?,
            })
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn put_sla_rules(&self, tenant: &TenantId, rules: &[SlaRule]) -> StoreResult<()> {
        let (tenant, rules) = (tenant.clone(), rules.to_vec());
        self.tx(move |tx| super::sla::put_rules(tx, &tenant, &rules))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn announce_load(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        load: GroupLoad,
    ) -> StoreResult<()> {
        let (tenant, group) = (tenant.clone(), group.clone());
        self.tx(move |tx| super::sla::announce_load(tx, &tenant, &group, load))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn auto_routed_tenants(&self) -> StoreResult<Vec<TenantId>> {
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT DISTINCT tenant FROM groups WHERE policy = 'auto' ORDER BY tenant",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| {
                r.map_err(backend)
                    .and_then(|t| TenantId::parse(t).map_err(corrupt))
            })
            .collect()
        })
        .await
    }
}
