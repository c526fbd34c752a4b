//! Conversations over messaging channels: webhooks accepted and queued, queued
//! events turned into contacts, conversations and messages, and operators'
//! messages sent through the provider.
//!
//! Exactly once, end to end: the webhook answers 200 only once its events are
//! queued (so the provider retries anything we did not take); every consumer
//! step is idempotent (a message's client id is derived from the provider's id
//! and stored under a condition; receipts only move a state forward); and the
//! sender never calls the provider for a message no longer queued.

mod card_links;
mod data_ref;
mod ingest;
mod receipts;
mod sender;
mod webhook;

pub use ingest::Ingest;
pub use sender::{RetryPolicy, Sender, SenderError};
pub use webhook::Webhook;

use super::notify::{Audience, Notifier};
use crate::error::ActionError;
use crate::ports::DeliveryStore;
use crate::views::Event;
use switchboard_domain::{
    Channel, ClientMessageId, Contact, Conversation, Delivery, EntryInfo, EntryType, MessageText,
    Timestamp, VisitorId,
};

fn short_hash(parts: &[&str]) -> String {
    crate::digest::hex_prefix(&crate::digest::sha256_parts(parts), 16)
}

fn channel_tag(channel: Channel) -> &'static str {
    match channel {
        Channel::WebChat => "web",
        Channel::WhatsApp => "wa",
        Channel::Messenger => "fb",
        Channel::Instagram => "ig",
        Channel::Apple => "amb",
        Channel::Vk => "vk",
    }
}

/// The visitor id of a channel contact: derived, not allocated, so concurrent
/// webhooks for one person agree on it without coordination.
pub fn contact_visitor_id(
    channel: Channel,
    account: &str,
    contact: &str,
) -> Result<VisitorId, ActionError> {
    VisitorId::parse(format!(
        "{}-{}",
        channel_tag(channel),
        short_hash(&[account, contact])
    ))
    .map_err(ActionError::Id)
}

/// The stored message's client id for a provider message id: the store's
/// once-per-client-id insert is what makes a provider's retry a no-op.
pub(super) fn provider_client_id(
    channel: Channel,
    external_id: &str,
) -> Result<ClientMessageId, ActionError> {
    ClientMessageId::parse(format!(
        "{}.{}",
        channel_tag(channel),
        short_hash(&[external_id])
    ))
    .map_err(ActionError::Id)
}

/// Longer texts than the chat keeps are cut rather than refused: the client
/// already sent it, and a message must not be lost over its length.
pub(super) fn message_text(raw: Option<&str>) -> Option<MessageText> {
    let raw = raw?;
    let cut: String = raw.chars().take(MessageText::MAX_CHARS).collect();
    MessageText::parse(cut).ok()
}

pub(super) fn millis_or(seconds: u64, fallback: Timestamp) -> Timestamp {
    if seconds == 0 {
        fallback
    } else {
        Timestamp(seconds.saturating_mul(1000))
    }
}

pub(super) fn entry_for(contact: &Contact) -> EntryInfo {
    EntryInfo {
        entry_type: EntryType::Chat,
        language: contact.profile.locale.clone().unwrap_or_default(),
        browser: String::new(),
        os: contact.profile.device.clone().unwrap_or_default(),
        widget: contact.account_id.clone(),
        page_url: String::new(),
        name: contact.profile.contact_name.clone(),
        phone: contact.profile.contact_phone.clone(),
        email: None,
    }
}

/// Moves a message's delivery forward and tells the conversation's
/// participants; a step that changes nothing tells nobody.
pub(super) async fn record_delivery(
    delivery_store: &dyn DeliveryStore,
    notifier: &Notifier,
    conversation: &Conversation,
    seq: u64,
    delivery: Delivery,
    external_id: Option<&str>,
) -> Result<(), ActionError> {
    let Some(updated) = delivery_store
        .advance_delivery(
            &conversation.tenant,
            &conversation.id,
            seq,
            delivery,
            external_id,
        )
        .await?
    else {
        return Ok(());
    };
    let Some(delivery) = updated.delivery.clone() else {
        return Ok(());
    };
    let event = Event::Delivery {
        conversation_id: conversation.id.clone(),
        seq,
        client_message_id: updated.client_id.to_string(),
        delivery,
    };
    // The caller read the conversation while handling this very event.
    notifier
        .push_to_participants(conversation, &event, Audience::everyone())
        .await
}
