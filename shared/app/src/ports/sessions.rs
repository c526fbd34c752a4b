//! Signed-in sessions (rotating refresh tokens) and one-time links.
//! Every secret is stored as a digest only.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{OneTimeLink, OperatorId, TenantId, Timestamp};

/// Who a refresh token signs in, and its family: every token rotated from
/// one sign-in shares it, and reuse of any of them ends the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub tenant: TenantId,
    pub operator: OperatorId,
    pub family: String,
    pub expires_at: Timestamp,
}

/// What presenting a refresh token came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The old token is spent and the new one stands in the same family.
    Rotated(Grant),
    /// The token had already been spent, or its family ended: the family is
    /// ended now (if it was not), and the holder must sign in again.
    Reused(Grant),
    /// Never issued, or expired.
    Unknown,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Starts a family with its first token.
    async fn start_session(&self, token_digest: &str, grant: &Grant) -> StoreResult<()>;
    /// Spends `old` for `new` (which expires at `expires_at`), atomically:
    /// of two racing rotations of one token, one wins and the other is
    /// reuse.
    async fn rotate(
        &self,
        old_digest: &str,
        new_digest: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<Rotation>;
    /// Ends the token's family (sign-out); None if the token is unknown.
    async fn end_session(&self, token_digest: &str) -> StoreResult<Option<Grant>>;
    /// Ends every family of the operator (disabled, password changed).
    async fn end_sessions_of(&self, tenant: &TenantId, operator: &OperatorId) -> StoreResult<()>;

    /// Stores a one-time link under its digest.
    async fn put_link(&self, digest: &str, link: &OneTimeLink) -> StoreResult<()>;
    /// Reads the link without taking it (to check what it is for first).
    async fn peek_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>>;
    /// Takes the link: the first call gets it and every later one None, even
    /// when they race. An expired link is taken too, and the caller sees its
    /// `expires_at`.
    async fn take_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>>;
}
