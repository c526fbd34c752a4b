//! Signing in with the tenant's own OpenID Connect provider, and the
//! provider's settings.

use crate::auth::AdminCaller;
use crate::dto::SessionResponse;
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::State as S;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_domain::OidcProvider;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OidcSignIn {
    /// The tenant whose provider issued the token.
    pub tenant: String,
    /// The provider's ID token (RS256 or ES256), with a verified `email`.
    pub id_token: String,
}

/// A tenant's identity provider.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OidcBody {
    /// The `iss` of its ID tokens.
    pub issuer: String,
    /// Our client id there: the `aud` of its ID tokens.
    pub client_id: String,
    /// Where its signing keys are published.
    pub jwks_uri: String,
}

/// Sign in with an ID token from the tenant's identity provider. Its
/// verified e-mail must belong to an enabled operator of the tenant.
#[utoipa::path(post, path = "/admin/session/oidc", tag = "session", request_body = OidcSignIn,
    responses((status = 200, body = SessionResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn sign_in(
    S(state): S<State>,
    JsonBody(body): JsonBody<OidcSignIn>,
) -> Result<Json<SessionResponse>, ApiError> {
    let signed = state
        .sign_in
        .sign_in_oidc(&body.tenant, &body.id_token)
        .await?;
    Ok(crate::routes::session::session(signed))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OidcStartQuery {
    /// The tenant whose operators are signing in.
    pub tenant: String,
}

/// Where to send an operator who signs in with the tenant's provider.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OidcStartBody {
    pub issuer: String,
    /// Our client id there (`client_id` of the authorization request).
    pub client_id: String,
    /// The provider's `authorization_endpoint` (from its discovery document).
    pub authorization_endpoint: String,
}

/// How to sign in with the tenant's identity provider: the console sends
/// the operator to `authorizationEndpoint` for an ID token, then posts it
/// here. 404 when the tenant has no provider.
#[utoipa::path(get, path = "/admin/session/oidc", tag = "session", params(OidcStartQuery),
    responses((status = 200, body = OidcStartBody), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn start(
    S(state): S<State>,
    axum::extract::Query(query): axum::extract::Query<OidcStartQuery>,
) -> Result<Json<OidcStartBody>, ApiError> {
    let start = state.sign_in.oidc_start(&query.tenant).await?;
    Ok(Json(OidcStartBody {
        issuer: start.issuer,
        client_id: start.client_id,
        authorization_endpoint: start.authorization_endpoint,
    }))
}

/// The tenant's identity provider, if it has one (else 404).
#[utoipa::path(get, path = "/admin/oidc", tag = "tenant", security(("bearer" = ["admin"])),
    responses((status = 200, body = OidcBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<Json<OidcBody>, ApiError> {
    match state.oidc_provider(&caller).await? {
        Some(p) => Ok(Json(OidcBody {
            issuer: p.issuer,
            client_id: p.client_id,
            jwks_uri: p.jwks_uri,
        })),
        None => {
            Err(switchboard_app::usecases::admin::AdminError::NotFound("identity provider").into())
        }
    }
}

/// Let the tenant's operators sign in with its identity provider.
#[utoipa::path(put, path = "/admin/oidc", tag = "tenant", request_body = OidcBody,
    security(("bearer" = ["admin"])),
    responses((status = 200, body = OidcBody), (status = 400, body = ErrorBody)))]
pub async fn put(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
    JsonBody(body): JsonBody<OidcBody>,
) -> Result<Json<OidcBody>, ApiError> {
    let provider = OidcProvider {
        issuer: body.issuer,
        client_id: body.client_id,
        jwks_uri: body.jwks_uri,
    };
    state
        .put_oidc_provider(&caller, Some(provider.clone()))
        .await?;
    Ok(Json(OidcBody {
        issuer: provider.issuer,
        client_id: provider.client_id,
        jwks_uri: provider.jwks_uri,
    }))
}

/// Stop signing in with the identity provider (passwords still work).
#[utoipa::path(delete, path = "/admin/oidc", tag = "tenant", security(("bearer" = ["admin"])),
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete(
    S(state): S<State>,
    AdminCaller(caller): AdminCaller,
) -> Result<StatusCode, ApiError> {
    state.put_oidc_provider(&caller, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
