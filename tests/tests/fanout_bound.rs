//! The queue function's cost does not grow with the square of the queue.
//! With 1,000 visitors waiting and 100 operators online, one accept costs at
//! most 150 pushes, and every waiting visitor still knows their place to
//! within 20% (exactly, near the front). Runs the real handlers on the
//! embedded store; the queue's events are handed to the fan-out in batches
//! of ten, as SQS delivers them.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::DirectoryStore;
use switchboard_app::{AdapterSet, ConnectRequest, RetryPolicy};
use switchboard_domain::*;
use switchboard_embedded::SqliteStore;
use switchboard_local::Functions;
use switchboard_tests::channels::config;
use switchboard_tests::fakes::{
    FixedClock, RecordingChannelBus, RecordingPush, RecordingQueueBus, ScriptedHttp, SequentialIds,
};

const WAITING: usize = 1_000;
const OPERATORS: usize = 100;
const PUSH_BOUND: usize = 150;
const NOW: u64 = 1_795_243_570_000;

struct Stack {
    functions: Functions,
    clock: Arc<FixedClock>,
    queue: Arc<RecordingQueueBus>,
    push: Arc<RecordingPush>,
}

impl Stack {
    async fn fan_out(&self) {
        let events = self.queue.take();
        for batch in events.chunks(10) {
            for (tenant, result) in self.functions.fanout.fan_out(batch).await {
                result.unwrap_or_else(|e| panic!("fan-out for {tenant}: {e}"));
            }
        }
    }

    async fn frame(&self, connection: &str, body: Value) {
        self.functions
            .message
            .handle_frame(connection, &body.to_string())
            .await
            .unwrap();
    }
}

async fn stack() -> Stack {
    let store = Arc::new(SqliteStore::in_memory().unwrap());
    let tenant = TenantId::parse("shop").unwrap();
    store
        .put_tenant(&Tenant {
            id: tenant.clone(),
            name: "Shop".into(),
            settings: TenantSettings {
                max_chats: Capacity::new(10).unwrap(),
            },
        })
        .await
        .unwrap();
    store
        .put_widget(&Widget {
            id: WidgetId::parse("site").unwrap(),
            tenant: tenant.clone(),
            name: "Website".into(),
        })
        .await
        .unwrap();
    let queue = Arc::new(RecordingQueueBus::default());
    let push = Arc::new(RecordingPush::default());
    let channel_bus = Arc::new(RecordingChannelBus::default());
    let clock = Arc::new(FixedClock::at(NOW));
    let adapters = AdapterSet::with_store(
        store,
        queue.clone(),
        channel_bus.clone(),
        channel_bus,
        push.clone(),
        clock.clone(),
        Arc::new(SequentialIds::default()),
    );
    let tokens = TokenService::new(vec![9u8; 32]).unwrap();
    let functions = Functions::wire(
        &adapters,
        &tokens,
        Arc::new(config("http://provider.invalid")),
        Arc::new(ScriptedHttp::default()),
        RetryPolicy::default(),
    );
    for i in 0..OPERATORS {
        let token = tokens
            .issue_operator(
                &tenant,
                &OperatorId::parse(format!("op{i}")).unwrap(),
                "Operator",
                &[Role::Operator],
                Timestamp(NOW + 3_600_000),
            )
            .unwrap();
        functions
            .connect
            .connect(ConnectRequest {
                connection_id: format!("op{i}"),
                token: Some(token),
                ..ConnectRequest::default()
            })
            .await
            .unwrap();
    }
    Stack {
        functions,
        clock,
        queue,
        push,
    }
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
        s.frame(&tab, start_frame(i)).await;
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
            s.fan_out().await;
        }
    }
    s.fan_out().await;
    // Everyone was told their place on entering.
    let told = last_told(&s.push);
    for i in 0..WAITING {
        assert_eq!(told.get(&format!("v{i}")), Some(&(i as u64 + 1)));
    }

    let before = s.push.sent.lock().unwrap().len();
    s.frame(
        "op0",
        json!({"action": "conversation.accept", "conversationId": conversations[0]}),
    )
    .await;
    s.fan_out().await;
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
