//! What each action costs on AWS: DynamoDB calls issued by the real adapters
//! on moto (counted by an SDK interceptor), queue messages and pushes. It
//! prints the table `docs/performance.md` publishes and fails when an action
//! goes over its budget there.
//!
//! Run it alone with `scripts/test --test calls_per_action -- --nocapture`.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::usecases::contact_visitor_id;
use switchboard_app::{AdapterSet, ConnectRequest, RetryPolicy, Store};
use switchboard_domain::{
    Channel, OperatorId, Role, Tenant, TenantId, TenantSettings, Timestamp, Widget, WidgetId,
};
use switchboard_local::Functions;
use switchboard_tests::channels::{config, meta_signature, VECTOR_TIME_MS};
use switchboard_tests::cost::{bill, Usage};
use switchboard_tests::counting::{counted_dynamodb, summary, Call, DynamoCalls};
use switchboard_tests::fakes::{
    FixedClock, RecordingChannelBus, RecordingPush, RecordingQueueBus, ScriptedHttp, SequentialIds,
};

/// Budgets per action, as published in `docs/performance.md`.
struct Budget {
    dynamodb: usize,
    messages: usize,
    pushes: usize,
}

struct Row {
    action: &'static str,
    calls: Vec<Call>,
    messages: usize,
    pushes: usize,
    budget: Budget,
}

impl Row {
    /// What the action bills: the counted calls, messages and pushes, and
    /// the requests and invocations its kind implies (each queue message is
    /// taken to cost its consumer one invocation, an upper bound).
    fn usage(&self) -> Usage {
        let (read_units, write_units) = self
            .calls
            .iter()
            .map(Call::units)
            .fold((0.0, 0.0), |(r, w), (a, b)| (r + a, w + b));
        let a = self.action;
        let (frames_in, http_requests, invocations) =
            if a.contains("$connect") || a.contains("$disconnect") {
                (0.0, 0.0, 1.0)
            } else if a.starts_with("WhatsApp inbound") || a.starts_with("WhatsApp receipt") {
                (0.0, 1.0, 1.0 + self.messages as f64)
            } else if a.starts_with("WhatsApp send") {
                (0.0, 0.0, 1.0)
            } else {
                (1.0, 0.0, 1.0 + self.messages as f64)
            };
        Usage {
            read_units,
            write_units,
            queue_messages: self.messages as f64,
            frames_in,
            pushes: self.pushes as f64,
            http_requests,
            invocations,
        }
    }
}

struct Stack {
    functions: Functions,
    tokens: TokenService,
    store: Arc<dyn Store>,
    calls: DynamoCalls,
    queue: Arc<RecordingQueueBus>,
    channel_bus: Arc<RecordingChannelBus>,
    push: Arc<RecordingPush>,
    http: Arc<ScriptedHttp>,
    /// Pushes counted so far; the log itself is kept for the test to read.
    pushes_seen: usize,
    rows: Vec<Row>,
}

const OP_CONN: &str = "op-conn";
const VISITOR_CONN: &str = "visitor-conn";

fn tenant() -> TenantId {
    TenantId::parse("demo").unwrap()
}

impl Stack {
    async fn new() -> Stack {
        let (store, calls) = counted_dynamodb().await;
        let store: Arc<dyn Store> = Arc::new(store);
        let queue = Arc::new(RecordingQueueBus::default());
        let channel_bus = Arc::new(RecordingChannelBus::default());
        let push = Arc::new(RecordingPush::default());
        let http = Arc::new(ScriptedHttp::default());
        let adapters = AdapterSet::with_store(
            store.clone(),
            queue.clone(),
            channel_bus.clone(),
            channel_bus.clone(),
            push.clone(),
            Arc::new(FixedClock::at(VECTOR_TIME_MS)),
            Arc::new(SequentialIds::default()),
        );
        let tokens = TokenService::new(vec![7u8; 32]).unwrap();
        let functions = Functions::wire(
            &adapters,
            &tokens,
            Arc::new(config("http://provider.invalid")),
            http.clone(),
            RetryPolicy::default(),
        );
        store
            .put_tenant(&Tenant {
                id: tenant(),
                name: "Demo".into(),
                settings: TenantSettings::default(),
            })
            .await
            .unwrap();
        store
            .put_widget(&Widget {
                id: WidgetId::parse("site").unwrap(),
                tenant: tenant(),
                name: "Website".into(),
            })
            .await
            .unwrap();
        calls.take();
        Stack {
            functions,
            tokens,
            store,
            calls,
            queue,
            channel_bus,
            push,
            http,
            pushes_seen: 0,
            rows: Vec::new(),
        }
    }

    /// Runs what the action queued for the queue function, as SQS would.
    async fn fan_out(&self) -> usize {
        let events = self.queue.take();
        for (tenant, result) in self.functions.fanout.fan_out(&events).await {
            result.unwrap_or_else(|e| panic!("fan-out for {tenant}: {e}"));
        }
        events.len()
    }

    /// The webhook, then the inbound consumer, then the queue function.
    async fn webhook(&self, body: &str) -> usize {
        let request = lambda_http::http::Request::builder()
            .method("POST")
            .uri("/webhooks/whatsapp")
            .header("x-hub-signature-256", meta_signature(body.as_bytes()))
            .body(lambda_http::Body::Text(body.to_string()))
            .unwrap();
        let response = channel_webhook::handle(&self.functions.webhook, request).await;
        assert_eq!(response.status().as_u16(), 200);
        let envelopes = std::mem::take(&mut *self.channel_bus.inbound.lock().unwrap());
        for envelope in &envelopes {
            self.functions.inbound.ingest(envelope).await.unwrap();
        }
        envelopes.len() + self.fan_out().await
    }

    async fn frame(&self, connection: &str, body: Value) -> usize {
        self.functions
            .message
            .handle_frame(connection, &body.to_string())
            .await
            .unwrap();
        // Outbound jobs stay queued for the sender; they are counted here.
        let outbound = self.channel_bus.outbound.lock().unwrap().len();
        outbound + self.fan_out().await
    }

    fn pushes_since_last(&mut self) -> usize {
        let total = self.push.sent.lock().unwrap().len();
        let new = total - self.pushes_seen;
        self.pushes_seen = total;
        new
    }

    /// Starts a new count without recording what came before.
    fn skip(&mut self) {
        self.calls.take();
        self.pushes_since_last();
    }

    fn record(&mut self, action: &'static str, messages: usize, budget: Budget) {
        let pushes = self.pushes_since_last();
        self.rows.push(Row {
            action,
            calls: self.calls.take(),
            messages,
            pushes,
            budget,
        });
    }

    fn last_event(&self, connection: &str, event: &str) -> Value {
        self.push
            .to(connection)
            .into_iter()
            .rev()
            .find(|e| e["event"] == event)
            .unwrap_or_else(|| {
                panic!(
                    "no {event} pushed to {connection}: {:?}",
                    self.push.to(connection)
                )
            })
    }
}

fn whatsapp_text(id: &str, text: &str) -> String {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
                  "contacts": [{"profile": {"name": "Amélie Dupont"}, "wa_id": "447700900123"}],
                  "messages": [{"from": "447700900123", "id": id, "timestamp": "1767225601",
                                "type": "text", "text": {"body": text}}]}}]}]})
    .to_string()
}

fn whatsapp_status(wamid: &str, status: &str) -> String {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
                  "statuses": [{"id": wamid, "status": status, "timestamp": "1767225700", "recipient_id": "447700900123"}]}}]}]})
    .to_string()
}

const fn budget(dynamodb: usize, messages: usize, pushes: usize) -> Budget {
    Budget {
        dynamodb,
        messages,
        pushes,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_stays_within_its_budget_of_calls() {
    let mut s = Stack::new().await;
    let token = s
        .tokens
        .issue_operator(
            &tenant(),
            &OperatorId::parse("alice").unwrap(),
            "Alice",
            &[Role::Operator],
            Timestamp(u64::MAX / 4),
        )
        .unwrap();

    // One operator online, one visitor on the website.
    s.functions
        .connect
        .connect(ConnectRequest {
            connection_id: OP_CONN.into(),
            token: Some(token),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    s.record("operator $connect", 0, budget(5, 0, 0));
    s.functions
        .connect
        .connect(ConnectRequest {
            connection_id: VISITOR_CONN.into(),
            widget_id: Some("site".into()),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    s.record("visitor $connect", 0, budget(3, 0, 0));

    let n = s
        .frame(VISITOR_CONN, json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux", "widget": "Website", "pageUrl": "https://shop.example.com/", "name": "Zoe"}}))
        .await;
    s.record(
        "conversation.start (with the queue function)",
        n,
        budget(5, 1, 3),
    );
    let conversation = s.last_event(VISITOR_CONN, "conversation.started")["view"]["conversation"]
        ["id"]
        .as_str()
        .unwrap()
        .to_string();

    let n = s
        .frame(
            OP_CONN,
            json!({"action": "conversation.accept", "conversationId": conversation}),
        )
        .await;
    s.record(
        "conversation.accept (with the queue function)",
        n,
        budget(5, 1, 4),
    );

    let n = s
        .frame(
            VISITOR_CONN,
            json!({"action": "message.send", "clientMessageId": "v1", "text": "Hello"}),
        )
        .await;
    s.record("visitor message.send", n, budget(3, 0, 2));

    let n = s
        .frame(OP_CONN, json!({"action": "message.send", "conversationId": conversation, "clientMessageId": "o1", "text": "Hi, how can I help?"}))
        .await;
    s.record("operator message.send", n, budget(3, 0, 2));

    let n = s
        .frame(
            OP_CONN,
            json!({"action": "conversation.close", "conversationId": conversation}),
        )
        .await;
    s.record("conversation.close", n, budget(3, 0, 3));

    s.functions
        .disconnect
        .disconnect(VISITOR_CONN)
        .await
        .unwrap();
    s.record("visitor $disconnect", 0, budget(2, 0, 0));

    // WhatsApp: a new contact writes, the operator takes it, the contact writes again.
    let n = s.webhook(&whatsapp_text("wamid.IN1", "Bonjour")).await;
    s.record(
        "WhatsApp inbound text, new contact (with the queue function)",
        n,
        budget(7, 2, 1),
    );
    let visitor = contact_visitor_id(Channel::WhatsApp, "420000000000002", "447700900123").unwrap();
    let wa = s
        .store
        .visitor_conversation(&tenant(), &visitor)
        .await
        .unwrap()
        .unwrap();
    s.frame(
        OP_CONN,
        json!({"action": "conversation.accept", "conversationId": wa.id}),
    )
    .await;
    s.skip();
    let n = s.webhook(&whatsapp_text("wamid.IN2", "Merci")).await;
    s.record(
        "WhatsApp inbound text, active conversation",
        n,
        budget(5, 1, 1),
    );

    let n = s
        .frame(OP_CONN, json!({"action": "message.send", "conversationId": wa.id, "clientMessageId": "o2", "text": "Bien sûr"}))
        .await;
    s.record("operator message.send, WhatsApp", n, budget(4, 1, 1));
    s.http.answer(
        200,
        r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT1"}]}"#,
    );
    let jobs = std::mem::take(&mut *s.channel_bus.outbound.lock().unwrap());
    for job in &jobs {
        s.functions.sender.deliver(job, 1).await.unwrap();
    }
    assert_eq!(s.http.calls().len(), 1, "the reply reached WhatsApp");
    s.record("WhatsApp send (the sender function)", 0, budget(3, 0, 1));

    let n = s.webhook(&whatsapp_status("wamid.OUT1", "delivered")).await;
    s.record("WhatsApp receipt delivered", n, budget(3, 1, 1));

    print_table(&s.rows);
    print_costs(&s.rows);
    let over: Vec<String> = s
        .rows
        .iter()
        .filter(|r| {
            r.calls.len() > r.budget.dynamodb
                || r.messages > r.budget.messages
                || r.pushes > r.budget.pushes
        })
        .map(|r| {
            format!(
                "{}: {} DynamoDB calls (budget {}), {} queue messages (budget {}), {} pushes (budget {})",
                r.action,
                summary(&r.calls),
                r.budget.dynamodb,
                r.messages,
                r.budget.messages,
                r.pushes,
                r.budget.pushes
            )
        })
        .collect();
    assert!(over.is_empty(), "over budget:\n{}", over.join("\n"));
}

fn print_table(rows: &[Row]) {
    println!("| action | DynamoDB calls | read units | write units | queue messages | pushes |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        let usage = r.usage();
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.action,
            summary(&r.calls),
            usage.read_units,
            usage.write_units,
            r.messages,
            r.pushes
        );
    }
}

/// Cost per 1,000 conversations of 20 messages (ten each way), from the rows.
fn print_costs(rows: &[Row]) {
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.action == name)
            .unwrap_or_else(|| panic!("no row {name}"))
            .usage()
    };
    let mut webchat = Usage::default();
    for (name, times) in [
        ("visitor $connect", 1.0),
        ("conversation.start (with the queue function)", 1.0),
        ("conversation.accept (with the queue function)", 1.0),
        ("visitor message.send", 10.0),
        ("operator message.send", 10.0),
        ("conversation.close", 1.0),
        ("visitor $disconnect", 1.0),
    ] {
        webchat += row(name) * times;
    }
    let mut whatsapp = Usage::default();
    for (name, times) in [
        (
            "WhatsApp inbound text, new contact (with the queue function)",
            1.0,
        ),
        ("conversation.accept (with the queue function)", 1.0),
        ("WhatsApp inbound text, active conversation", 9.0),
        ("operator message.send, WhatsApp", 10.0),
        ("WhatsApp send (the sender function)", 10.0),
        // delivered, then read
        ("WhatsApp receipt delivered", 20.0),
        ("conversation.close", 1.0),
    ] {
        whatsapp += row(name) * times;
    }
    // A webchat visitor stays connected about ten minutes; a WhatsApp client
    // has no connection. Operators' consoles are open all day whatever the
    // traffic, and are left out.
    let per_thousand = [
        ("webchat", bill(&(webchat * 1000.0), 10_000.0)),
        ("WhatsApp", bill(&(whatsapp * 1000.0), 0.0)),
    ];
    println!();
    println!("| per 1,000 conversations of 20 messages | DynamoDB | SQS | API Gateway | Lambda | Logs | total |");
    println!("|---|---|---|---|---|---|---|");
    for (name, b) in per_thousand {
        println!(
            "| {name} | ${:.4} | ${:.4} | ${:.4} | ${:.4} | ${:.4} | **${:.3}** |",
            b.dynamodb,
            b.sqs,
            b.api_gateway,
            b.lambda,
            b.logs,
            b.total()
        );
    }
    println!(
        "\n(webchat: {:.0} read and {:.0} write units, {:.0} pushes per conversation; \
         WhatsApp: {:.0} read and {:.0} write units, {:.0} queue messages)",
        webchat.read_units,
        webchat.write_units,
        webchat.pushes,
        whatsapp.read_units,
        whatsapp.write_units,
        whatsapp.queue_messages
    );
}
