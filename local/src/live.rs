//! The gateway's open sockets, and pushing to them in-process.
//!
//! On AWS a function pushes through API Gateway's `@connections` API. The
//! local stack serves that API too (and a test holds the API Gateway push
//! adapter to it), but its own functions push through [`InProcessPush`]: the
//! same port, without a signed HTTP round trip to itself per event, which was
//! most of what a relayed message cost here.

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;
use switchboard_app::ports::{Push, PushError};
use switchboard_app::protocol::MAX_MESSAGE_BYTES;
use switchboard_domain::ConnectionId;
use tokio::sync::mpsc;

pub(crate) enum Outgoing {
    Text(String),
    Close(u16, &'static str),
}

struct Live {
    tx: mpsc::UnboundedSender<Outgoing>,
    connected_at: u64,
}

/// The sockets the gateway holds, by connection id.
#[derive(Default)]
pub struct LiveConnections {
    sockets: Mutex<HashMap<String, Live>>,
}

impl LiveConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Live>> {
        self.sockets.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn insert(&self, id: &str, tx: mpsc::UnboundedSender<Outgoing>, connected_at: u64) {
        self.lock()
            .insert(id.to_string(), Live { tx, connected_at });
    }

    pub(crate) fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Queues a frame for the socket; false if there is no such socket.
    pub(crate) fn deliver(&self, id: &str, out: Outgoing) -> bool {
        self.lock()
            .get(id)
            .map(|live| live.tx.send(out).is_ok())
            .unwrap_or(false)
    }

    pub(crate) fn connected_at(&self, id: &str) -> Option<u64> {
        self.lock().get(id).map(|l| l.connected_at)
    }
}

/// The push port over the gateway's sockets, with `@connections`' answers:
/// Gone for an unknown connection, TooLarge over 128 KB.
pub struct InProcessPush {
    live: std::sync::Arc<LiveConnections>,
}

impl InProcessPush {
    pub fn new(live: std::sync::Arc<LiveConnections>) -> Self {
        Self { live }
    }
}

#[async_trait]
impl Push for InProcessPush {
    async fn send(&self, connection: &ConnectionId, payload: &[u8]) -> Result<(), PushError> {
        if payload.len() > MAX_MESSAGE_BYTES {
            return Err(PushError::TooLarge);
        }
        let text = String::from_utf8_lossy(payload).into_owned();
        if self.live.deliver(connection.as_str(), Outgoing::Text(text)) {
            Ok(())
        } else {
            Err(PushError::Gone)
        }
    }

    async fn close(&self, connection: &ConnectionId) -> Result<(), PushError> {
        // 1000 as API Gateway sends on DeleteConnection; the socket's session
        // then runs `$disconnect`.
        self.live
            .deliver(connection.as_str(), Outgoing::Close(1000, ""));
        Ok(())
    }
}
