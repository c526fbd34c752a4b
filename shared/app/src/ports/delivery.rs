//! Where what we sent through a channel stands: queued, sent, failed,
//! delivered, read, and the provider's id for it.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{ConversationId, Delivery, Message, TenantId};

#[async_trait]
pub trait DeliveryStore: Send + Sync {
    /// Moves a message's delivery state forward, never back: if the stored
    /// state already ranks at or above `delivery.state`, nothing changes and
    /// None is returned. With `external_id`, the provider's id is recorded on
    /// the message and indexed for [`Self::message_by_external_id`].
    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>>;
    /// The message a channel knows by `external_id`.
    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>>;
}
