//! SQS consumer for queue events: pushes queue changes to the tenant's operators
//! and places to waiting visitors. Failed records are reported per record.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use switchboard_app::{Adapters, Fanout};
use switchboard_aws::lambda::process_in_order;
use switchboard_domain::QueueEvent;

#[derive(Debug, thiserror::Error)]
pub enum FanoutError {
    #[error("record body is not a queue event: {0}")]
    Decode(#[from] serde_json::Error),
    #[error(transparent)]
    Action(#[from] switchboard_app::ActionError),
}

/// The ports fan-out uses: conversations (the queue) and push.
pub fn wire(adapters: &dyn Adapters) -> Fanout {
    Fanout::build(adapters)
}

pub async fn handle(fanout: &Fanout, event: SqsEvent) -> SqsBatchResponse {
    process_in_order(event, |record| async move {
        let event: QueueEvent = serde_json::from_str(&record.body)?;
        fanout.fan_out(&event).await?;
        Ok::<(), FanoutError>(())
    })
    .await
}
