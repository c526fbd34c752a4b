//! SQS consumer for queue events: pushes queue changes to the tenant's operators
//! and places to waiting visitors. A batch is handled per group queue, all of
//! a queue's events at once; the records of a queue whose fan-out failed are
//! reported as the batch's failures and come back.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use switchboard_app::{Adapters, Fanout};
use switchboard_domain::QueueEvent;

/// The ports fan-out uses: conversations (the queue) and push.
pub fn wire(adapters: &dyn Adapters) -> Fanout {
    Fanout::build(adapters)
}

fn failure(id: &str) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.to_string();
    f
}

pub async fn handle(fanout: &Fanout, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    let mut decoded: Vec<(String, QueueEvent)> = Vec::with_capacity(event.records.len());
    for record in event.records {
        let id = record.message_id.unwrap_or_default();
        match serde_json::from_str::<QueueEvent>(record.body.as_deref().unwrap_or_default()) {
            Ok(e) => decoded.push((id, e)),
            Err(e) => {
                // Fails again on every receive, then goes to the dead-letter queue.
                tracing::error!(message_id = %id, error = %e, "record is not a queue event");
                response.batch_item_failures.push(failure(&id));
            }
        }
    }
    let events: Vec<QueueEvent> = decoded.iter().map(|(_, e)| e.clone()).collect();
    for ((tenant, group), result) in fanout.fan_out(&events).await {
        if let Err(e) = result {
            tracing::error!(tenant = %tenant, group = %group, error = %switchboard_app::error::chain(&e), "fan-out failed");
            for (id, event) in &decoded {
                if event.tenant == tenant && event.group == group {
                    response.batch_item_failures.push(failure(id));
                }
            }
        }
    }
    response
}
