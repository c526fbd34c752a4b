//! What reports read: the sessions that began in a period, from an index
//! written with each session's start, never a scan.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{Conversation, TenantId, Timestamp};

/// One page of sessions, oldest first.
#[derive(Debug, Clone, Default)]
pub struct SessionPage {
    /// Each session's number with its conversation as stored now (a
    /// conversation with several sessions in the page is repeated).
    pub sessions: Vec<(u32, Conversation)>,
    /// Where the next page starts; None after the last.
    pub next: Option<String>,
}

#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Sessions that entered a queue in `[from, to)`, oldest first, at most
    /// `limit`, from `after` (a previous page's `next`). Each is indexed in
    /// the write that starts the conversation or reopens it.
    async fn sessions_between(
        &self,
        tenant: &TenantId,
        from: Timestamp,
        to: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<SessionPage>;
}
