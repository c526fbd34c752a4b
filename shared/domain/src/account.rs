//! Operator accounts: who may sign in to a tenant's console, and the rules
//! sign-in keeps (e-mail addresses, lockout after repeated failures).

use crate::{OperatorId, Role, TenantId, Timestamp};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address as accounts are keyed by it: trimmed and lowercased,
/// so `Ann@Example.com` and `ann@example.com` are one account.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an e-mail address: {0}")]
pub struct BadEmail(&'static str);

impl Email {
    /// RFC 5321's limit on a forward path.
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, BadEmail> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() || email.len() > Self::MAX_LEN {
            return Err(BadEmail("1 to 254 characters"));
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BadEmail("no spaces"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(BadEmail("missing @"));
        };
        if local.is_empty() || local.contains('@') {
            return Err(BadEmail("one @ after a name"));
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(BadEmail("a domain such as example.com"));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = BadEmail;
    fn try_from(raw: String) -> Result<Self, BadEmail> {
        Email::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An operator's account: the profile an admin manages. Presence and load
/// stay on [`crate::Operator`]; the account says who they are and whether
/// they may sign in at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub tenant: TenantId,
    pub id: OperatorId,
    pub email: Email,
    pub name: String,
    pub roles: Vec<Role>,
    pub enabled: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("name must be 1 to {max} characters")]
    Name { max: usize },
    #[error("roles must name at least one of operator, admin")]
    NoRoles,
}

impl Account {
    pub const MAX_NAME: usize = 120;

    /// The field a refusal is about, for the error shape.
    pub fn validate(&self) -> Result<(), (&'static str, AccountError)> {
        let chars = self.name.trim().chars().count();
        if chars == 0 || chars > Self::MAX_NAME {
            return Err((
                "name",
                AccountError::Name {
                    max: Self::MAX_NAME,
                },
            ));
        }
        if self.roles.is_empty() {
            return Err(("roles", AccountError::NoRoles));
        }
        Ok(())
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }
}

/// How sign-in answers repeated wrong passwords: a few are free, then each
/// further one locks the account for twice as long as the last, up to an
/// hour. A lock slows a guesser to a handful of tries an hour without
/// locking the real owner out for a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub free_failures: u32,
    pub first_lock_seconds: u64,
    pub longest_lock_seconds: u64,
}

impl Default for Lockout {
    fn default() -> Self {
        Lockout {
            free_failures: 5,
            first_lock_seconds: 30,
            longest_lock_seconds: 3600,
        }
    }
}

impl Lockout {
    /// Until when an account with `failures` consecutive failures, the
    /// latest at `now`, is locked; None while it is not.
    pub fn locked_until(&self, failures: u32, now: Timestamp) -> Option<Timestamp> {
        if failures < self.free_failures {
            return None;
        }
        let doublings = (failures - self.free_failures).min(20);
        let seconds = self
            .first_lock_seconds
            .saturating_mul(1u64 << doublings)
            .min(self.longest_lock_seconds);
        Some(now.plus_seconds(seconds))
    }
}

/// What a one-time link lets its holder do, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LinkPurpose {
    /// An invited operator sets their first password.
    Invitation,
    /// An operator who forgot theirs sets a new one.
    PasswordReset,
}

impl LinkPurpose {
    /// How long a link stays usable.
    pub fn lifetime_seconds(self) -> u64 {
        match self {
            LinkPurpose::Invitation => 7 * 24 * 3600,
            LinkPurpose::PasswordReset => 3600,
        }
    }
}

/// A one-time link as stored (under a digest of its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OneTimeLink {
    pub purpose: LinkPurpose,
    pub tenant: TenantId,
    pub operator: OperatorId,
    pub expires_at: Timestamp,
}

/// A tenant's identity provider, as its admin sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OidcProvider {
    /// The `iss` its ID tokens carry (`https://accounts.google.com`).
    pub issuer: String,
    /// Our client id there: the `aud` its ID tokens carry.
    pub client_id: String,
    /// Where its signing keys are published (the discovery document's `jwks_uri`).
    pub jwks_uri: String,
}

impl OidcProvider {
    /// The field that is wrong, if one is.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        let https = |u: &str| {
            u.starts_with("https://")
                || u.starts_with("http://127.0.0.1")
                || u.starts_with("http://localhost")
        };
        if !https(&self.issuer) {
            return Err(("issuer", "an https URL"));
        }
        if self.client_id.trim().is_empty() || self.client_id.len() > 256 {
            return Err(("clientId", "1 to 256 characters"));
        }
        if !https(&self.jwks_uri) {
            return Err(("jwksUri", "an https URL"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "@example.com",
            "ann@",
            "ann@example",
            "a b@x.io",
            "a@b@c.io",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lockout_grows_and_is_capped() {
        let l = Lockout::default();
        let now = Timestamp(1_000_000);
        assert_eq!(l.locked_until(4, now), None);
        assert_eq!(l.locked_until(5, now), Some(now.plus_seconds(30)));
        assert_eq!(l.locked_until(6, now), Some(now.plus_seconds(60)));
        assert_eq!(l.locked_until(40, now), Some(now.plus_seconds(3600)));
    }
}
