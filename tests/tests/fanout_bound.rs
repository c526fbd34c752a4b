//! The queue function's cost does not grow with the square of the queue.
//! With 1,000 visitors waiting and 100 operators online, one accept costs at
//! most 150 pushes, and every waiting visitor still knows their place to
//! within 20% (exactly, near the front). Runs the real handlers on the
//! embedded store; the queue's events go through the queue function's handler
//! in batches of ten, as SQS delivers them.

use serde_json::{json, Value};
use std::collections::HashMap;
use switchboard_app::{Clock, ConnectRequest};
use switchboard_domain::*;
use switchboard_tests::channels::{harness, ChannelHarness};
use switchboard_tests::fakes::RecordingPush;

const WAITING: usize = 1_000;
const OPERATORS: usize = 100;
const PUSH_BOUND: usize = 150;

async fn frame(h: &ChannelHarness, connection: &str, body: Value) {
    h.functions
        .message
        .handle_frame(connection, &body.to_string())
        .await
        .unwrap();
}

/// The embedded store with tenant `shop` (ten chats each) and its widget,
/// and 100 operators online.
async fn stack() -> ChannelHarness {
    let h = harness();
    let tenant = h.tenant_with_widget("shop", 10).await;
    let expires = h.clock.now().plus_seconds(3600);
    for i in 0..OPERATORS {
        let token = h
            .tokens
            .issue_operator(
                &tenant,
                &OperatorId::parse(format!("op{i}")).unwrap(),
                "Operator",
                &[Role::Operator],
                expires,
            )
            .unwrap();
        h.functions
            .connect
            .connect(ConnectRequest {
                connection_id: format!("op{i}"),
                token: Some(token),
                ..ConnectRequest::default()
            })
            .await
            .unwrap();
    }
    h
}

fn start_frame(i: usize) -> Value {
    json!({"action": "conversation.start", "entry": {
        "type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux",
        "widget": "Website", "pageUrl": "https://shop.example.com/", "name": format!("Visitor {i}")}})
}

/// The place each visitor's tab was last told.
fn last_told(push: &RecordingPush) -> HashMap<String, u64> {
    let mut told = HashMap::new();
    for (connection, event) in push.sent.lock().unwrap().iter() {
        if event["event"] == "queue.position" {
            told.insert(connection.clone(), event["position"].as_u64().unwrap());
        }
    }
    told
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_accept_in_a_long_queue_costs_a_bounded_number_of_pushes() {
    let s = stack().await;
    let mut conversations = Vec::with_capacity(WAITING);
    for i in 0..WAITING {
        let tab = format!("v{i}");
        s.functions
            .connect
            .connect(ConnectRequest {
                connection_id: tab.clone(),
                widget_id: Some("site".into()),
                ..ConnectRequest::default()
            })
            .await
            .unwrap();
        // One after the other, as they arrive.
        s.clock.advance(1);
        frame(&s, &tab, start_frame(i)).await;
        let started = s
            .push
            .to(&tab)
            .into_iter()
            .find(|e| e["event"] == "conversation.started")
            .unwrap_or_else(|| panic!("{tab} did not start"));
        conversations.push(
            started["view"]["conversation"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        if i % 10 == 9 {
            s.run_queue_function(10).await;
        }
    }
    s.run_queue_function(10).await;
    // Everyone was told their place on entering.
    let told = last_told(&s.push);
    for i in 0..WAITING {
        assert_eq!(told.get(&format!("v{i}")), Some(&(i as u64 + 1)));
    }

    let before = s.push.sent.lock().unwrap().len();
    frame(
        &s,
        "op0",
        json!({"action": "conversation.accept", "conversationId": conversations[0]}),
    )
    .await;
    s.run_queue_function(10).await;
    let pushes = s.push.sent.lock().unwrap().len() - before;
    println!(
        "one accept with {WAITING} waiting and {OPERATORS} operators online: {pushes} pushes (bound {PUSH_BOUND})"
    );
    assert!(pushes <= PUSH_BOUND, "{pushes} pushes");

    // What every waiting visitor was told is their place near the front, and
    // never more than 20% behind it further back.
    let told = last_told(&s.push);
    for i in 1..WAITING {
        let place = i as u64;
        let shown = told[&format!("v{i}")];
        if place <= 10 {
            assert_eq!(shown, place, "v{i} is near the front");
        } else {
            assert!(
                shown >= place && (shown as f64) <= place as f64 * 1.2 + 1.0,
                "v{i} is at {place} and was told {shown}"
            );
        }
    }
    // Every operator heard of it, once.
    for o in 0..OPERATORS {
        let removed = s
            .push
            .to(&format!("op{o}"))
            .iter()
            .filter(|e| {
                e["event"] == "queue.updated"
                    && e["changes"].as_array().into_iter().flatten().any(|c| {
                        c["change"] == "removed" && c["conversationId"] == conversations[0].as_str()
                    })
            })
            .count();
        assert_eq!(removed, 1, "op{o}");
    }
}
