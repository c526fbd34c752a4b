//! An in-process stand-in for an SQS queue, with the semantics consumers must be
//! written for: a received message stays invisible for a while and comes back
//! unless it is settled, failed messages come back, and a message that keeps
//! failing goes to a dead-letter list instead of circling forever.

use async_trait::async_trait;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use switchboard_app::ports::{
    AssignBus, BusError, CardBus, InboundBus, MailBus, OutboundBus, QueueBus,
};
use switchboard_domain::cards::CardSubmission;
use switchboard_domain::{AssignTrigger, InboundEnvelope, MailJob, OutboundJob, QueueEvent};
use tokio::sync::Notify;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    pub message_id: String,
    pub body: String,
    /// 1 on first delivery; SQS's ApproximateReceiveCount.
    pub receive_count: u32,
}

struct InFlight {
    message: QueueMessage,
    visible_again: Instant,
}

#[derive(Default)]
struct State {
    ready: VecDeque<QueueMessage>,
    in_flight: HashMap<String, InFlight>,
    dead: Vec<QueueMessage>,
}

pub struct LocalQueue {
    state: Mutex<State>,
    arrived: Notify,
    settled: Notify,
    next_id: AtomicU64,
    visibility: Duration,
    max_receives: u32,
}

impl LocalQueue {
    pub fn new(visibility: Duration, max_receives: u32) -> Self {
        Self {
            state: Mutex::new(State::default()),
            arrived: Notify::new(),
            settled: Notify::new(),
            next_id: AtomicU64::new(1),
            visibility,
            max_receives: max_receives.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave State half-updated in a way
        // that matters more than losing the queue, so recover rather than abort.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn send(&self, body: String) -> String {
        let id = format!("local-{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        self.lock().ready.push_back(QueueMessage {
            message_id: id.clone(),
            body,
            receive_count: 0,
        });
        self.arrived.notify_one();
        id
    }

    /// Waits for messages and returns up to `max` of them, now in flight.
    pub async fn receive(&self, max: usize) -> Vec<QueueMessage> {
        loop {
            let notified = self.arrived.notified();
            let wait = {
                let mut state = self.lock();
                let batch = self.take_ready(&mut state, max);
                if !batch.is_empty() {
                    return batch;
                }
                state
                    .in_flight
                    .values()
                    .map(|f| f.visible_again)
                    .min()
                    .map(|t| t.saturating_duration_since(Instant::now()))
            };
            match wait {
                Some(d) => {
                    let _ = tokio::time::timeout(d, notified).await;
                }
                None => notified.await,
            }
        }
    }

    /// As [`Self::receive`], then, when more than one message was waiting
    /// (a burst is under way), gathers what else arrives within `window`
    /// (up to `max`), as Lambda's batching window does for a standard queue.
    /// A lone message is not held back.
    pub async fn receive_within(&self, max: usize, window: Duration) -> Vec<QueueMessage> {
        let mut batch = self.receive(max).await;
        if batch.len() > 1 && batch.len() < max && !window.is_zero() {
            tokio::time::sleep(window).await;
            let mut state = self.lock();
            let more = self.take_ready(&mut state, max - batch.len());
            batch.extend(more);
        }
        batch
    }

    /// Up to `max` visible messages, moved in flight.
    fn take_ready(&self, state: &mut State, max: usize) -> Vec<QueueMessage> {
        self.requeue_expired(state);
        let mut batch = Vec::new();
        while batch.len() < max {
            let Some(mut message) = state.ready.pop_front() else {
                break;
            };
            message.receive_count += 1;
            state.in_flight.insert(
                message.message_id.clone(),
                InFlight {
                    message: message.clone(),
                    visible_again: Instant::now() + self.visibility,
                },
            );
            batch.push(message);
        }
        batch
    }

    /// Settles a received batch: `failed` ids come back (or go to the dead-letter
    /// list after too many receives), the rest are deleted.
    pub fn settle(&self, batch: &[QueueMessage], failed: &[String]) {
        let mut state = self.lock();
        for m in batch {
            let Some(flight) = state.in_flight.remove(&m.message_id) else {
                continue;
            };
            if failed.contains(&m.message_id) {
                if flight.message.receive_count >= self.max_receives {
                    tracing::warn!(message = %m.message_id, "message moved to the dead-letter list");
                    state.dead.push(flight.message);
                } else {
                    state.ready.push_back(flight.message);
                }
            }
        }
        drop(state);
        self.arrived.notify_one();
        self.settled.notify_waiters();
    }

    /// Resolves once every sent message has been settled (handled or dead-lettered).
    pub async fn idle(&self) {
        loop {
            let settled = self.settled.notified();
            if self.pending() == 0 {
                return;
            }
            settled.await;
        }
    }

    fn requeue_expired(&self, state: &mut State) {
        let now = Instant::now();
        let expired: Vec<String> = state
            .in_flight
            .iter()
            .filter(|(_, f)| f.visible_again <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some(flight) = state.in_flight.remove(&id) {
                if flight.message.receive_count >= self.max_receives {
                    state.dead.push(flight.message);
                } else {
                    state.ready.push_back(flight.message);
                }
            }
        }
    }

    pub fn dead_letters(&self) -> Vec<QueueMessage> {
        self.lock().dead.clone()
    }

    /// Messages not yet settled (ready or in flight).
    pub fn pending(&self) -> usize {
        let state = self.lock();
        state.ready.len() + state.in_flight.len()
    }
}

#[async_trait]
impl QueueBus for LocalQueue {
    async fn publish(&self, event: &QueueEvent) -> Result<(), BusError> {
        self.send(encode(event)?);
        Ok(())
    }
}

/// Wired as the mail bus, a queue holds the jobs of the mail function.
#[async_trait]
impl MailBus for LocalQueue {
    async fn publish_mail(&self, job: &MailJob) -> Result<(), BusError> {
        self.send(encode(job)?);
        Ok(())
    }
}

/// A queue instance carries one kind of message: wired as the assign bus it
/// holds triggers for the queue-assignment function.
#[async_trait]
impl AssignBus for LocalQueue {
    async fn publish_assign(&self, trigger: &AssignTrigger) -> Result<(), BusError> {
        self.send(encode(trigger)?);
        Ok(())
    }
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, BusError> {
    serde_json::to_string(value).map_err(|e| BusError::Encode(e.to_string()))
}

/// The channel queues of the local stack: webhook events, sends, and
/// clients' card answers.
#[derive(Clone)]
pub struct LocalChannelBus {
    pub inbound: std::sync::Arc<LocalQueue>,
    pub outbound: std::sync::Arc<LocalQueue>,
    pub cards: std::sync::Arc<LocalQueue>,
}

impl LocalChannelBus {
    /// Three new queues with the given visibility timeout and receive limit.
    pub fn new(visibility: Duration, max_receives: u32) -> Self {
        LocalChannelBus {
            inbound: std::sync::Arc::new(LocalQueue::new(visibility, max_receives)),
            outbound: std::sync::Arc::new(LocalQueue::new(visibility, max_receives)),
            cards: std::sync::Arc::new(LocalQueue::new(visibility, max_receives)),
        }
    }
}

#[async_trait]
impl CardBus for LocalChannelBus {
    async fn publish_card(&self, submission: &CardSubmission) -> Result<(), BusError> {
        self.cards.send(encode(submission)?);
        Ok(())
    }
}

#[async_trait]
impl InboundBus for LocalChannelBus {
    async fn publish_inbound(&self, envelopes: &[InboundEnvelope]) -> Result<(), BusError> {
        // Encode all first: a batch is queued whole or not at all.
        let bodies = envelopes
            .iter()
            .map(encode)
            .collect::<Result<Vec<_>, _>>()?;
        for body in bodies {
            self.inbound.send(body);
        }
        Ok(())
    }
}

#[async_trait]
impl OutboundBus for LocalChannelBus {
    async fn publish_outbound(&self, job: &OutboundJob) -> Result<(), BusError> {
        self.outbound.send(encode(job)?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failed_messages_come_back_then_dead_letter() {
        let q = LocalQueue::new(Duration::from_secs(30), 2);
        q.send("a".into());
        let first = q.receive(10).await;
        assert_eq!(first.len(), 1);
        q.settle(&first, &[first[0].message_id.clone()]);
        let second = q.receive(10).await;
        assert_eq!(second[0].receive_count, 2);
        q.settle(&second, &[second[0].message_id.clone()]);
        assert_eq!(q.dead_letters().len(), 1);
        assert_eq!(q.pending(), 0);
    }

    #[tokio::test]
    async fn unsettled_messages_reappear_after_visibility_timeout() {
        let q = LocalQueue::new(Duration::from_millis(20), 5);
        q.send("a".into());
        let first = q.receive(1).await;
        // Never settled: a crashed consumer.
        let again = q.receive(1).await;
        assert_eq!(again[0].message_id, first[0].message_id);
        assert_eq!(again[0].receive_count, 2);
    }
}
