//! Conversations over messaging channels: webhooks accepted and queued, queued
//! events turned into contacts, conversations and messages, and operators'
//! messages sent through the provider.
//!
//! Exactly once, end to end: the webhook answers 200 only once its events are
//! queued (so the provider retries anything we did not take); every consumer
//! step is idempotent (a message's client id is derived from the provider's id
//! and stored under a condition; receipts only move a state forward); and the
//! sender never calls the provider for a message no longer queued.

use super::App;
use crate::channels::outbound::{self, SendOutcome};
use crate::channels::{webhook, ChannelsConfig, WebhookError, WebhookReply, WebhookRequest};
use crate::error::ActionError;
use crate::notify::Audience;
use crate::ports::{ConversationError, HttpTransport, PrincipalRef, StartOutcome};
use crate::views::{Event, Side};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{
    Author, Channel, ChannelDetails, ChannelEvent, ClientMessageId, Contact, Conversation,
    ConversationId, Delivery, DeliveryError, DeliveryState, EchoMessage, EntryInfo, EntryType,
    InboundEnvelope, InboundMessage, Message, MessageText, NewMessage, OutboundJob, QueueChange,
    StatusUpdate, TenantId, Timestamp, TransitionError, TypingState, VisitorId,
};

/// How many messages back a Messenger read/delivery watermark is applied to.
const WATERMARK_WINDOW: usize = 50;

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    .map_err(|e| {
        ActionError::Store(crate::ports::StoreError::Backend(format!(
            "visitor id: {e}"
        )))
    })
}

/// The stored message's client id for a provider message id: the store's
/// once-per-client-id insert is what makes a provider's retry a no-op.
fn provider_client_id(channel: Channel, external_id: &str) -> Result<ClientMessageId, ActionError> {
    ClientMessageId::parse(format!(
        "{}.{}",
        channel_tag(channel),
        short_hash(&[external_id])
    ))
    .map_err(|e| ActionError::Store(crate::ports::StoreError::Backend(format!("client id: {e}"))))
}

/// Longer texts than the chat keeps are cut rather than refused: the client
/// already sent it, and a message must not be lost over its length.
fn message_text(raw: Option<&str>) -> Option<MessageText> {
    let raw = raw?;
    let cut: String = raw.chars().take(MessageText::MAX_CHARS).collect();
    MessageText::parse(cut).ok()
}

fn millis_or(seconds: u64, fallback: Timestamp) -> Timestamp {
    if seconds == 0 {
        fallback
    } else {
        Timestamp(seconds.saturating_mul(1000))
    }
}

fn entry_for(contact: &Contact) -> EntryInfo {
    EntryInfo {
        entry_type: EntryType::Chat,
        language: contact.profile.locale.clone().unwrap_or_default(),
        browser: String::new(),
        os: contact.profile.device.clone().unwrap_or_default(),
        widget: contact.account_id.clone(),
        page_url: String::new(),
        name: contact.profile.contact_name.clone(),
        phone: contact.profile.contact_phone.clone(),
    }
}

impl App {
    /// The inbound consumer's use case: one normalized event, applied once.
    pub async fn ingest(&self, envelope: &InboundEnvelope) -> Result<(), ActionError> {
        let tenant = &envelope.tenant;
        match &envelope.event {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => {
                self.ingest_message(tenant, m, envelope.received_at).await
            }
            ChannelEvent::Status(s) => self.ingest_status(tenant, s).await,
            ChannelEvent::Echo(e) => self.ingest_echo(tenant, e, envelope.received_at).await,
            ChannelEvent::Typing {
                channel,
                account_id,
                contact_id,
                state,
                ..
            } => {
                self.ingest_typing(tenant, *channel, account_id, contact_id, *state)
                    .await
            }
            ChannelEvent::Closed {
                channel,
                account_id,
                contact_id,
                ..
            } => {
                self.ingest_close(tenant, *channel, account_id, contact_id)
                    .await
            }
            ChannelEvent::Unhandled { channel, kind, .. } => {
                tracing::info!(?channel, kind, "channel event not handled");
                Ok(())
            }
        }
    }

    async fn channel_conversation(&self, contact: &Contact) -> Result<Conversation, ActionError> {
        let id = ConversationId::parse(self.ids.new_id("conv"))
            .map_err(|e| crate::ports::StoreError::Backend(format!("id: {e}")))?;
        let candidate = Conversation::start(
            id,
            contact.tenant.clone(),
            contact.visitor.clone(),
            contact.channel,
            entry_for(contact),
            self.now(),
        );
        let outcome = self.store.start_conversation(candidate).await?;
        let entered = !matches!(outcome, StartOutcome::Existing(_));
        let conversation = outcome.conversation().clone();
        if entered {
            self.publish_queue_change(&conversation, QueueChange::Entered)
                .await?;
        }
        Ok(conversation)
    }

    async fn store_channel_message(
        &self,
        contact: &Contact,
        message: NewMessage,
    ) -> Result<(), ActionError> {
        let conversation = self.channel_conversation(contact).await?;
        let (conversation, appended) = self.append_or_reopen(conversation, message).await?;
        if appended.duplicate {
            tracing::info!(conversation = %conversation.id, "provider retry of a stored message");
            return Ok(());
        }
        let event = Event::Message {
            message: appended.message,
        };
        self.push_to_participants(&conversation, &event, Audience::everyone())
            .await
    }

    async fn ingest_message(
        &self,
        tenant: &TenantId,
        m: &InboundMessage,
        received_at: Timestamp,
    ) -> Result<(), ActionError> {
        let visitor = contact_visitor_id(m.channel, &m.account_id, &m.contact_id)?;
        let contact = self
            .store
            .save_contact(&Contact {
                tenant: tenant.clone(),
                visitor: visitor.clone(),
                channel: m.channel,
                account_id: m.account_id.clone(),
                contact_id: m.contact_id.clone(),
                profile: m.profile.clone(),
                last_inbound_at: Some(millis_or(m.timestamp, received_at)),
            })
            .await?;
        let message = NewMessage {
            client_id: provider_client_id(m.channel, &m.external_id)?,
            author: Author::Visitor(visitor),
            text: message_text(m.text.as_deref()),
            at: self.now(),
            details: ChannelDetails {
                external_id: Some(m.external_id.clone()),
                attachments: m.attachments.clone(),
                reply: m.reply.clone(),
                unsupported: m.unsupported,
                delivery: None,
            },
        };
        self.store_channel_message(&contact, message).await
    }

    /// Messages the business sent from another app join the conversation on the
    /// business side; our own sends coming back are recognised and skipped.
    async fn ingest_echo(
        &self,
        tenant: &TenantId,
        e: &EchoMessage,
        received_at: Timestamp,
    ) -> Result<(), ActionError> {
        if e.metadata.as_deref().is_some_and(|m| m.starts_with("sb:")) {
            return Ok(());
        }
        let visitor = contact_visitor_id(e.channel, &e.account_id, &e.contact_id)?;
        let existing = self.store.visitor_conversation(tenant, &visitor).await?;
        if let Some(c) = &existing {
            if self
                .store
                .message_by_external_id(tenant, &c.id, &e.external_id)
                .await?
                .is_some()
            {
                return Ok(());
            }
        }
        let contact = self
            .store
            .save_contact(&Contact {
                tenant: tenant.clone(),
                visitor,
                channel: e.channel,
                account_id: e.account_id.clone(),
                contact_id: e.contact_id.clone(),
                profile: Default::default(),
                // The business writing does not open WhatsApp's window; only the client does.
                last_inbound_at: None,
            })
            .await?;
        let message = NewMessage {
            client_id: provider_client_id(e.channel, &e.external_id)?,
            author: Author::Business(
                e.source_app_id
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "external".into()),
            ),
            text: message_text(e.text.as_deref()),
            at: millis_or(e.timestamp, received_at),
            details: ChannelDetails {
                external_id: Some(e.external_id.clone()),
                attachments: e.attachments.clone(),
                ..ChannelDetails::default()
            },
        };
        self.store_channel_message(&contact, message).await
    }

    async fn contact_conversation(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
    ) -> Result<Option<Conversation>, ActionError> {
        let visitor = contact_visitor_id(channel, account, contact)?;
        Ok(self.store.visitor_conversation(tenant, &visitor).await?)
    }

    /// The messages a receipt is about: the one our callback data names, the
    /// one the provider id names, or everything we sent up to a watermark.
    async fn receipt_targets(
        &self,
        conversation: &Conversation,
        s: &StatusUpdate,
    ) -> Result<Vec<Message>, ActionError> {
        let tenant = &conversation.tenant;
        let ours = s.callback.as_deref().and_then(|cb| {
            let rest = cb.strip_prefix("sb:")?;
            let (conv, seq) = rest.rsplit_once(':')?;
            (conv == conversation.id.as_str()).then(|| seq.parse::<u64>().ok())?
        });
        if let Some(seq) = ours {
            return Ok(self
                .store
                .message(tenant, &conversation.id, seq)
                .await?
                .into_iter()
                .collect());
        }
        if let Some(ext) = &s.external_id {
            return Ok(self
                .store
                .message_by_external_id(tenant, &conversation.id, ext)
                .await?
                .into_iter()
                .collect());
        }
        let Some(watermark) = s.watermark else {
            return Ok(Vec::new());
        };
        let page = self
            .store
            .messages(tenant, &conversation.id, None, WATERMARK_WINDOW)
            .await?;
        Ok(page
            .messages
            .into_iter()
            .filter(|m| {
                m.created_at.millis() <= watermark
                    && m.details.delivery.as_ref().is_some_and(|d| {
                        d.state != DeliveryState::Queued && d.advances_to(s.status)
                    })
            })
            .collect())
    }

    async fn ingest_status(&self, tenant: &TenantId, s: &StatusUpdate) -> Result<(), ActionError> {
        let Some(contact) = &s.contact_id else {
            tracing::info!(channel = ?s.channel, "receipt without a contact ignored");
            return Ok(());
        };
        let Some(conversation) = self
            .contact_conversation(tenant, s.channel, &s.account_id, contact)
            .await?
        else {
            return Ok(());
        };
        let targets = self.receipt_targets(&conversation, s).await?;
        if targets.is_empty() {
            // Receipts for messages sent from other apps name nothing of ours.
            tracing::info!(channel = ?s.channel, "receipt for no message of ours");
        }
        for message in targets {
            let delivery = Delivery {
                state: s.status,
                updated_at: self.now(),
                error: s.error.clone(),
            };
            self.record_delivery(&conversation, message.seq, delivery, None)
                .await?;
        }
        Ok(())
    }

    /// Moves a message's delivery forward and tells the conversation's
    /// participants; a step that changes nothing tells nobody.
    pub(crate) async fn record_delivery(
        &self,
        conversation: &Conversation,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> Result<(), ActionError> {
        let Some(updated) = self
            .store
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
        let Some(delivery) = updated.details.delivery.clone() else {
            return Ok(());
        };
        let event = Event::Delivery {
            conversation_id: conversation.id.clone(),
            seq,
            client_message_id: updated.client_id.to_string(),
            delivery,
        };
        // The caller read the conversation while handling this very event.
        self.push_to_participants(conversation, &event, Audience::everyone())
            .await
    }

    async fn ingest_typing(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
        state: TypingState,
    ) -> Result<(), ActionError> {
        let Some(conversation) = self
            .contact_conversation(tenant, channel, account, contact)
            .await?
        else {
            return Ok(());
        };
        let Some(operator) = conversation
            .operator
            .clone()
            .filter(|_| conversation.status == switchboard_domain::ConversationStatus::Active)
        else {
            return Ok(());
        };
        let event = Event::Typing {
            conversation_id: conversation.id.clone(),
            from: Side::Visitor,
            typing: state == TypingState::Start,
        };
        self.push_to(
            tenant,
            &PrincipalRef::Operator(operator),
            &event,
            Audience::everyone(),
        )
        .await
    }

    /// The client ended the conversation on their device (Apple's `close`).
    async fn ingest_close(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
    ) -> Result<(), ActionError> {
        let Some(conversation) = self
            .contact_conversation(tenant, channel, account, contact)
            .await?
        else {
            return Ok(());
        };
        match self
            .store
            .close(tenant, &conversation.id, None, self.now())
            .await
        {
            Ok(closed) => {
                self.announce_close(closed, Side::Visitor, Audience::everyone())
                    .await
            }
            Err(ConversationError::Transition(TransitionError::AlreadyClosed)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// How the sender retries a provider that answers 429 or 5xx: a few quick
/// attempts with doubling delays inside one invocation, then SQS redelivery,
/// and after `max_receives` deliveries the message is marked failed.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base_delay: Duration,
    /// Must match the queue's maxReceiveCount.
    pub max_receives: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(250),
            max_receives: 5,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SenderError {
    #[error("provider still failing, will be redelivered: {0}")]
    Transient(String),
    #[error("record is not an outbound job: {0}")]
    Decode(String),
    #[error(transparent)]
    Action(#[from] ActionError),
}

/// The channel-facing side of the application: webhooks in, sends out.
#[derive(Clone)]
pub struct ChannelGateway {
    pub app: App,
    pub config: Arc<ChannelsConfig>,
    pub http: Arc<dyn HttpTransport>,
    pub retry: RetryPolicy,
}

impl ChannelGateway {
    /// A webhook request, answered. 200 only once its events are queued.
    pub async fn webhook(&self, request: WebhookRequest) -> WebhookReply {
        match self.receive(&request).await {
            Ok(reply) => reply,
            Err(err) => {
                if err.status() >= 500 {
                    tracing::error!(path = %request.path, error = %err, "webhook not taken");
                } else {
                    tracing::warn!(path = %request.path, status = err.status(), error = %err, "webhook refused");
                }
                err.reply()
            }
        }
    }

    async fn receive(&self, request: &WebhookRequest) -> Result<WebhookReply, WebhookError> {
        let received = webhook::receive(&self.config, request)?;
        let now = self.app.now();
        let mut envelopes = Vec::with_capacity(received.events.len());
        for event in received.events {
            if let ChannelEvent::Unhandled { channel, kind, .. } = &event {
                tracing::info!(
                    ?channel,
                    kind,
                    "acknowledged an event type we do not handle"
                );
                continue;
            }
            match self.config.account(event.channel(), event.account_id()) {
                Some(binding) => envelopes.push(InboundEnvelope {
                    tenant: binding.tenant.clone(),
                    received_at: now,
                    event,
                }),
                None => tracing::error!(
                    channel = ?event.channel(),
                    account = event.account_id(),
                    "event for a channel account bound to no tenant; add it to the channels configuration"
                ),
            }
        }
        if !envelopes.is_empty() {
            self.app
                .channels
                .publish_inbound(&envelopes)
                .await
                .map_err(|e| WebhookError::Unavailable(e.to_string()))?;
        }
        Ok(received.reply)
    }

    /// The sender's use case: one operator message through its channel, at most once.
    pub async fn deliver(&self, job: &OutboundJob, receive_count: u32) -> Result<(), SenderError> {
        let app = &self.app;
        let Some(message) = app
            .store
            .message(&job.tenant, &job.conversation, job.seq)
            .await
            .map_err(ActionError::from)?
        else {
            tracing::warn!(conversation = %job.conversation, seq = job.seq, "outbound job for no message");
            return Ok(());
        };
        let queued = message
            .details
            .delivery
            .as_ref()
            .is_some_and(|d| d.state == DeliveryState::Queued);
        if !queued {
            // Sent or failed already: a redelivered job.
            return Ok(());
        }
        let conversation = app
            .store
            .conversation(&job.tenant, &job.conversation)
            .await
            .map_err(ActionError::from)?
            .ok_or(ActionError::ConversationNotFound)?;
        let fail = |code: &str, action: &str, message: String| DeliveryError {
            code: code.into(),
            retryable: false,
            action: action.into(),
            message: Some(message),
        };
        let contact = app
            .store
            .contact(&job.tenant, &conversation.visitor)
            .await
            .map_err(ActionError::from)?;
        let prepared = match contact {
            None => Err(fail(
                "no_contact",
                "none",
                "the conversation has no channel contact".into(),
            )),
            Some(contact) if !contact.window_open(app.now()) => Err(fail(
                "window_closed",
                "send_approved_template_to_reengage",
                "the WhatsApp 24-hour window closed before the message could be sent".into(),
            )),
            Some(contact) => match self.config.account(contact.channel, &contact.account_id) {
                None => Err(fail(
                    "channel_not_configured",
                    "configure_channel_account",
                    format!(
                        "no configuration for {:?} account {}",
                        contact.channel, contact.account_id
                    ),
                )),
                Some(account) => {
                    outbound::build(&self.config, account, &contact, &message, app.now())
                        .map(|call| (contact.channel, call))
                        .map_err(|e| fail("cannot_send", "none", e.to_string()))
                }
            },
        };
        let (channel, call) = match prepared {
            Ok(ready) => ready,
            Err(error) => return Ok(self.fail(&conversation, job.seq, error).await?),
        };
        let apple_id = call
            .headers
            .iter()
            .find(|(k, _)| k == "id")
            .map(|(_, v)| v.clone());
        let mut last_error = None;
        for attempt in 0..self.retry.attempts.max(1) {
            if attempt > 0 {
                tokio::time::sleep(self.retry.base_delay * 2u32.saturating_pow(attempt - 1)).await;
            }
            let outcome = match self.http.execute(call.clone()).await {
                Ok(reply) => outbound::classify(channel, apple_id.as_deref(), &reply),
                Err(e) => SendOutcome::Retry(DeliveryError {
                    code: "transport".into(),
                    retryable: true,
                    action: "retry_with_backoff".into(),
                    message: Some(e.to_string()),
                }),
            };
            match outcome {
                SendOutcome::Sent { external_id } => {
                    let sent = Delivery {
                        state: DeliveryState::Sent,
                        updated_at: app.now(),
                        error: None,
                    };
                    app.record_delivery(&conversation, job.seq, sent, Some(&external_id))
                        .await?;
                    return Ok(());
                }
                SendOutcome::Rejected(error) => {
                    return Ok(self.fail(&conversation, job.seq, error).await?);
                }
                SendOutcome::Retry(error) => {
                    tracing::warn!(?channel, code = %error.code, attempt, "provider asked us to retry");
                    last_error = Some(error);
                }
            }
        }
        let error = last_error.unwrap_or_else(|| crate::channels::errors::http_error(503));
        if receive_count >= self.retry.max_receives {
            let gave_up = DeliveryError {
                code: "retries_exhausted".into(),
                retryable: false,
                action: "resend_later".into(),
                message: Some(format!("last error: {}", error.code)),
            };
            return Ok(self.fail(&conversation, job.seq, gave_up).await?);
        }
        Err(SenderError::Transient(error.code.to_string()))
    }

    async fn fail(
        &self,
        conversation: &Conversation,
        seq: u64,
        error: DeliveryError,
    ) -> Result<(), ActionError> {
        tracing::warn!(conversation = %conversation.id, seq, code = %error.code, "message could not be sent");
        let failed = Delivery {
            state: DeliveryState::Failed,
            updated_at: self.app.now(),
            error: Some(error),
        };
        self.app
            .record_delivery(conversation, seq, failed, None)
            .await
    }
}
