//! Text blocks as admins manage them and operators search them. A block's
//! id is the tenant's own. Every change moves the tenant's version, so a
//! function may keep the tenant's blocks folded in memory and check one
//! number before each search instead of reading them all again.

use super::{Page, StoreResult};
use async_trait::async_trait;
use switchboard_domain::workspace::TextBlock;
use switchboard_domain::TenantId;

#[async_trait]
pub trait TextBlockStore: Send + Sync {
    /// Creates or replaces the block and moves the tenant's version, in one
    /// write; returns the block it replaced.
    async fn put_text_block(&self, block: &TextBlock) -> StoreResult<Option<TextBlock>>;
    /// Deletes the block and moves the version, in one write; returns what
    /// it was (None, changing nothing, when there was none).
    async fn delete_text_block(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<TextBlock>>;
    async fn text_block(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TextBlock>>;
    /// The tenant's blocks by id, `limit` at a time from `after`.
    async fn text_blocks(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<TextBlock>>;
    /// The tenant's version: 0 before any block was written, then moving
    /// with every change.
    async fn text_blocks_version(&self, tenant: &TenantId) -> StoreResult<u64>;
    /// Every block of the tenant. A cache reads the version first, so what
    /// it keeps is never older than the version it keeps it under.
    async fn all_text_blocks(&self, tenant: &TenantId) -> StoreResult<Vec<TextBlock>>;
}
