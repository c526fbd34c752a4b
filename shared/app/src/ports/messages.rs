//! A conversation's messages: one gapless order, one copy per client message id.

use super::{ConversationError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::{
    ClientMessageId, Conversation, ConversationId, Message, NewMessage, TenantId,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Appended {
    pub message: Message,
    /// The client message id was seen before: `message` is the stored original.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessagePage {
    /// Oldest first.
    pub messages: Vec<Message>,
    /// Older messages exist before the first one returned.
    pub has_more: bool,
}

#[async_trait]
pub trait MessageStore: Send + Sync {
    /// Stores the message as the next in the conversation's order, once per
    /// client message id. `conversation` is the caller's latest read: the
    /// store tries the number after its `last_seq` first and reads again only
    /// when someone else wrote in between.
    ///
    /// # Errors
    /// `NotFound`; `Transition(AlreadyClosed)` for a new message on a closed
    /// conversation (a resend of a stored one is answered as a duplicate even then).
    async fn append_message(
        &self,
        conversation: &Conversation,
        message: NewMessage,
    ) -> Result<Appended, ConversationError>;
    /// Up to `limit` messages with `seq < before` (or the newest), oldest first.
    async fn messages(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<MessagePage>;
    /// Looks up a message by the id its client gave it.
    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>>;
    async fn message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>>;
}
