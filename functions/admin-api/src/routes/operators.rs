//! Operator accounts.

use crate::auth::AdminCaller;
use crate::dto::{OperatorCreate, OperatorUpdate, OperatorView, Page, PageQuery};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::Json;
use switchboard_app::usecases::admin::{AccountChange, NewOperator};
use switchboard_domain::OperatorId;

fn operator_id(raw: &str) -> Result<OperatorId, ApiError> {
    OperatorId::parse(raw).map_err(|_| ApiError::BadId("operator".into()))
}

/// The tenant's operators, by id.
#[utoipa::path(get, path = "/admin/operators", tag = "operators", params(PageQuery),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Page<OperatorView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<OperatorView>>, ApiError> {
    let page = state
        .operator_list(&caller, q.cursor.as_deref(), q.limit())
        .await?;
    Ok(Json(Page::map(page, OperatorView::from)))
}

/// Invite an operator: the account is created and an invitation mailed,
/// whose link sets the password once (valid seven days).
#[utoipa::path(post, path = "/admin/operators", tag = "operators", request_body = OperatorCreate,
    security(("bearer" = ["admin"])),
    responses((status = 201, body = OperatorView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    JsonBody(body): JsonBody<OperatorCreate>,
) -> Result<(StatusCode, Json<OperatorView>), ApiError> {
    let new = NewOperator {
        email: body.email,
        name: body.name,
        roles: body.roles.into_iter().map(Into::into).collect(),
    };
    let account = state.invite_operator(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(account.into())))
}

/// One operator.
#[utoipa::path(get, path = "/admin/operators/{id}", tag = "operators", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 200, body = OperatorView), (status = 404, body = ErrorBody)))]
pub async fn get(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<OperatorView>, ApiError> {
    Ok(Json(
        state.operator(&caller, &operator_id(&id)?).await?.into(),
    ))
}

/// Replace an operator's e-mail, name, roles and whether they may sign in.
/// Disabling refuses their tokens at once and closes their open consoles.
#[utoipa::path(put, path = "/admin/operators/{id}", tag = "operators", params(("id" = String, Path)),
    request_body = OperatorUpdate, security(("bearer" = ["admin"])),
    responses((status = 200, body = OperatorView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<OperatorUpdate>,
) -> Result<Json<OperatorView>, ApiError> {
    let change = AccountChange {
        email: body.email,
        name: body.name,
        roles: body.roles.into_iter().map(Into::into).collect(),
        enabled: body.enabled,
    };
    Ok(Json(
        state
            .update_operator(&caller, &operator_id(&id)?, change)
            .await?
            .into(),
    ))
}

/// Delete an operator's account (refused while conversations are assigned to them).
#[utoipa::path(delete, path = "/admin/operators/{id}", tag = "operators", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.delete_operator(&caller, &operator_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail the operator a fresh invitation.
#[utoipa::path(post, path = "/admin/operators/{id}/invitation", tag = "operators", params(("id" = String, Path)),
    security(("bearer" = ["admin"])),
    responses((status = 202), (status = 404, body = ErrorBody)))]
pub async fn reinvite(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.reinvite(&caller, &operator_id(&id)?).await?;
    Ok(StatusCode::ACCEPTED)
}
