//! SQS consumer for normalized channel events: contacts, conversations,
//! messages, receipts, typing and closes. Each record is applied once however
//! often it is delivered; failures are reported per record.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::HttpTransport;
use switchboard_app::{Adapters, Ingest};
use switchboard_aws::lambda::process_in_order;
use switchboard_domain::InboundEnvelope;

#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    #[error("record body is not a channel event: {0}")]
    Decode(#[from] serde_json::Error),
    #[error(transparent)]
    Action(#[from] switchboard_app::ActionError),
}

/// The ports the consumer uses: contacts, conversations, messages, delivery,
/// the waiting-queue, card and outbound buses and push; the Apple MSP
/// credentials and HTTP for resolving large interactive replies; and, for
/// WhatsApp's Edit tap on a card, the token key and the HTTP API's address
/// the card's form link points at.
pub fn wire(
    adapters: &dyn Adapters,
    channels: Arc<ChannelsConfig>,
    http: Arc<dyn HttpTransport>,
    links: Option<(TokenService, String)>,
) -> Ingest {
    let channels = switchboard_app::channels::ChannelsSource::build(adapters, channels);
    let ingest = Ingest::build(adapters).with_data_refs(channels, http);
    match links {
        Some((tokens, public_url)) => ingest.with_card_links(adapters, tokens, public_url),
        None => ingest,
    }
}

pub async fn handle(ingest: &Ingest, event: SqsEvent) -> SqsBatchResponse {
    process_in_order(event, |record| async move {
        let envelope: InboundEnvelope = serde_json::from_str(&record.body)?;
        ingest.ingest(&envelope).await?;
        Ok::<(), InboundError>(())
    })
    .await
}
