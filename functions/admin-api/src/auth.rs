//! Who is calling: the account behind the bearer access token, as it is now
//! (a disabled or deleted account is refused even with an unexpired token).

use crate::error::ApiError;
use crate::State;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use switchboard_domain::Account;

pub struct Caller(pub Account);

impl FromRequestParts<State> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        Ok(Caller(state.sign_in.authenticate(bearer).await?))
    }
}

/// A caller who must be a tenant admin: refused with 403 before the body is
/// read, so an operator learns nothing from an admin route's validation.
pub struct AdminCaller(pub Account);

impl FromRequestParts<State> for AdminCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, ApiError> {
        let Caller(account) = Caller::from_request_parts(parts, state).await?;
        switchboard_app::usecases::admin::Admin::require_admin(&account)?;
        Ok(AdminCaller(account))
    }
}
