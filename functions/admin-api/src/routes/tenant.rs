//! The tenant's settings, its groups and its audit log.

use crate::auth::AdminCaller;
use crate::dto::{AuditView, GroupBody, GroupView, Page, PageQuery, TenantUpdate, TenantView};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;
use switchboard_app::usecases::admin::AdminError;
use switchboard_domain::{Capacity, Group, GroupId, TenantSettings};

/// The tenant's name and settings.
#[utoipa::path(get, path = "/admin/tenant", tag = "tenant", security(("bearer" = ["admin"])),
    responses((status = 200, body = TenantView), (status = 403, body = ErrorBody)))]
pub async fn get(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<TenantView>, ApiError> {
    Ok(Json(state.tenant(&caller).await?.into()))
}

/// Replace the tenant's name and settings.
#[utoipa::path(put, path = "/admin/tenant", tag = "tenant", request_body = TenantUpdate,
    security(("bearer" = ["admin"])),
    responses((status = 200, body = TenantView), (status = 400, body = ErrorBody)))]
pub async fn update(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    JsonBody(body): JsonBody<TenantUpdate>,
) -> Result<Json<TenantView>, ApiError> {
    let settings = TenantSettings {
        max_chats: Capacity::new(body.max_chats).map_err(|e| AdminError::invalid("maxChats", e))?,
        transfer_timeout_seconds: body.transfer_timeout_seconds,
    };
    Ok(Json(
        state
            .update_tenant(&caller, body.name, settings, body.timezone)
            .await?
            .into(),
    ))
}

fn view(group: Group) -> GroupView {
    GroupView {
        id: group.id.to_string(),
        group: GroupBody {
            name: group.name,
            members: group.members.iter().map(|m| m.to_string()).collect(),
            policy: group.policy.as_str().to_string(),
            hours: group.hours.and_then(|h| serde_json::to_value(h).ok()),
        },
    }
}

fn group_id(raw: &str) -> Result<GroupId, ApiError> {
    GroupId::parse(raw).map_err(|_| ApiError::BadId("group".into()))
}

/// The tenant's groups, the default one among them.
#[utoipa::path(get, path = "/admin/groups", tag = "groups", security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)))]
pub async fn groups(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<Vec<GroupView>>, ApiError> {
    Ok(Json(
        state
            .group_list(&caller)
            .await?
            .into_iter()
            .map(view)
            .collect(),
    ))
}

/// One group.
#[utoipa::path(get, path = "/admin/groups/{id}", tag = "groups", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody)))]
pub async fn group(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(view(state.group(&caller, &group_id(&id)?).await?)))
}

/// Create or replace a group: its members, routing policy and business hours.
#[utoipa::path(put, path = "/admin/groups/{id}", tag = "groups", params(("id" = String, Path)),
    request_body = GroupBody, security(("bearer" = ["admin"])),
    responses((status = 200, body = GroupView), (status = 400, body = ErrorBody)))]
pub async fn put_group(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<GroupBody>,
) -> Result<Json<GroupView>, ApiError> {
    let id = GroupId::parse(id).map_err(|e| AdminError::invalid("id", e))?;
    // The domain's own reading of members, policy and hours, so the API
    // accepts exactly what the WebSocket's group.put does.
    let raw = json!({
        "id": id, "tenant": caller.tenant, "name": body.name, "members": body.members,
        "policy": body.policy, "hours": body.hours,
    });
    let group: Group = serde_path_to_error::deserialize(raw)
        .map_err(|e| AdminError::invalid(e.path().to_string(), e.into_inner()))?;
    Ok(Json(view(state.put_group(&caller, group).await?)))
}

/// Delete a group that nothing routes to and nobody waits in (409 naming
/// what still does); the default group cannot be deleted.
#[utoipa::path(delete, path = "/admin/groups/{id}", tag = "groups", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_group(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete_group(&caller, &group_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The audit log, newest first: who changed what, when, before and after.
#[utoipa::path(get, path = "/admin/audit", tag = "audit", params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Page<AuditView>), (status = 403, body = ErrorBody)))]
pub async fn audit(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<AuditView>>, ApiError> {
    let page = state
        .audit_entries(&caller, q.cursor.as_deref(), q.limit())
        .await?;
    Ok(Json(Page::map(page, AuditView::from)))
}
