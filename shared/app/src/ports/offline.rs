//! Offline requests, and the claim that makes their mailing happen once.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{OfflineRequest, TenantId, Timestamp};

#[async_trait]
pub trait OfflineStore: Send + Sync {
    /// Stores the request under its id; storing the same id again changes
    /// nothing.
    async fn put_offline_request(&self, request: &OfflineRequest) -> StoreResult<()>;
    async fn offline_request(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<OfflineRequest>>;
    /// Claims the mailing of a request, atomically: true for the first
    /// claim, false once claimed (a redelivered job).
    async fn claim_mailing(&self, tenant: &TenantId, id: &str, now: Timestamp)
        -> StoreResult<bool>;
    /// Gives a claim back after the mail could not be sent, so a retry may
    /// claim it again.
    async fn release_mailing(&self, tenant: &TenantId, id: &str) -> StoreResult<()>;
}
