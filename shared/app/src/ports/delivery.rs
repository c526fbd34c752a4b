//! Where what we sent through a channel stands: queued, sent, failed,
//! delivered, read, and the provider's id for it.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{
    Contact, Conversation, ConversationId, Delivery, Message, OutboundJob, TenantId, VisitorId,
};

/// What the sender needs to send one message, read together.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub message: Message,
    /// With its watchers, who hear how the send went.
    pub conversation: Conversation,
    /// None when the conversation has no channel contact.
    pub contact: Option<Contact>,
}

/// The message a provider's receipt names, in its conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptTarget {
    pub conversation: Conversation,
    pub seq: u64,
}

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
    /// The message an outbound job names, with its conversation and contact;
    /// None if the message or the conversation is gone.
    async fn outbound(&self, job: &OutboundJob) -> StoreResult<Option<Outbound>>;
    /// The message of ours a receipt names by the provider's id, in the
    /// client's current conversation; None if there is none.
    async fn receipt_target(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        external_id: &str,
    ) -> StoreResult<Option<ReceiptTarget>>;
}
