//! Unite: contact merges, applied and undone each in one write, and kept
//! for the admins who may undo them.

use super::{Page, StoreError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::workspace::unite::{Merge, Undone};
use switchboard_domain::{ConversationId, TenantId, VisitorId};

#[derive(Debug, thiserror::Error)]
pub enum UniteError {
    /// Either contact changed since it was read (merged meanwhile, or a
    /// value the merge takes from B or replaces on A): read and plan again.
    #[error("a contact changed while it was being merged")]
    Changed,
    #[error("no such merge")]
    NotFound,
    #[error("the merge was undone already")]
    AlreadyUndone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[async_trait]
pub trait UniteStore: Send + Sync {
    /// Atomically, or not at all: B's conversation becomes A's client's
    /// ([`switchboard_domain::Conversation::client`]), both conversations
    /// take A's new name, phone and e-mail (and are found by them), A gets
    /// what it takes from B ([`Merge::taken`]), B's tags and information
    /// are cleared, and the merge is recorded. Writes nothing a message
    /// writes, so messages arriving on either side are untouched.
    ///
    /// # Errors
    /// `Changed` if A or B was merged since it was read, B has clients of
    /// its own merged into it, or a value of A the merge relies on moved.
    async fn merge_contacts(&self, merge: &Merge) -> Result<(), UniteError>;
    async fn merge_record(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<Merge>>;
    /// The tenant's merges, newest first.
    async fn merges(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Merge>>;
    /// The contacts merged into `client` (and not undone), with their
    /// conversations.
    async fn merged_into(
        &self,
        tenant: &TenantId,
        client: &VisitorId,
    ) -> StoreResult<Vec<(VisitorId, ConversationId)>>;
    /// Atomically: B's conversation is B's again with B's name, phone and
    /// e-mail, B's tags and information are restored as they were, A gives
    /// back what it took from B (A's identity as `into_identity`), and the
    /// merge is marked undone. Returns it as stored now.
    ///
    /// # Errors
    /// `NotFound`, `AlreadyUndone`.
    async fn undo_merge(
        &self,
        tenant: &TenantId,
        id: &str,
        undone: &Undone,
        into_identity: &switchboard_domain::workspace::ClientCard,
    ) -> Result<Merge, UniteError>;
}
