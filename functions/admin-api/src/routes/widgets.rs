//! Widgets.

use crate::auth::AdminCaller;
use crate::dto::{EntryName, Page, PageQuery, WidgetBody, WidgetUpdate};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::Json;
use switchboard_app::usecases::admin::AdminError;
use switchboard_domain::{GroupId, Widget, WidgetId};

fn widget_id(raw: &str) -> Result<WidgetId, ApiError> {
    WidgetId::parse(raw).map_err(|_| ApiError::BadId("widget".into()))
}

fn group_id(raw: Option<String>) -> Result<Option<GroupId>, ApiError> {
    raw.map(|g| GroupId::parse(g).map_err(|e| AdminError::invalid("group", e).into()))
        .transpose()
}

/// The tenant's widgets, by id.
#[utoipa::path(get, path = "/admin/widgets", tag = "widgets", params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Page<WidgetBody>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<WidgetBody>>, ApiError> {
    let page = state
        .widget_list(&caller, q.cursor.as_deref(), q.limit())
        .await?;
    Ok(Json(Page::map(page, WidgetBody::from)))
}

/// Create a widget.
#[utoipa::path(post, path = "/admin/widgets", tag = "widgets", request_body = WidgetBody,
    security(("bearer" = ["admin"])),
    responses((status = 201, body = WidgetBody), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    JsonBody(body): JsonBody<WidgetBody>,
) -> Result<(StatusCode, Json<WidgetBody>), ApiError> {
    let widget = Widget {
        id: WidgetId::parse(body.id).map_err(|e| AdminError::invalid("id", e))?,
        tenant: caller.tenant.clone(),
        name: body.name,
        group: group_id(body.group)?,
        offline_email: body.offline_email,
        allowed_origins: body.allowed_origins,
        entries: EntryName::to_domain(body.entries),
    };
    let widget = state.create_widget(&caller, widget).await?;
    Ok((StatusCode::CREATED, Json(widget.into())))
}

/// One widget.
#[utoipa::path(get, path = "/admin/widgets/{id}", tag = "widgets", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = WidgetBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<WidgetBody>, ApiError> {
    Ok(Json(state.widget(&caller, &widget_id(&id)?).await?.into()))
}

/// Replace a widget.
#[utoipa::path(put, path = "/admin/widgets/{id}", tag = "widgets", params(("id" = String, Path)),
    request_body = WidgetUpdate, security(("bearer" = ["admin"])),
    responses((status = 200, body = WidgetBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<WidgetUpdate>,
) -> Result<Json<WidgetBody>, ApiError> {
    let widget = Widget {
        id: widget_id(&id)?,
        tenant: caller.tenant.clone(),
        name: body.name,
        group: group_id(body.group)?,
        offline_email: body.offline_email,
        allowed_origins: body.allowed_origins,
        entries: EntryName::to_domain(body.entries),
    };
    Ok(Json(state.update_widget(&caller, widget).await?.into()))
}

/// Delete a widget; its visitors' sockets are refused from then on.
#[utoipa::path(delete, path = "/admin/widgets/{id}", tag = "widgets", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete_widget(&caller, &widget_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
