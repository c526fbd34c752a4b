//! A WebSocket test client that waits for events by name, keeping the ones it
//! skipped so a later wait can still find them.

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long to wait for an expected event before failing the test.
pub const WAIT: Duration = Duration::from_secs(10);

pub struct Client {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pending: VecDeque<Value>,
    pub closed: Option<CloseFrame>,
}

impl Client {
    /// Connects; an `Err` carries the HTTP status of a refused upgrade.
    pub async fn connect(url: &str) -> Result<Client, u16> {
        Self::connect_from(url, None).await
    }

    /// Connects as a browser on `origin` would (its `Origin` header).
    pub async fn connect_from(url: &str, origin: Option<&str>) -> Result<Client, u16> {
        let mut request = url.into_client_request().map_err(|_| 0u16)?;
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", origin.parse().map_err(|_| 0u16)?);
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => Ok(Client {
                socket,
                pending: VecDeque::new(),
                closed: None,
            }),
            Err(WsError::Http(response)) => Err(response.status().as_u16()),
            Err(e) => panic!("connect to {url} failed: {e}"),
        }
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.socket
            .send(Message::Text(text.into()))
            .await
            .expect("send frame");
    }

    /// Waits for the next event satisfying `pred`.
    pub async fn expect_where(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&pred) {
            return self.pending.remove(i).expect("pending event");
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting for {what}; unconsumed events: {:#?}",
                        self.pending
                    )
                });
            match frame {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).expect("event is JSON");
                    if pred(&v) {
                        return v;
                    }
                    self.pending.push_back(v);
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed = frame;
                    panic!(
                        "connection closed while waiting for {what}: {:?}",
                        self.closed
                    )
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("socket error while waiting for {what}: {e}"),
                None => panic!("connection ended while waiting for {what}"),
            }
        }
    }

    pub async fn expect(&mut self, event: &str) -> Value {
        self.expect_where(event, |v| v["event"] == event).await
    }

    /// Sends `frame` and waits for the event answering it (matched by requestId).
    pub async fn request(&mut self, mut frame: Value, request_id: &str) -> Value {
        frame["requestId"] = Value::String(request_id.to_string());
        self.send(frame).await;
        self.expect_where(request_id, |v| v["requestId"] == request_id)
            .await
    }

    /// Events received and not yet consumed, plus whatever is already buffered.
    pub fn unconsumed(&self) -> Vec<Value> {
        self.pending.iter().cloned().collect()
    }

    /// Takes every event received and not yet consumed.
    pub fn take_unconsumed(&mut self) -> Vec<Value> {
        self.pending.drain(..).collect()
    }

    /// Waits for the server to close the connection and returns the close code.
    pub async fn expect_close(&mut self) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => panic!("timed out waiting for close"),
                Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
                Ok(Some(Ok(Message::Text(t)))) => {
                    if let Ok(v) = serde_json::from_str(&t) {
                        self.pending.push_back(v);
                    }
                }
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => return None,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
        // Drain until the server acknowledges, so its $disconnect has started.
        while let Ok(Some(Ok(_))) =
            tokio::time::timeout(Duration::from_secs(5), self.socket.next()).await
        {}
    }
}

/// The changes a `queue.updated` carries (none for any other event).
pub fn queue_changes(event: &Value) -> Vec<Value> {
    if event["event"] != "queue.updated" {
        return Vec::new();
    }
    event["changes"].as_array().cloned().unwrap_or_default()
}

/// The change of kind `change` (`added`, `removed`) in a `queue.updated`,
/// about `conversation` if given.
pub fn queue_change(event: &Value, change: &str, conversation: Option<&str>) -> Option<Value> {
    queue_changes(event)
        .into_iter()
        .find(|c| c["change"] == change && conversation.is_none_or(|id| c["conversationId"] == id))
}
