//! Sign-in, refresh, sign-out, password reset and invitations.

use crate::auth::Caller;
use crate::dto::{
    OperatorView, RefreshRequest, ResetRequest, SessionResponse, SetPasswordRequest, SignInRequest,
};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::http::StatusCode;
use axum::Json;
use switchboard_app::usecases::admin::SignedIn;
use switchboard_domain::LinkPurpose;

pub(crate) fn session(s: SignedIn) -> Json<SessionResponse> {
    Json(SessionResponse {
        access_token: s.access_token,
        expires_in: s.expires_in,
        refresh_token: s.refresh_token,
        operator: s.account.into(),
    })
}

/// Sign in with e-mail and password.
///
/// Wrong e-mail, wrong password and a locked account get the same answer.
/// Five failures in a row lock the account for 30 s, each further one for
/// twice as long, up to an hour.
#[utoipa::path(post, path = "/admin/session", tag = "session",
    request_body = SignInRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
pub async fn sign_in(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<SignInRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    Ok(session(
        state.sign_in.sign_in(&body.email, &body.password).await?,
    ))
}

/// Spend a refresh token for a new access and refresh token.
///
/// A refresh token works once; presenting a spent one ends every token of
/// that sign-in.
#[utoipa::path(post, path = "/admin/session/refresh", tag = "session",
    request_body = RefreshRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<RefreshRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    Ok(session(state.sign_in.refresh(&body.refresh_token).await?))
}

/// Sign out: the refresh token and every one rotated from the same sign-in stop working.
#[utoipa::path(post, path = "/admin/session/sign-out", tag = "session",
    request_body = RefreshRequest, responses((status = 204)))]
pub async fn sign_out(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    state.sign_in.sign_out(&body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a password-reset link by e-mail (valid one hour). The answer is
/// the same whether or not the address has an account.
#[utoipa::path(post, path = "/admin/password-reset", tag = "session",
    request_body = ResetRequest, responses((status = 202), (status = 400, body = ErrorBody)))]
pub async fn request_reset(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<ResetRequest>,
) -> Result<StatusCode, ApiError> {
    state.sign_in.request_reset(&body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets the password a one-time link was sent for, and signs in.
async fn set_password(
    state: &State,
    purpose: LinkPurpose,
    body: SetPasswordRequest,
) -> Result<Json<SessionResponse>, ApiError> {
    let signed = state
        .sign_in
        .complete_link(purpose, &body.token, &body.password)
        .await?;
    Ok(session(signed))
}

/// Set a new password with a reset link's token; signs in.
#[utoipa::path(post, path = "/admin/password-reset/complete", tag = "session",
    request_body = SetPasswordRequest,
    responses((status = 200, body = SessionResponse), (status = 400, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn complete_reset(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<SetPasswordRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    set_password(&state, LinkPurpose::PasswordReset, body).await
}

/// Accept an invitation: set the first password with the invitation's token; signs in.
#[utoipa::path(post, path = "/admin/invitations/accept", tag = "session",
    request_body = SetPasswordRequest,
    responses((status = 200, body = SessionResponse), (status = 400, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn accept_invitation(
    axum::extract::State(state): axum::extract::State<State>,
    JsonBody(body): JsonBody<SetPasswordRequest>,
) -> Result<Json<SessionResponse>, ApiError> {
    set_password(&state, LinkPurpose::Invitation, body).await
}

/// The signed-in operator's own account.
#[utoipa::path(get, path = "/admin/me", tag = "session",
    security(("bearer" = [])),
    responses((status = 200, body = OperatorView), (status = 401, body = ErrorBody)))]
pub async fn me(Caller(caller): Caller) -> Json<OperatorView> {
    Json(caller.into())
}
