//! Hero Cards: the tenant's definitions and the cards sent into
//! conversations, answered once.

use super::{StoreError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::cards::{
    CardAnswer, CardDefinition, CardError, CardInstance, WhatsAppTemplate,
};
use switchboard_domain::{TenantId, Timestamp};

#[derive(Debug, thiserror::Error)]
pub enum CardStoreError {
    #[error("no such card")]
    NotFound,
    #[error(transparent)]
    Card(#[from] CardError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[async_trait]
pub trait CardStore: Send + Sync {
    /// Creates or replaces a definition (cards already sent keep theirs).
    async fn put_card(&self, card: &CardDefinition) -> StoreResult<()>;
    async fn card(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardDefinition>>;
    /// Deletes a definition and returns it (cards already sent keep their own copy).
    async fn delete_card(&self, tenant: &TenantId, id: &str)
        -> StoreResult<Option<CardDefinition>>;
    /// Every definition of the tenant, by channel, language, then name.
    async fn cards(&self, tenant: &TenantId) -> StoreResult<Vec<CardDefinition>>;
    /// Stores a sent card, once: a card with its id already stored (a
    /// retried send) is returned as stored.
    async fn put_instance(&self, instance: &CardInstance) -> StoreResult<CardInstance>;
    async fn instance(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardInstance>>;
    /// Applies an answer ([`CardInstance::answer`]) to the card as `seen`
    /// (the caller's read), in one write conditioned on its being still
    /// open: of concurrent or repeated answers exactly one wins, and the
    /// others get `Card(AlreadyResolved)` naming the winner.
    ///
    /// # Errors
    /// `NotFound`; `Card` (resolved, expired, values refused).
    async fn answer_card(
        &self,
        seen: &CardInstance,
        answer: &CardAnswer,
    ) -> Result<CardInstance, CardStoreError>;
    /// Open cards whose time is up at `now`, any tenant, soonest first (for
    /// the scheduled sweep, never a request path).
    async fn due_cards(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<CardInstance>>;
    /// Expires the card as `seen` if it is still open and due, in one
    /// write conditioned on its being open; None if it is not (answered
    /// meanwhile, or not due).
    async fn expire_card(
        &self,
        seen: &CardInstance,
        now: Timestamp,
    ) -> StoreResult<Option<CardInstance>>;
    /// Creates or replaces a WhatsApp template (by name and language).
    async fn put_template(&self, template: &WhatsAppTemplate) -> StoreResult<()>;
    /// Every template of the tenant, by name, then language.
    async fn templates(&self, tenant: &TenantId) -> StoreResult<Vec<WhatsAppTemplate>>;
}
