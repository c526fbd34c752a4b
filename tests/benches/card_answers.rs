//! A client's card answer to the operator's console, through the local
//! stack, printed as a table.
//!
//!     cargo bench -p switchboard-tests --bench card_answers
//!
//! A web chat client posts its confirm to the hero-card-submit route with
//! its visitor token; the clock runs until the operator's socket holds
//! `card.answered`. Loopback, SQLite: what the code costs, not what API
//! Gateway, Lambda and DynamoDB add on AWS (DynamoDB calls per answer are
//! counted in `calls_per_action`: 4).

use serde_json::json;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use switchboard_local::Options;
use switchboard_tests::local::visitor;
use switchboard_tests::ws::Client;

const ANSWERS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn confirm_to_operator() -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    );
    // The benchmark's console does not ping.
    options.sweep_every = None;
    let stack = switchboard_local::start(options).await.unwrap();
    let mut operator = Client::connect(&format!(
        "{}?token={}",
        stack.ws_url(),
        stack.seed.admin_token
    ))
    .await
    .unwrap();
    operator.request(json!({"action": "hello"}), "hello").await;
    let saved = operator
        .request(
            json!({"action": "card.put", "card": {"name": "Booking", "language": "en",
                "channel": "webchat", "title": "Your table", "text": "Please check.",
                "fields": [{"id": "day", "label": "Day", "type": "date", "required": true}]}}),
            "put",
        )
        .await;
    let card = saved["card"]["id"].as_str().unwrap().to_string();
    let (mut v, token) = visitor(&stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en",
                "browser": "b", "os": "o", "widget": "w", "pageUrl": "https://example.com"}}),
            "start",
        )
        .await;
    let conversation = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    operator
        .request(
            json!({"action": "conversation.accept", "conversationId": conversation}),
            "accept",
        )
        .await;
    let http = reqwest::Client::new();
    let mut samples = Vec::with_capacity(ANSWERS);
    for i in 0..ANSWERS {
        operator
            .request(
                json!({"action": "card.send", "conversationId": conversation, "cardId": card,
                       "clientMessageId": format!("card-{i}"), "values": {"day": "2026-12-24"}}),
                &format!("send-{i}"),
            )
            .await;
        let instance = operator
            .expect_where("card", |e| {
                e["event"] == "card" && e["card"]["state"] == "open"
            })
            .await["card"]["instanceId"]
            .as_str()
            .unwrap()
            .to_string();
        operator.take_unconsumed();
        v.take_unconsumed();
        let t = Instant::now();
        let response = http
            .post(format!("{}/cards/{instance}/submit", stack.http_url()))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(r#"{"outcome": "confirmed"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        operator
            .expect_where("card.answered", |e| {
                e["event"] == "card.answered" && e["card"]["instanceId"] == instance.as_str()
            })
            .await;
        samples.push(t.elapsed());
    }
    stack.stop().await;
    samples
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut samples = runtime.block_on(confirm_to_operator());
    samples.sort();
    let us = |d: Duration| d.as_micros();
    println!(
        "\n{:<44} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "operation", "n", "p50 µs", "p95 µs", "p99 µs", "max µs"
    );
    println!(
        "{:<44} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "client confirm → operator holds card.answered",
        samples.len(),
        us(percentile(&samples, 0.50)),
        us(percentile(&samples, 0.95)),
        us(percentile(&samples, 0.99)),
        us(*samples.last().unwrap()),
    );
}
