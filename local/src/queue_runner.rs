//! Feeds an in-process queue to a queue function's handler as SQS events,
//! settling each batch from the handler's batch item failures, as Lambda's
//! event source mapping does.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
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

/// How a function's event source mapping batches: Lambda's `BatchSize` and
/// `MaximumBatchingWindowInSeconds`.
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    pub max: usize,
    pub window: Duration,
}

impl Batching {
    /// A FIFO queue's mapping: up to ten at once, no window.
    pub const FIFO: Batching = Batching {
        max: 10,
        window: Duration::ZERO,
    };
    /// The assignment function's: triggers coalesce per tenant, so a batch
    /// of them costs one pass; no window, a lone trigger goes at once.
    pub const ASSIGN: Batching = Batching {
        max: 10,
        window: Duration::ZERO,
    };
    /// The queue function's: changes within a short window are fanned out
    /// together (AWS waits up to a second; locally a blink is enough, and
    /// only while changes keep coming: a lone change goes at once).
    pub const QUEUE_EVENTS: Batching = Batching {
        max: 100,
        window: Duration::from_millis(20),
    };
}

pub async fn run<H, Fut>(
    queue: Arc<LocalQueue>,
    mut stop: watch::Receiver<bool>,
    batching: Batching,
    handler: H,
) where
    H: Fn(SqsEvent) -> Fut,
    Fut: Future<Output = SqsBatchResponse>,
{
    loop {
        let batch = tokio::select! {
            batch = queue.receive_within(batching.max, batching.window) => batch,
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
