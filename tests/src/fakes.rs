use async_trait::async_trait;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use switchboard_app::ports::{
    BusError, HttpCall, HttpReply, HttpTransport, InboundBus, OutboundBus, Push, PushError,
    TransportError,
};
use switchboard_app::{Clock, IdGen};
use switchboard_domain::{ConnectionId, Timestamp};
use switchboard_domain::{InboundEnvelope, OutboundJob};

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct FixedClock(AtomicU64);

impl FixedClock {
    pub fn at(millis: u64) -> Self {
        Self(AtomicU64::new(millis))
    }

    pub fn advance(&self, millis: u64) {
        self.0.fetch_add(millis, Ordering::SeqCst);
    }

    /// Moves to `millis` (forward, as a scenario's script says).
    pub fn set(&self, millis: u64) {
        self.0.store(millis, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

/// Ids `prefix_1`, `prefix_2`, ..., counted per prefix, so tests can name what they expect.
#[derive(Debug, Default)]
pub struct SequentialIds(Mutex<HashMap<String, u64>>);

impl IdGen for SequentialIds {
    fn new_id(&self, prefix: &str) -> String {
        let mut counters = self.0.lock().unwrap();
        let n = counters.entry(prefix.to_string()).or_insert(0);
        *n += 1;
        format!("{prefix}_{n}")
    }
}

/// Records every push; connections in `gone` answer as API Gateway does for a closed one.
#[derive(Debug, Default)]
pub struct RecordingPush {
    pub sent: Mutex<Vec<(String, serde_json::Value)>>,
    pub gone: Mutex<HashSet<String>>,
    /// Connections the server closed, in order; each is gone from then on.
    pub closed: Mutex<Vec<String>>,
}

impl RecordingPush {
    pub fn take(&self) -> Vec<(String, serde_json::Value)> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }

    /// Events pushed to one connection, in order.
    pub fn to(&self, connection: &str) -> Vec<serde_json::Value> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|(c, _)| c == connection)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

#[async_trait]
impl Push for RecordingPush {
    async fn send(&self, connection: &ConnectionId, payload: &[u8]) -> Result<(), PushError> {
        if self.gone.lock().unwrap().contains(connection.as_str()) {
            return Err(PushError::Gone);
        }
        let value = serde_json::from_slice(payload).map_err(|e| PushError::Failed(Box::new(e)))?;
        self.sent
            .lock()
            .unwrap()
            .push((connection.to_string(), value));
        Ok(())
    }

    async fn close(&self, connection: &ConnectionId) -> Result<(), PushError> {
        self.closed.lock().unwrap().push(connection.to_string());
        self.gone.lock().unwrap().insert(connection.to_string());
        Ok(())
    }
}

/// Records what would be queued for the channel functions; `fail` makes every
/// publish fail, as SQS being unreachable would.
#[derive(Debug, Default)]
pub struct RecordingChannelBus {
    pub inbound: Mutex<Vec<InboundEnvelope>>,
    pub outbound: Mutex<Vec<OutboundJob>>,
    /// Clients' card answers for the card function.
    pub cards: Mutex<Vec<switchboard_domain::cards::CardSubmission>>,
    pub fail: std::sync::atomic::AtomicBool,
}

#[async_trait]
impl InboundBus for RecordingChannelBus {
    async fn publish_inbound(&self, envelopes: &[InboundEnvelope]) -> Result<(), BusError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(BusError::Publish {
                queue: "test queue",
                source: "queue unreachable".into(),
            });
        }
        self.inbound.lock().unwrap().extend_from_slice(envelopes);
        Ok(())
    }
}

#[async_trait]
impl OutboundBus for RecordingChannelBus {
    async fn publish_outbound(&self, job: &OutboundJob) -> Result<(), BusError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(BusError::Publish {
                queue: "test queue",
                source: "queue unreachable".into(),
            });
        }
        self.outbound.lock().unwrap().push(job.clone());
        Ok(())
    }
}

#[async_trait]
impl switchboard_app::ports::CardBus for RecordingChannelBus {
    async fn publish_card(
        &self,
        submission: &switchboard_domain::cards::CardSubmission,
    ) -> Result<(), BusError> {
        self.cards.lock().unwrap().push(submission.clone());
        Ok(())
    }
}

/// A provider API that records every call and answers from a script (then 200 `{}`).
#[derive(Debug, Default)]
pub struct ScriptedHttp {
    pub calls: Mutex<Vec<HttpCall>>,
    pub script: Mutex<std::collections::VecDeque<HttpReply>>,
}

impl ScriptedHttp {
    pub fn answer(&self, status: u16, body: &str) {
        self.script.lock().unwrap().push_back(HttpReply {
            status,
            body: body.as_bytes().to_vec(),
        });
    }

    pub fn calls(&self) -> Vec<HttpCall> {
        self.calls.lock().unwrap().clone()
    }
}

#[async_trait]
impl HttpTransport for ScriptedHttp {
    async fn execute(&self, call: HttpCall) -> Result<HttpReply, TransportError> {
        self.calls.lock().unwrap().push(call);
        Ok(self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(HttpReply {
                status: 200,
                body: b"{}".to_vec(),
            }))
    }
}

/// Keeps every mail it is asked to send.
#[derive(Default)]
pub struct RecordingMailer {
    pub sent: Mutex<Vec<switchboard_app::ports::Email>>,
}

#[async_trait::async_trait]
impl switchboard_app::ports::Mailer for RecordingMailer {
    async fn send(
        &self,
        email: &switchboard_app::ports::Email,
    ) -> Result<(), switchboard_app::ports::MailError> {
        self.sent.lock().unwrap().push(email.clone());
        Ok(())
    }
}

/// The mail ports for a harness: a queue for the jobs and a recording mailer.
pub fn mail_ports() -> (Arc<switchboard_embedded::LocalQueue>, Arc<RecordingMailer>) {
    (
        Arc::new(switchboard_embedded::LocalQueue::new(
            std::time::Duration::from_secs(30),
            5,
        )),
        Arc::new(RecordingMailer::default()),
    )
}

/// Secrets in memory, as both ports.
pub fn memory_secrets() -> (
    Arc<dyn switchboard_app::ports::Secrets>,
    Arc<dyn switchboard_app::ports::SecretWriter>,
) {
    let secrets = Arc::new(switchboard_embedded::MemorySecrets::default());
    (secrets.clone(), secrets)
}
