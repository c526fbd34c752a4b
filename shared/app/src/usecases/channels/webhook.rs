//! The webhook's use case: authenticate, normalize, queue, and answer 200
//! only once every event is queued, so the provider retries anything we did
//! not take.

use crate::adapters::Adapters;
use crate::channels::{webhook, ChannelsConfig, WebhookError, WebhookReply, WebhookRequest};
use crate::ports::{Clock, InboundBus};
use std::sync::Arc;
use switchboard_domain::{ChannelEvent, InboundEnvelope};

/// The `channel-webhook` function's use case. It touches no table.
#[derive(Clone)]
pub struct Webhook {
    pub inbound: Arc<dyn InboundBus>,
    pub config: Arc<ChannelsConfig>,
    pub clock: Arc<dyn Clock>,
}

impl Webhook {
    pub fn build(adapters: &dyn Adapters, config: Arc<ChannelsConfig>) -> Self {
        Webhook {
            inbound: adapters.inbound_bus(),
            config,
            clock: adapters.clock(),
        }
    }

    /// A webhook request, answered. 200 only once its events are queued.
    #[tracing::instrument(skip_all, fields(path = %request.path))]
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
        let now = self.clock.now();
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
                    group: binding.group.clone(),
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
            self.inbound
                .publish_inbound(&envelopes)
                .await
                .map_err(|e| WebhookError::Unavailable(crate::error::chain(&e)))?;
        }
        Ok(received.reply)
    }
}
