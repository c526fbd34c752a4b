//! The Lambda handlers, fed the JSON that API Gateway and SQS really send
//! (`tests/fixtures/`), with the embedded store, a recording push and an
//! injected clock and ids.

use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use aws_lambda_events::sqs::SqsEvent;
use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::PrincipalRef;
use switchboard_app::AdapterSet;
use switchboard_domain::*;
use switchboard_embedded::{LocalQueue, SqliteStore};
use switchboard_local::Functions;
use switchboard_tests::fakes::{FixedClock, RecordingPush, SequentialIds};

const NOW: u64 = 1_795_243_570_000;
const KEY: &[u8] = b"handler-tests-signing-key-0123456789";

struct Harness {
    functions: Functions,
    tokens: TokenService,
    store: Arc<SqliteStore>,
    push: Arc<RecordingPush>,
    queue: Arc<LocalQueue>,
    clock: Arc<FixedClock>,
}

fn fixture(path: &str) -> Value {
    let full = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

async fn harness() -> Harness {
    let store = Arc::new(SqliteStore::in_memory().unwrap());
    let push = Arc::new(RecordingPush::default());
    let queue = Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5));
    let clock = Arc::new(FixedClock::at(NOW));
    for (tenant, widget) in [("shop", "shop-widget"), ("other", "other-widget")] {
        let t = TenantId::parse(tenant).unwrap();
        store
            .put_tenant(&Tenant {
                timezone: None,
                id: t.clone(),
                name: tenant.into(),
                settings: TenantSettings::default(),
            })
            .await
            .unwrap();
        store
            .put_widget(&Widget {
                group: None,
                offline_email: None,
                allowed_origins: Vec::new(),
                entries: WidgetEntry::all(),
                id: WidgetId::parse(widget).unwrap(),
                tenant: t,
                name: "Website".into(),
            })
            .await
            .unwrap();
    }
    let channel_bus = Arc::new(switchboard_tests::fakes::RecordingChannelBus::default());
    let adapters = AdapterSet::with_store(
        store.clone(),
        queue.clone(),
        Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5)),
        channel_bus,
        {
            let (queue, mailer) = switchboard_tests::fakes::mail_ports();
            (
                queue as std::sync::Arc<dyn switchboard_app::ports::MailBus>,
                mailer as std::sync::Arc<dyn switchboard_app::ports::Mailer>,
            )
        },
        push.clone(),
        clock.clone(),
        Arc::new(SequentialIds::default()),
        switchboard_tests::fakes::memory_secrets(),
    );
    let tokens = TokenService::new(KEY.to_vec()).unwrap();
    Harness {
        functions: switchboard_tests::channels::wire_functions(&adapters, &tokens),
        tokens,
        store,
        push,
        queue,
        clock,
    }
}

use switchboard_app::ports::{ConnectionRegistry, ConversationStore, DirectoryStore, MessageStore};

impl Harness {
    fn operator_token(&self, tenant: &str, operator: &str, roles: &[Role]) -> String {
        self.tokens
            .issue_operator(
                &TenantId::parse(tenant).unwrap(),
                &OperatorId::parse(operator).unwrap(),
                operator,
                roles,
                Timestamp(NOW).plus_seconds(3600),
            )
            .unwrap()
    }

    async fn connect(&self, connection: &str, query: &[(&str, &str)]) -> i64 {
        let mut event = fixture("apigw/connect.json");
        event["requestContext"]["connectionId"] = json!(connection);
        let q: serde_json::Map<String, Value> = query
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let mq: serde_json::Map<String, Value> = query
            .iter()
            .map(|(k, v)| (k.to_string(), json!([v])))
            .collect();
        event["queryStringParameters"] = Value::Object(q);
        event["multiValueQueryStringParameters"] = Value::Object(mq);
        let event: ApiGatewayWebsocketProxyRequest = serde_json::from_value(event).unwrap();
        ws_connect::handle(&self.functions.connect, event)
            .await
            .status_code
    }

    async fn send_raw(&self, connection: &str, body: &str) -> i64 {
        let mut event = fixture("apigw/message.json");
        event["requestContext"]["connectionId"] = json!(connection);
        event["body"] = json!(body);
        let event: ApiGatewayWebsocketProxyRequest = serde_json::from_value(event).unwrap();
        ws_message::handle(&self.functions.message, event)
            .await
            .status_code
    }

    async fn send(&self, connection: &str, body: Value) -> i64 {
        self.send_raw(connection, &body.to_string()).await
    }

    async fn disconnect(&self, connection: &str) -> i64 {
        let mut event = fixture("apigw/disconnect.json");
        event["requestContext"]["connectionId"] = json!(connection);
        let event: ApiGatewayWebsocketProxyRequest = serde_json::from_value(event).unwrap();
        ws_disconnect::handle(&self.functions.disconnect, event)
            .await
            .status_code
    }

    /// The last event pushed to `connection`.
    fn last(&self, connection: &str) -> Value {
        self.push
            .to(connection)
            .last()
            .cloned()
            .expect("an event was pushed")
    }

    /// Runs whatever the queue holds through the queue function, as Lambda would.
    async fn drain_queue(&self) {
        while self.queue.pending() > 0 {
            let batch = self.queue.receive(10).await;
            let mut event = fixture("sqs/queue-events.json");
            let template = event["Records"][0].clone();
            event["Records"] = Value::Array(
                batch
                    .iter()
                    .map(|m| {
                        let mut r = template.clone();
                        r["messageId"] = json!(m.message_id);
                        r["body"] = json!(m.body);
                        r
                    })
                    .collect(),
            );
            let event: SqsEvent = serde_json::from_value(event).unwrap();
            let response = queue_fanout::handle(&self.functions.fanout, event).await;
            let failed: Vec<String> = response
                .batch_item_failures
                .into_iter()
                .map(|f| f.item_identifier)
                .collect();
            assert!(failed.is_empty(), "queue records failed: {failed:?}");
            self.queue.settle(&batch, &failed);
        }
    }

    /// A visitor connected through `shop-widget` with a waiting conversation.
    async fn waiting_visitor(&self, connection: &str) -> ConversationId {
        assert_eq!(
            self.connect(connection, &[("widgetId", "shop-widget")])
                .await,
            200
        );
        self.send(connection, start_frame()).await;
        let started = self.last(connection);
        assert_eq!(started["event"], "conversation.started", "{started}");
        ConversationId::parse(started["view"]["conversation"]["id"].as_str().unwrap()).unwrap()
    }
}

fn start_frame() -> Value {
    json!({
        "action": "conversation.start",
        "entry": {
            "type": "chat", "language": "de", "browser": "Firefox 131", "os": "Linux",
            "widget": "Shop", "pageUrl": "https://shop.example.com/cart", "name": "Grace"
        }
    })
}

#[tokio::test]
async fn connect_event_registers_a_visitor_and_hello_answers_with_a_token() {
    let h = harness().await;
    assert_eq!(
        h.connect("BhUJkdEfDoECJ4g=", &[("widgetId", "shop-widget")])
            .await,
        200
    );
    // The fixture's own body is {"action":"hello"}.
    let event: ApiGatewayWebsocketProxyRequest =
        serde_json::from_value(fixture("apigw/message.json")).unwrap();
    assert_eq!(
        ws_message::handle(&h.functions.message, event)
            .await
            .status_code,
        200
    );
    let welcome = h.last("BhUJkdEfDoECJ4g=");
    assert_eq!(welcome["event"], "welcome");
    assert_eq!(welcome["tenant"], "shop");
    let token = welcome["visitorToken"].as_str().unwrap();
    let claims = h.tokens.verify_visitor(token, Timestamp(NOW)).unwrap();
    assert_eq!(claims.sub.as_str(), welcome["visitorId"].as_str().unwrap());

    let disconnect: ApiGatewayWebsocketProxyRequest =
        serde_json::from_value(fixture("apigw/disconnect.json")).unwrap();
    assert_eq!(
        ws_disconnect::handle(&h.functions.disconnect, disconnect)
            .await
            .status_code,
        200
    );
    let id = ConnectionId::parse("BhUJkdEfDoECJ4g=").unwrap();
    assert!(h
        .store
        .connection(&id, Timestamp(NOW))
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn connect_refuses_bad_credentials_and_writes_nothing() {
    let h = harness().await;
    let forged = TokenService::new(b"someone-elses-key-0123456789abcdef".to_vec())
        .unwrap()
        .issue_operator(
            &TenantId::parse("shop").unwrap(),
            &OperatorId::parse("mallory").unwrap(),
            "Mallory",
            &[Role::Admin],
            Timestamp(NOW).plus_seconds(3600),
        )
        .unwrap();
    let expired = h
        .tokens
        .issue_operator(
            &TenantId::parse("shop").unwrap(),
            &OperatorId::parse("ann").unwrap(),
            "Ann",
            &[Role::Operator],
            Timestamp(NOW - 1000),
        )
        .unwrap();
    let other_visitor = h
        .tokens
        .issue_visitor(
            &TenantId::parse("other").unwrap(),
            &VisitorId::parse("v9").unwrap(),
            &WidgetId::parse("other-widget").unwrap(),
            Timestamp(NOW),
        )
        .unwrap();
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    type Query<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(&str, Query, i64)> = vec![
        ("no credentials", vec![], 401),
        ("forged token", vec![("token", forged.as_str())], 401),
        ("expired token", vec![("token", expired.as_str())], 401),
        ("garbage token", vec![("token", "not.a.jwt")], 401),
        ("unknown widget", vec![("widgetId", "nope")], 403),
        (
            "visitor token of another tenant",
            vec![
                ("widgetId", "shop-widget"),
                ("visitorToken", other_visitor.as_str()),
            ],
            403,
        ),
        (
            "operator token for another tenant",
            vec![("token", ann.as_str()), ("tenant", "other")],
            403,
        ),
    ];
    for (i, (what, query, status)) in cases.into_iter().enumerate() {
        let connection = format!("refused{i}");
        assert_eq!(h.connect(&connection, &query).await, status, "{what}");
        let id = ConnectionId::parse(connection).unwrap();
        assert!(
            h.store
                .connection(&id, Timestamp(NOW))
                .await
                .unwrap()
                .is_none(),
            "{what}"
        );
    }
    assert!(h
        .store
        .operator(
            &TenantId::parse("shop").unwrap(),
            &OperatorId::parse("mallory").unwrap()
        )
        .await
        .unwrap()
        .is_none());
    // The clock matters: the same token is refused once it has expired.
    assert_eq!(h.connect("ann1", &[("token", ann.as_str())]).await, 200);
    h.clock.advance(3_600_000);
    assert_eq!(h.connect("ann2", &[("token", ann.as_str())]).await, 401);
}

#[tokio::test]
async fn bad_input_gets_an_error_event_naming_the_problem_and_writes_nothing() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    let eve = h.operator_token("other", "eve", &[Role::Operator, Role::Admin]);
    assert_eq!(h.connect("ann", &[("token", ann.as_str())]).await, 200);
    assert_eq!(h.connect("eve", &[("token", eve.as_str())]).await, 200);
    let conversation = h.waiting_visitor("visitor").await;
    let c = conversation.as_str();
    let oversize = format!(
        r#"{{"action":"message.send","clientMessageId":"big","text":"{}"}}"#,
        "x".repeat(130 * 1024)
    );
    let too_long_text =
        json!({"action":"message.send","clientMessageId":"long","text":"x".repeat(8001)});

    // (what, sender, frame, expected code, expected field)
    type Case<'a> = (&'a str, &'a str, String, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("malformed JSON", "visitor", "{\"action\":".into(), "malformed_json", None),
        ("not an object", "visitor", "[1,2]".into(), "malformed_json", None),
        ("unknown action", "visitor", json!({"action":"teleport"}).to_string(), "unknown_action", None),
        ("missing action", "visitor", json!({"text":"hi"}).to_string(), "invalid_field", Some("action")),
        ("missing field", "visitor", json!({"action":"message.send","text":"hi"}).to_string(), "invalid_field", Some("clientMessageId")),
        ("wrong type", "visitor", json!({"action":"message.send","clientMessageId":"m1","text":42}).to_string(), "invalid_field", Some("text")),
        ("bad nested enum", "visitor", json!({"action":"conversation.start","entry":{"type":"fax","language":"de","browser":"b","os":"o","widget":"w","pageUrl":"u"}}).to_string(), "invalid_field", Some("entry.type")),
        ("blank text", "visitor", json!({"action":"message.send","clientMessageId":"m2","text":"   "}).to_string(), "invalid_field", Some("text")),
        ("text over the limit", "visitor", too_long_text.to_string(), "invalid_field", Some("text")),
        ("message over 128 KB", "visitor", oversize, "payload_too_large", None),
        ("visitor tries to accept", "visitor", json!({"action":"conversation.accept","conversationId":c}).to_string(), "forbidden", None),
        ("visitor reads the queue", "visitor", json!({"action":"queue.list"}).to_string(), "forbidden", None),
        ("operator of another tenant accepts", "eve", json!({"action":"conversation.accept","conversationId":c}).to_string(), "conversation_not_found", None),
        ("operator of another tenant previews", "eve", json!({"action":"conversation.preview","conversationId":c}).to_string(), "conversation_not_found", None),
        ("operator writes to a waiting conversation", "ann", json!({"action":"message.send","conversationId":c,"clientMessageId":"x1","text":"hi"}).to_string(), "not_active", None),
        ("operator sets capacity without admin", "ann", json!({"action":"tenant.settings","maxChats":5}).to_string(), "forbidden", None),
        ("admin sets capacity out of range", "eve", json!({"action":"tenant.settings","maxChats":11}).to_string(), "invalid_field", Some("maxChats")),
        ("operator sets itself offline", "ann", json!({"action":"operator.status","status":"offline"}).to_string(), "invalid_field", Some("status")),
    ];

    let tenant = TenantId::parse("shop").unwrap();
    let before_queue = h.store.waiting(&tenant, 10).await.unwrap();
    let before_messages = h
        .store
        .messages(&tenant, &conversation, None, 100)
        .await
        .unwrap();
    let before_pending = h.queue.pending();
    for (what, from, body, code, field) in cases {
        h.push.take();
        assert_eq!(h.send_raw(from, &body).await, 200, "{what}");
        let pushed = h.push.to(from);
        assert_eq!(
            pushed.len(),
            1,
            "{what}: exactly one answer, got {pushed:?}"
        );
        assert_eq!(pushed[0]["event"], "error", "{what}");
        assert_eq!(pushed[0]["code"], code, "{what}: {}", pushed[0]);
        if let Some(field) = field {
            assert_eq!(pushed[0]["field"], field, "{what}: {}", pushed[0]);
        }
        assert!(!pushed[0]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(h.store.waiting(&tenant, 10).await.unwrap(), before_queue);
    assert_eq!(
        h.store
            .messages(&tenant, &conversation, None, 100)
            .await
            .unwrap(),
        before_messages
    );
    assert_eq!(h.queue.pending(), before_pending);
    assert_eq!(
        h.store
            .tenant(&tenant)
            .await
            .unwrap()
            .unwrap()
            .settings
            .max_chats
            .get(),
        3
    );
}

#[tokio::test]
async fn accepting_a_closed_or_taken_conversation_is_refused() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    let bob = h.operator_token("shop", "bob", &[Role::Operator]);
    h.connect("ann", &[("token", ann.as_str())]).await;
    h.connect("bob", &[("token", bob.as_str())]).await;
    let conversation = h.waiting_visitor("visitor").await;
    let accept = json!({"action":"conversation.accept","conversationId":conversation.as_str(),"requestId":"r1"});
    h.send("ann", accept.clone()).await;
    assert!(h
        .push
        .to("ann")
        .iter()
        .any(|e| e["event"] == "conversation.accepted"));
    h.send("bob", accept.clone()).await;
    let refused = h.last("bob");
    assert_eq!(
        (refused["code"].as_str(), refused["requestId"].as_str()),
        (Some("already_taken"), Some("r1"))
    );
    h.send(
        "ann",
        json!({"action":"conversation.close","conversationId":conversation.as_str()}),
    )
    .await;
    h.send("bob", accept).await;
    assert_eq!(h.last("bob")["code"], "not_waiting");
    let bob_state = h
        .store
        .operator(
            &TenantId::parse("shop").unwrap(),
            &OperatorId::parse("bob").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bob_state.active_chats, 0);
}

#[tokio::test]
async fn queue_function_fans_out_to_operators_and_reports_bad_records() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    let eve = h.operator_token("other", "eve", &[Role::Operator]);
    h.connect("ann", &[("token", ann.as_str())]).await;
    h.connect("eve", &[("token", eve.as_str())]).await;
    let conversation = h.waiting_visitor("visitor").await;
    assert_eq!(
        conversation.as_str(),
        "conv_1",
        "ids come from the injected generator"
    );
    h.push.take();

    // The fixture's records: conv_1 entered, then "left" (stale: it is still waiting).
    let event: SqsEvent = serde_json::from_value(fixture("sqs/queue-events.json")).unwrap();
    let response = queue_fanout::handle(&h.functions.fanout, event).await;
    assert!(response.batch_item_failures.is_empty());
    let to_ann = h.push.to("ann");
    // Both records are about one conversation: coalesced into one update,
    // which describes the current state, whatever the records claimed.
    assert_eq!(to_ann.len(), 1, "one update per batch: {to_ann:?}");
    let update = &to_ann[0];
    assert_eq!(update["event"], "queue.updated");
    assert_eq!(update["queueLength"], 1);
    assert_eq!(update["changes"].as_array().map(Vec::len), Some(1));
    let change = &update["changes"][0];
    assert_eq!(change["change"], "added");
    assert_eq!(change["entry"]["conversation"]["entry"]["name"], "Grace");
    assert_eq!(change["entry"]["position"], 1);
    assert!(
        h.push.to("eve").is_empty(),
        "another tenant's operator sees nothing"
    );
    assert!(h
        .push
        .to("visitor")
        .iter()
        .any(|e| e["event"] == "queue.position" && e["position"] == 1));

    // A record that is not a queue event fails alone: the fan-out reads the
    // current state, so the records around it do not depend on its order.
    let mut event = fixture("sqs/queue-events.json");
    event["Records"][0]["body"] = json!("{not json");
    let event: SqsEvent = serde_json::from_value(event).unwrap();
    let response = queue_fanout::handle(&h.functions.fanout, event).await;
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, vec!["059f36b4-87a3-44ab-83d2-661975830a7d"]);
    let mut event = fixture("sqs/queue-events.json");
    event["Records"][1]["body"] = json!("{not json");
    let event: SqsEvent = serde_json::from_value(event).unwrap();
    let response = queue_fanout::handle(&h.functions.fanout, event).await;
    assert_eq!(response.batch_item_failures.len(), 1);
    assert_eq!(
        response.batch_item_failures[0].item_identifier,
        "2e1424d4-f796-459a-8184-9c92662be6da"
    );
}

#[tokio::test]
async fn a_gone_connection_is_removed_when_a_push_finds_it() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    h.connect("ann-tab1", &[("token", ann.as_str())]).await;
    h.connect("ann-tab2", &[("token", ann.as_str())]).await;
    h.push.gone.lock().unwrap().insert("ann-tab2".into());
    h.waiting_visitor("visitor").await;
    h.drain_queue().await;
    let tenant = TenantId::parse("shop").unwrap();
    let left = h
        .store
        .principal_connections(
            &tenant,
            &PrincipalRef::Operator(OperatorId::parse("ann").unwrap()),
            Timestamp(NOW),
        )
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id.as_str(), "ann-tab1");
    assert_eq!(h.disconnect("ann-tab1").await, 200);
    let ann_state = h
        .store
        .operator(&tenant, &OperatorId::parse("ann").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann_state.status, OperatorStatus::Offline);
}

#[tokio::test]
async fn a_resent_message_is_stored_once_and_delivered_once() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    h.connect("ann", &[("token", ann.as_str())]).await;
    let conversation = h.waiting_visitor("visitor").await;
    h.send(
        "ann",
        json!({"action":"conversation.accept","conversationId":conversation.as_str()}),
    )
    .await;
    h.push.take();
    let frame = json!({"action":"message.send","clientMessageId":"c-1","text":"Hallo!"});
    for _ in 0..3 {
        h.send("visitor", frame.clone()).await;
    }
    let acks: Vec<_> = h
        .push
        .to("visitor")
        .into_iter()
        .filter(|e| e["event"] == "message.ack")
        .collect();
    assert_eq!(
        acks.iter()
            .map(|a| a["duplicate"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        vec![false, true, true]
    );
    assert!(acks.iter().all(|a| a["seq"] == 1));
    let delivered: Vec<_> = h
        .push
        .to("ann")
        .into_iter()
        .filter(|e| e["event"] == "message")
        .collect();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["message"]["text"], "Hallo!");
}

#[tokio::test]
async fn an_away_operator_cannot_accept_until_back_online() {
    let h = harness().await;
    let ann = h.operator_token("shop", "ann", &[Role::Operator]);
    h.connect("ann", &[("token", ann.as_str())]).await;
    let conversation = h.waiting_visitor("visitor").await;
    h.send(
        "ann",
        json!({"action": "operator.status", "status": "away", "requestId": "s1"}),
    )
    .await;
    let state = h.last("ann");
    assert_eq!(
        (state["event"].as_str(), state["requestId"].as_str()),
        (Some("operator.state"), Some("s1"))
    );
    assert_eq!(state["operator"]["status"], "away");
    let accept = json!({"action": "conversation.accept", "conversationId": conversation.as_str()});
    h.send("ann", accept.clone()).await;
    assert_eq!(h.last("ann")["code"], "operator_not_online");
    h.send(
        "ann",
        json!({"action": "operator.status", "status": "online"}),
    )
    .await;
    assert_eq!(h.last("ann")["operator"]["status"], "online");
    h.send("ann", accept).await;
    assert!(h
        .push
        .to("ann")
        .iter()
        .any(|e| e["event"] == "conversation.accepted"));
}
