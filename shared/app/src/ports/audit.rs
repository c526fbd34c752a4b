//! The audit log: every admin change, who made it and what it changed.

use super::{Page, StoreResult};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use switchboard_domain::{OperatorId, TenantId, Timestamp};

/// One admin change. `before` and `after` are the resource as the API shows
/// it, secrets already redacted; None where it did not exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub tenant: TenantId,
    /// Unique and time-ordered (a ULID).
    pub id: String,
    pub at: Timestamp,
    /// Who: None for the bootstrap command and other work without a signed-in admin.
    pub actor: Option<OperatorId>,
    /// What: `widget.create`, `operator.update`, …
    pub action: String,
    /// Which: the resource's id.
    pub target: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[async_trait]
pub trait AuditLog: Send + Sync {
    async fn record(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// Newest first, `limit` at a time from `after` (a page's `next`).
    async fn audit_entries(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<AuditEntry>>;
}
