//! SQS consumer for operators' messages in channel conversations: sends each
//! through its provider once, retries throttling and outages, and marks the
//! message sent or failed for the operator to see.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use switchboard_app::{ChannelGateway, SenderError};
use switchboard_aws::lambda::process_in_order;
use switchboard_domain::OutboundJob;

pub async fn handle(gateway: &ChannelGateway, event: SqsEvent) -> SqsBatchResponse {
    process_in_order(event, |record| async move {
        let job: OutboundJob =
            serde_json::from_str(&record.body).map_err(|e| SenderError::Decode(e.to_string()))?;
        gateway.deliver(&job, record.receive_count).await
    })
    .await
}
