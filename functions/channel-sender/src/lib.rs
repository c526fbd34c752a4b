//! SQS consumer for operators' messages in channel conversations: sends each
//! through its provider once, retries throttling and outages, and marks the
//! message sent or failed for the operator to see.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use std::sync::Arc;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::HttpTransport;
use switchboard_app::{Adapters, RetryPolicy, Sender, SenderError};
use switchboard_aws::lambda::process_in_order;
use switchboard_domain::OutboundJob;

/// The ports the sender uses: conversations, messages, delivery, contacts and push.
pub fn wire(
    adapters: &dyn Adapters,
    config: Arc<ChannelsConfig>,
    http: Arc<dyn HttpTransport>,
    retry: RetryPolicy,
) -> Sender {
    Sender::build(adapters, config, http, retry)
}

pub async fn handle(sender: &Sender, event: SqsEvent) -> SqsBatchResponse {
    process_in_order(event, |record| async move {
        let job: OutboundJob =
            serde_json::from_str(&record.body).map_err(|e| SenderError::Decode(e.to_string()))?;
        sender.deliver(&job, record.receive_count).await
    })
    .await
}
