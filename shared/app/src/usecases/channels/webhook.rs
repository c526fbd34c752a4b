//! The webhook's use case: authenticate, normalize, queue, and answer 200
//! only once every event is queued, so the provider retries anything we did
//! not take.

use crate::adapters::Adapters;
use crate::channels::{
    webhook, ChannelsConfig, ChannelsSource, WebhookError, WebhookReply, WebhookRequest,
};
use crate::ports::{Clock, InboundBus};
use std::sync::Arc;
use switchboard_domain::{ChannelEvent, InboundEnvelope};

/// The `channel-webhook` function's use case. It reads the channel accounts
/// (cached) and writes nothing but the inbound bus.
#[derive(Clone)]
pub struct Webhook {
    pub inbound: Arc<dyn InboundBus>,
    pub channels: Arc<ChannelsSource>,
    pub clock: Arc<dyn Clock>,
}

impl Webhook {
    pub fn build(adapters: &dyn Adapters, config: Arc<ChannelsConfig>) -> Self {
        Webhook {
            inbound: adapters.inbound_bus(),
            channels: ChannelsSource::build(adapters, config),
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
        let unavailable = |e: crate::channels::ChannelsSourceError| {
            WebhookError::Unavailable(crate::error::chain(&e))
        };
        let mut config: Arc<ChannelsConfig> = self.channels.current().await.map_err(unavailable)?;
        let received = webhook::receive(&config, request)?;
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
            if config
                .account(event.channel(), event.account_id())
                .is_none()
            {
                // Bound a moment ago through the admin API, perhaps.
                config = self
                    .channels
                    .knowing(event.channel(), event.account_id())
                    .await
                    .map_err(unavailable)?;
            }
            match config.account(event.channel(), event.account_id()) {
                Some(binding) => envelopes.push(InboundEnvelope {
                    tenant: binding.tenant.clone(),
                    group: binding.group.clone(),
                    received_at: now,
                    event,
                }),
                None => tracing::error!(
                    channel = ?event.channel(),
                    account = event.account_id(),
                    "event for a channel account bound to no tenant; bind it through the admin API"
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
