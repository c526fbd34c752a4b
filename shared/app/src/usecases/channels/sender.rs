//! The sender's use case: one operator message through its channel, at most
//! once. It calls the provider only while the message is still `queued`, so a
//! redelivered job sends nothing.

use super::record_delivery;
use crate::adapters::Adapters;
use crate::channels::outbound::{self, SendOutcome};
use crate::channels::{ChannelsConfig, ChannelsSource};
use crate::error::ActionError;
use crate::ports::{CardStore, DeliveryStore, HttpTransport, Outbound};
use crate::usecases::notify::Notifier;
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::{
    Content, Conversation, Delivery, DeliveryError, DeliveryState, OutboundJob, Timestamp,
};

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

/// The `channel-sender` function's use case.
#[derive(Clone)]
pub struct Sender {
    pub notifier: Notifier,
    /// Message, conversation and contact are read through here, together.
    pub delivery: Arc<dyn DeliveryStore>,
    /// Accounts and their send tokens, as admins bound them.
    pub channels: Arc<ChannelsSource>,
    pub http: Arc<dyn HttpTransport>,
    pub retry: RetryPolicy,
    /// A card message is rendered from its sent card.
    pub cards: Arc<dyn CardStore>,
}

impl Sender {
    pub fn build(
        adapters: &dyn Adapters,
        config: Arc<ChannelsConfig>,
        http: Arc<dyn HttpTransport>,
        retry: RetryPolicy,
    ) -> Self {
        Sender {
            notifier: Notifier::build(adapters),
            delivery: adapters.delivery(),
            channels: ChannelsSource::build(adapters, config),
            http,
            retry,
            cards: adapters.cards(),
        }
    }

    fn now(&self) -> Timestamp {
        self.notifier.clock.now()
    }

    /// The sender's use case: one operator message through its channel, at most once.
    #[tracing::instrument(skip_all, fields(tenant = %job.tenant, conversation = %job.conversation, seq = job.seq, receive_count))]
    pub async fn deliver(&self, job: &OutboundJob, receive_count: u32) -> Result<(), SenderError> {
        let Some(Outbound {
            message,
            conversation,
            contact,
        }) = self
            .delivery
            .outbound(job)
            .await
            .map_err(ActionError::from)?
        else {
            tracing::warn!(conversation = %job.conversation, seq = job.seq, "outbound job for no message");
            return Ok(());
        };
        let queued = message
            .delivery
            .as_ref()
            .is_some_and(|d| d.state == DeliveryState::Queued);
        if !queued {
            // Sent or failed already: a redelivered job.
            return Ok(());
        }
        let card = match &message.content {
            Content::Card { card } => self
                .cards
                .instance(&job.tenant, &card.instance)
                .await
                .map_err(ActionError::from)?,
            _ => None,
        };
        // A store or secrets outage is a retry, like a provider's.
        let config = match &contact {
            Some(c) => self
                .channels
                .knowing(c.channel, &c.account_id)
                .await
                .map_err(|e| SenderError::Transient(crate::error::chain(&e)))?,
            None => self
                .channels
                .current()
                .await
                .map_err(|e| SenderError::Transient(crate::error::chain(&e)))?,
        };
        let fail = |code: &str, action: &str, message: String| DeliveryError {
            code: code.into(),
            retryable: false,
            action: action.into(),
            message: Some(message),
        };
        let prepared = match contact {
            None => Err(fail(
                "no_contact",
                "none",
                "the conversation has no channel contact".into(),
            )),
            // A template is what WhatsApp takes outside the window.
            Some(contact)
                if !contact.window_open(self.now())
                    && !matches!(message.content, Content::Template { .. }) =>
            {
                Err(fail(
                    "window_closed",
                    "send_approved_template_to_reengage",
                    "the WhatsApp 24-hour window closed before the message could be sent".into(),
                ))
            }
            Some(contact) => match config.account(contact.channel, &contact.account_id) {
                None => Err(fail(
                    "channel_not_configured",
                    "configure_channel_account",
                    format!(
                        "no configuration for {:?} account {}",
                        contact.channel, contact.account_id
                    ),
                )),
                Some(account) => outbound::build(
                    &config,
                    account,
                    &contact,
                    &message,
                    card.as_ref(),
                    self.now(),
                )
                .map(|call| (contact.channel, call))
                .map_err(|e| fail("cannot_send", "none", e.to_string())),
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
                        updated_at: self.now(),
                        error: None,
                    };
                    record_delivery(
                        self.delivery.as_ref(),
                        &self.notifier,
                        &conversation,
                        job.seq,
                        sent,
                        Some(&external_id),
                    )
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
            updated_at: self.now(),
            error: Some(error),
        };
        record_delivery(
            self.delivery.as_ref(),
            &self.notifier,
            conversation,
            seq,
            failed,
            None,
        )
        .await
    }
}
