//! The local stack with its channel accounts pointed at a fake provider,
//! and an admin's console: what the channel suites drive end to end.

use crate::channels::{config, meta_signature, Vector};
use crate::provider::FakeProvider;
use crate::ws::{queue_changes, Client};
use serde_json::{json, Value};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use switchboard_app::RetryPolicy;
use switchboard_local::{Options, Running};

pub struct Stack {
    pub stack: Running,
    pub provider: FakeProvider,
    pub console: Client,
    pub http: reqwest::Client,
    pub _dir: tempfile::TempDir,
}

/// The stack, the fake provider, and alice's console (she is an admin).
pub async fn start() -> Stack {
    let provider = FakeProvider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    );
    options.channels = Some(config(&provider.base()));
    options.retry = RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(5),
        max_receives: 5,
    };
    let stack = switchboard_local::start(options)
        .await
        .expect("local stack starts");
    let mut console = Client::connect(&format!(
        "{}?token={}",
        stack.ws_url(),
        stack.seed.admin_token
    ))
    .await
    .expect("operator connects");
    let welcome = console.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome");
    Stack {
        stack,
        provider,
        console,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl Stack {
    pub async fn post(
        &self,
        path: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> (u16, String) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.stack.http_url()))
            .body(body);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    pub async fn replay(&self, vector: &str) {
        let v = Vector::load(vector);
        let path = v.raw["path_hint"].as_str().unwrap().to_string();
        let (status, body) = self.post(&path, &v.headers(), v.body()).await;
        assert_eq!(status, 200, "{vector}: {body}");
    }

    pub async fn post_meta(&self, path: &str, payload: Value) {
        let body = payload.to_string().into_bytes();
        let headers = [("X-Hub-Signature-256".to_string(), meta_signature(&body))];
        let (status, answer) = self.post(path, &headers, body).await;
        assert_eq!(status, 200, "{answer}");
    }

    /// Waits for the client to show up in the queue and accepts it.
    pub async fn accept_waiting(&mut self, channel: &str) -> Value {
        let update = self
            .console
            .expect_where("queue.updated", |e| {
                e["event"] == "queue.updated"
                    && queue_changes(e)
                        .iter()
                        .any(|c| c["entry"]["conversation"]["channel"] == channel)
            })
            .await;
        let conversation = queue_changes(&update)
            .into_iter()
            .find(|c| c["entry"]["conversation"]["channel"] == channel)
            .map(|c| c["entry"]["conversation"].clone())
            .unwrap_or_default();
        let accepted = self
            .console
            .request(
                json!({"action": "conversation.accept", "conversationId": conversation["id"]}),
                "accept",
            )
            .await;
        assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
        conversation
    }

    pub async fn reply(&mut self, conversation: &Value, text: &str) -> Value {
        let ack = self
            .console
            .request(
                json!({"action": "message.send", "conversationId": conversation["id"],
                       "clientMessageId": "reply-1", "text": text}),
                "send",
            )
            .await;
        assert_eq!(ack["event"], "message.ack", "{ack}");
        ack
    }

    pub async fn delivery(&mut self, state: &str) -> Value {
        self.console
            .expect_where(&format!("message.delivery {state}"), |e| {
                e["event"] == "message.delivery" && e["delivery"]["state"] == state
            })
            .await
    }
}
