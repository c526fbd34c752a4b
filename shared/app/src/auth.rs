//! Who may connect. Operators bring a token signed by the tenant's identity
//! provider (HS256, shared key from configuration). Visitors first bring only the
//! public widget id and receive a visitor token, which they present on reconnect.

use crate::jwt::{self, JwtError};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    InvitationCode, OperatorId, Role, TenantId, Timestamp, VisitorId, WidgetId,
};

const OPERATOR_AUDIENCE: &str = "switchboard:operator";
const VISITOR_AUDIENCE: &str = "switchboard:visitor";
/// A visitor keeps their conversation across page loads for this long.
pub const VISITOR_TOKEN_TTL_SECONDS: u64 = 30 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorClaims {
    pub sub: OperatorId,
    pub tenant: TenantId,
    pub name: String,
    pub roles: Vec<Role>,
    /// Seconds since the epoch.
    pub exp: u64,
    pub aud: String,
    /// Issued by sign-in to an account: the account must still exist and be
    /// enabled wherever the token is presented. False for tokens minted by
    /// an identity provider holding the signing key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorClaims {
    pub sub: VisitorId,
    pub tenant: TenantId,
    pub widget: WidgetId,
    pub exp: u64,
    pub aud: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Jwt(#[from] JwtError),
    #[error("token has expired")]
    Expired,
    #[error("token is not meant for this kind of client")]
    WrongAudience,
}

/// Issues and checks tokens with one HMAC key. The key is secret configuration.
#[derive(Clone)]
pub struct TokenService {
    key: SecretSlice<u8>,
}

impl std::fmt::Debug for TokenService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenService { key: <redacted> }")
    }
}

impl TokenService {
    /// The digest an invitation code is stored under: an HMAC with the
    /// signing key, so a leaked table does not give the codes away to a
    /// million guesses.
    pub fn invitation_digest(&self, tenant: &TenantId, code: &InvitationCode) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(self.key.expose_secret())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        for part in ["invitation", tenant.as_str(), code.as_str()] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// Keys shorter than 32 bytes are refused: HS256 is only as strong as its key.
    pub fn new(key: impl Into<Vec<u8>>) -> Result<Self, String> {
        let key = key.into();
        if key.len() < 32 {
            return Err(format!(
                "the token signing key must be at least 32 bytes, got {}",
                key.len()
            ));
        }
        Ok(Self {
            key: SecretSlice::from(key),
        })
    }

    pub fn issue_operator(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
        name: &str,
        roles: &[Role],
        expires: Timestamp,
    ) -> Result<String, JwtError> {
        jwt::sign(
            &OperatorClaims {
                sub: operator.clone(),
                tenant: tenant.clone(),
                name: name.to_string(),
                roles: roles.to_vec(),
                exp: expires.seconds(),
                aud: OPERATOR_AUDIENCE.into(),
                account: false,
            },
            self.key.expose_secret(),
        )
    }

    /// An access token for a signed-in account (see [`OperatorClaims::account`]).
    pub fn issue_signed_in(
        &self,
        account: &switchboard_domain::Account,
        expires: Timestamp,
    ) -> Result<String, JwtError> {
        jwt::sign(
            &OperatorClaims {
                sub: account.id.clone(),
                tenant: account.tenant.clone(),
                name: account.name.clone(),
                roles: account.roles.clone(),
                exp: expires.seconds(),
                aud: OPERATOR_AUDIENCE.into(),
                account: true,
            },
            self.key.expose_secret(),
        )
    }

    pub fn issue_visitor(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        widget: &WidgetId,
        now: Timestamp,
    ) -> Result<String, JwtError> {
        jwt::sign(
            &VisitorClaims {
                sub: visitor.clone(),
                tenant: tenant.clone(),
                widget: widget.clone(),
                exp: now.plus_seconds(VISITOR_TOKEN_TTL_SECONDS).seconds(),
                aud: VISITOR_AUDIENCE.into(),
            },
            self.key.expose_secret(),
        )
    }

    /// A visitor token that ends at `until`: for a link handed to a channel
    /// client (a card's form), which should not outlive what it is for.
    pub fn issue_visitor_until(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        widget: &WidgetId,
        until: Timestamp,
    ) -> Result<String, JwtError> {
        jwt::sign(
            &VisitorClaims {
                sub: visitor.clone(),
                tenant: tenant.clone(),
                widget: widget.clone(),
                exp: until.seconds(),
                aud: VISITOR_AUDIENCE.into(),
            },
            self.key.expose_secret(),
        )
    }

    pub fn verify_operator(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<OperatorClaims, TokenError> {
        let claims: OperatorClaims = jwt::verify(token, self.key.expose_secret())?;
        check(&claims.aud, OPERATOR_AUDIENCE, claims.exp, now)?;
        Ok(claims)
    }

    pub fn verify_visitor(&self, token: &str, now: Timestamp) -> Result<VisitorClaims, TokenError> {
        let claims: VisitorClaims = jwt::verify(token, self.key.expose_secret())?;
        check(&claims.aud, VISITOR_AUDIENCE, claims.exp, now)?;
        Ok(claims)
    }
}

fn check(aud: &str, expected: &str, exp: u64, now: Timestamp) -> Result<(), TokenError> {
    if aud != expected {
        return Err(TokenError::WrongAudience);
    }
    if exp <= now.seconds() {
        return Err(TokenError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc() -> TokenService {
        TokenService::new(vec![7u8; 32]).unwrap()
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(TokenService::new(b"short".to_vec()).is_err());
    }

    #[test]
    fn operator_token_round_trip_and_expiry() {
        let t = TenantId::parse("t").unwrap();
        let o = OperatorId::parse("o").unwrap();
        let tok = svc()
            .issue_operator(&t, &o, "Olga", &[Role::Operator], Timestamp(10_000))
            .unwrap();
        let claims = svc().verify_operator(&tok, Timestamp(9_000)).unwrap();
        assert_eq!(claims.tenant, t);
        assert_eq!(
            svc().verify_operator(&tok, Timestamp(10_000)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn visitor_token_is_not_an_operator_token() {
        let tok = svc()
            .issue_visitor(
                &TenantId::parse("t").unwrap(),
                &VisitorId::parse("v").unwrap(),
                &WidgetId::parse("w").unwrap(),
                Timestamp(0),
            )
            .unwrap();
        assert!(svc().verify_operator(&tok, Timestamp(1)).is_err());
        assert!(svc().verify_visitor(&tok, Timestamp(1)).is_ok());
    }
}
