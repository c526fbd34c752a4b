//! Feeds an in-process queue to a queue function's handler as SQS events,
//! settling each batch from the handler's batch item failures, as Lambda's
//! event source mapping does.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use std::future::Future;
use std::sync::Arc;
use switchboard_embedded::{LocalQueue, QueueMessage};
use tokio::sync::watch;

fn to_sqs_event(batch: &[QueueMessage]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = batch
        .iter()
        .map(|m| {
            let mut record = SqsMessage::default();
            record.message_id = Some(m.message_id.clone());
            record.body = Some(m.body.clone());
            record.event_source = Some("aws:sqs".into());
            record.attributes.insert(
                "ApproximateReceiveCount".into(),
                m.receive_count.to_string(),
            );
            record
        })
        .collect();
    event
}

pub async fn run<H, Fut>(queue: Arc<LocalQueue>, mut stop: watch::Receiver<bool>, handler: H)
where
    H: Fn(SqsEvent) -> Fut,
    Fut: Future<Output = SqsBatchResponse>,
{
    loop {
        let batch = tokio::select! {
            batch = queue.receive(10) => batch,
            _ = stop.changed() => return,
        };
        let response = handler(to_sqs_event(&batch)).await;
        let failed: Vec<String> = response
            .batch_item_failures
            .into_iter()
            .map(|f| f.item_identifier)
            .collect();
        queue.settle(&batch, &failed);
    }
}
