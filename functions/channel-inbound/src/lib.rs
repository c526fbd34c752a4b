//! SQS consumer for normalized channel events: contacts, conversations,
//! messages, receipts, typing and closes. Each record is applied once however
//! often it is delivered; failures are reported per record.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
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
/// the waiting-queue bus and push.
pub fn wire(adapters: &dyn Adapters) -> Ingest {
    Ingest::build(adapters)
}

pub async fn handle(ingest: &Ingest, event: SqsEvent) -> SqsBatchResponse {
    process_in_order(event, |record| async move {
        let envelope: InboundEnvelope = serde_json::from_str(&record.body)?;
        ingest.ingest(&envelope).await?;
        Ok::<(), InboundError>(())
    })
    .await
}
