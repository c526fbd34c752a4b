//! Invitation codes (stored as digests) and the counters that limit guessing.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{Invitation, OperatorId, TenantId, Timestamp};

/// Invitations and the counters of wrong guesses.
#[async_trait]
pub trait InvitationStore: Send + Sync {
    /// Stores a new invitation; false if a live one (unused, unexpired at
    /// `now`) has the same digest, so the caller draws another code.
    async fn put_invitation(&self, invitation: &Invitation, now: Timestamp) -> StoreResult<bool>;
    /// Uses the invitation up, atomically: its operator if it existed, was
    /// unused and had not expired at `now`; None otherwise, without saying
    /// which. Of concurrent uses exactly one gets the operator.
    async fn consume_invitation(
        &self,
        tenant: &TenantId,
        digest: &str,
        now: Timestamp,
    ) -> StoreResult<Option<OperatorId>>;
    /// The counts under `keys` that have not expired at `now` (0 for none),
    /// in the order asked.
    async fn attempt_counts(&self, keys: &[String], now: Timestamp) -> StoreResult<Vec<u32>>;
    /// Adds one to each counter, atomically per counter; a new counter
    /// expires at the time given with its key.
    async fn count_attempt(&self, keys: &[(String, Timestamp)]) -> StoreResult<()>;
}
