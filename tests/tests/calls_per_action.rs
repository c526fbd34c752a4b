//! What each action costs on AWS: DynamoDB calls issued by the real adapters
//! on moto (counted by an SDK interceptor), queue messages and pushes. It
//! prints the table `docs/performance.md` publishes and fails when an action
//! goes over its budget there.
//!
//! Run it alone with `scripts/test --test calls_per_action -- --nocapture`.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::usecases::contact_visitor_id;
use switchboard_app::Clock;
use switchboard_app::ConnectRequest;
use switchboard_domain::{
    Channel, ConversationId, Group, OperatorId, Role, RoutingPolicy, TenantId, TenantSettings,
    Timestamp, WidgetId,
};
use switchboard_tests::channels::{harness_with, whatsapp_status, whatsapp_text, ChannelHarness};
use switchboard_tests::cost::{bill, Usage};
use switchboard_tests::counting::{counted_dynamodb, summary, Call, DynamoCalls};

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
    h: ChannelHarness,
    calls: DynamoCalls,
    /// Pushes counted so far; the log itself is kept for the test to read.
    pushes_seen: usize,
    rows: Vec<Row>,
}

const OP_CONN: &str = "op-conn";
const VISITOR_CONN: &str = "visitor-conn";
const AUTO_VISITOR_CONN: &str = "auto-visitor-conn";
const BOB_CONN: &str = "bob-conn";
const ADMIN_CONN: &str = "admin-conn";
const INVITED_CONN: &str = "invited-conn";
const THIRD_VISITOR_CONN: &str = "third-visitor-conn";

fn tenant() -> TenantId {
    TenantId::parse("demo").unwrap()
}

impl Stack {
    async fn new() -> Stack {
        let (store, calls) = counted_dynamodb().await;
        let h = harness_with(Arc::new(store));
        // The default capacity, as a new tenant has.
        h.tenant_with_widget("demo", TenantSettings::default().max_chats.get())
            .await;
        // The channel bindings are read once per 30 s per warm instance
        // (one Query, amortized; docs/performance.md), not per action.
        h.functions.webhook.channels.current().await.unwrap();
        h.functions.sender.channels.current().await.unwrap();
        calls.take();
        Stack {
            h,
            calls,
            pushes_seen: 0,
            rows: Vec::new(),
        }
    }

    /// The webhook, then the inbound consumer, then the queue function, each
    /// through its handler; the queue messages it took.
    async fn webhook(&self, body: &str) -> usize {
        assert_eq!(self.h.post_signed("/webhooks/whatsapp", body).await, 200);
        self.h.consume_inbound().await + self.functions_behind().await
    }

    /// The queue-assignment and queue functions on what the action queued
    /// for them; how many messages that was. The assignment function runs
    /// first: what it assigns, the queue function hears of.
    async fn functions_behind(&self) -> usize {
        self.h.run_assign_function().await + self.h.run_queue_function(100).await
    }

    async fn frame(&self, connection: &str, body: Value) -> usize {
        self.h
            .functions
            .message
            .handle_frame(connection, &body.to_string())
            .await
            .unwrap();
        // Outbound jobs stay queued for the sender; they are counted here.
        let outbound = self.h.bus.outbound.lock().unwrap().len();
        outbound + self.functions_behind().await
    }

    fn pushes_since_last(&mut self) -> usize {
        let total = self.h.push.sent.lock().unwrap().len();
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
        let pushed = self.h.push.to(connection);
        pushed
            .iter()
            .rev()
            .find(|e| e["event"] == event)
            .cloned()
            .unwrap_or_else(|| panic!("no {event} pushed to {connection}: {pushed:?}"))
    }
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
    let token =
        s.h.tokens
            .issue_operator(
                &tenant(),
                &OperatorId::parse("alice").unwrap(),
                "Alice",
                &[Role::Operator],
                Timestamp(u64::MAX / 4),
            )
            .unwrap();

    // One operator online, one visitor on the website.
    s.h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: OP_CONN.into(),
            token: Some(token),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    let n = s.functions_behind().await;
    s.record(
        "operator $connect, first tab (with the assignment function)",
        n,
        budget(11, 2, 0),
    );
    s.frame(OP_CONN, json!({"action": "ping"})).await;
    s.record(
        "ping from an operator's console (the heartbeat)",
        0,
        budget(2, 0, 1),
    );
    s.h.functions
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
    // The assignment function's routing read is part of every start since
    // groups: it finds the default group manual and stops there.
    s.record(
        "conversation.start (with the assignment and queue functions)",
        n,
        budget(8, 2, 3),
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
        budget(6, 1, 4),
    );

    let n = s
        .frame(
            VISITOR_CONN,
            json!({"action": "message.send", "clientMessageId": "v1", "text": "Hello"}),
        )
        .await;
    s.record("visitor message.send", n, budget(3, 0, 2));
    let n = s
        .frame(
            VISITOR_CONN,
            json!({"action": "page.view", "url": "https://shop.example.com/cart", "title": "Cart"}),
        )
        .await;
    s.record("page.view during an active chat", n, budget(3, 0, 1));

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
    s.record(
        "conversation.close (with the assignment function)",
        n,
        budget(4, 1, 3),
    );

    s.h.functions
        .disconnect
        .disconnect(VISITOR_CONN)
        .await
        .unwrap();
    s.record("visitor $disconnect", 0, budget(2, 0, 0));

    // WhatsApp: a new contact writes, the operator takes it, the contact writes again.
    let n = s.webhook(&whatsapp_text("wamid.IN1", "Bonjour")).await;
    s.record(
        "WhatsApp inbound text, new contact (with the assignment and queue functions)",
        n,
        budget(9, 3, 1),
    );
    let visitor = contact_visitor_id(Channel::WhatsApp, "420000000000002", "447700900123").unwrap();
    let wa =
        s.h.store
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
    s.h.http.answer(
        200,
        r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT1"}]}"#,
    );
    assert_eq!(s.h.send_jobs(1).await, 0);
    assert_eq!(s.h.http.calls().len(), 1, "the reply reached WhatsApp");
    s.record("WhatsApp send (the sender function)", 0, budget(3, 0, 1));

    let n = s
        .webhook(&whatsapp_status("wamid.OUT1", "delivered", None))
        .await;
    s.record("WhatsApp receipt delivered", n, budget(3, 1, 1));
    templates(&mut s, wa.id.as_str()).await;

    // Automatic assignment: the default group routed automatically, a new
    // visitor starts, and the queue-assignment function hands it over.
    s.h.store
        .put_group(&Group {
            policy: RoutingPolicy::Auto,
            ..Group::default_for(tenant())
        })
        .await
        .unwrap();
    s.h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: AUTO_VISITOR_CONN.into(),
            widget_id: Some("site".into()),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    s.skip();
    s.h.functions
        .message
        .handle_frame(
            AUTO_VISITOR_CONN,
            &json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux", "widget": "Website", "pageUrl": "https://shop.example.com/", "name": "Ada"}}).to_string(),
        )
        .await
        .unwrap();
    let entered = s.h.queue.pending();
    let queued = s.h.assign_pending() + entered;
    s.record(
        "conversation.start, auto-routed group",
        queued,
        budget(4, 2, 1),
    );
    assert_eq!(s.h.run_assign_function().await, 1);
    let queued = s.h.queue.pending() - entered;
    s.record(
        "automatic assignment (the queue-assign function)",
        queued,
        budget(3, 1, 3),
    );
    let auto = s.last_event(AUTO_VISITOR_CONN, "conversation.accepted")["view"]["conversation"]
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    s.h.run_queue_function(100).await;

    // A second operator, then a transfer to them with a comment, declined.
    let bob =
        s.h.tokens
            .issue_operator(
                &tenant(),
                &OperatorId::parse("bob").unwrap(),
                "Bob",
                &[Role::Operator],
                Timestamp(u64::MAX / 4),
            )
            .unwrap();
    s.h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: BOB_CONN.into(),
            token: Some(bob),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    s.functions_behind().await;
    s.skip();
    let n = s
        .frame(
            OP_CONN,
            json!({"action": "conversation.transfer", "conversationId": auto, "toOperatorId": "bob", "comment": "Wants a refund"}),
        )
        .await;
    s.record(
        "conversation.transfer to an operator (with the assignment function)",
        n,
        budget(5, 1, 4),
    );
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "transfer.decline", "conversationId": auto, "reason": "Not my area"}),
        )
        .await;
    s.record(
        "transfer.decline (with the assignment and queue functions, which assign it again)",
        n,
        budget(10, 3, 7),
    );

    // An admin assigns a waiting conversation of a manual group.
    s.h.store
        .put_group(&Group::default_for(tenant()))
        .await
        .unwrap();
    let carol =
        s.h.tokens
            .issue_operator(
                &tenant(),
                &OperatorId::parse("carol").unwrap(),
                "Carol",
                &[Role::Operator, Role::Admin],
                Timestamp(u64::MAX / 4),
            )
            .unwrap();
    for (connection, token, widget) in [
        (ADMIN_CONN, Some(carol), None),
        (THIRD_VISITOR_CONN, None, Some("site".to_string())),
    ] {
        s.h.functions
            .connect
            .connect(ConnectRequest {
                connection_id: connection.into(),
                token,
                widget_id: widget,
                ..ConnectRequest::default()
            })
            .await
            .unwrap();
    }
    s.frame(THIRD_VISITOR_CONN, json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux", "widget": "Website", "pageUrl": "https://shop.example.com/", "name": "Eve"}}))
        .await;
    let waiting = s.last_event(THIRD_VISITOR_CONN, "conversation.started")["view"]["conversation"]
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    s.skip();
    let n = s
        .frame(
            ADMIN_CONN,
            json!({"action": "conversation.redirect", "conversationId": waiting, "toOperatorId": "bob", "comment": "Speaks Dutch"}),
        )
        .await;
    s.record(
        "conversation.redirect of a waiting one to an operator (with the queue function)",
        n,
        budget(7, 1, 6),
    );
    s.frame(
        BOB_CONN,
        json!({"action": "transfer.decline", "conversationId": waiting}),
    )
    .await;
    s.skip();
    let n = s
        .frame(
            ADMIN_CONN,
            json!({"action": "conversation.assign", "conversationId": waiting, "operatorId": "bob"}),
        )
        .await;
    s.record(
        "conversation.assign by an admin (with the queue function; three consoles open)",
        n,
        budget(6, 1, 7),
    );

    // The "Others" view: an admin opens bob's chats.
    s.skip();
    s.frame(
        ADMIN_CONN,
        json!({"action": "operator.conversations", "operatorId": "bob"}),
    )
    .await;
    s.record(
        "operator.conversations (an admin's Others view)",
        0,
        budget(2, 0, 1),
    );

    // SLA rules: an admin sets them, anyone lists them.
    s.skip();
    s.frame(ADMIN_CONN, json!({"action": "sla.put", "rules": [{"name": "German", "when": {"language": "de"}, "priority": "urgent", "firstResponseSeconds": 120}]}))
        .await;
    s.record("sla.put", 0, budget(2, 0, 1));
    s.frame(ADMIN_CONN, json!({"action": "sla.list"})).await;
    s.record("sla.list", 0, budget(2, 0, 1));

    // An invitation code, and a client who starts with it.
    s.skip();
    s.frame(BOB_CONN, json!({"action": "invitation.create"}))
        .await;
    s.record("invitation.create", 0, budget(2, 0, 1));
    let code = s.last_event(BOB_CONN, "invitation.created")["code"]
        .as_str()
        .unwrap()
        .to_string();
    s.h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: INVITED_CONN.into(),
            widget_id: Some("site".into()),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    s.skip();
    let n = s
        .frame(INVITED_CONN, json!({"action": "conversation.start", "invitationCode": code, "entry": {"type": "callback", "language": "en", "browser": "Firefox 131", "os": "Linux", "widget": "Website", "pageUrl": "https://shop.example.com/"}}))
        .await;
    s.record(
        "conversation.start with an invitation code (with the assignment and queue functions)",
        n,
        budget(11, 2, 5),
    );

    // The offline form: stored and queued, then mailed by the mail function.
    s.h.store
        .route_widget(
            &tenant(),
            &switchboard_domain::WidgetId::parse("site").unwrap(),
            &switchboard_domain::GroupId::default_group(),
            Some("support@demo.example"),
        )
        .await
        .unwrap();
    s.skip();
    s.frame(INVITED_CONN, json!({"action": "offline.submit", "name": "Ada", "email": "ada@example.com", "message": "Call me back"}))
        .await;
    let queued = s.h.mail.pending();
    s.record("offline.submit", queued, budget(3, 1, 1));
    assert_eq!(s.h.run_mail_function().await, 1);
    assert_eq!(s.h.mailer.sent.lock().unwrap().len(), 1);
    s.record(
        "offline mail (the offline-mail function)",
        0,
        budget(2, 0, 0),
    );

    cards(&mut s, &waiting).await;

    s.skip();
    let n = s
        .frame(
            ADMIN_CONN,
            json!({"action": "widget.origins", "widgetId": "site",
                   "allowedOrigins": ["https://shop.example.com"]}),
        )
        .await;
    s.record("widget.origins", n, budget(2, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "client.tags", "conversationId": waiting, "add": ["vip"]}),
        )
        .await;
    s.record("client.tags (add only)", n, budget(4, 0, 1));
    workspace(&mut s, &waiting).await;

    // Bob's console goes quiet; alice's and carol's keep pinging. The
    // schedule's sweep takes bob offline (one tab) and announces the
    // capacity change.
    s.h.clock.advance(61_000);
    for conn in [OP_CONN, ADMIN_CONN] {
        s.frame(conn, json!({"action": "ping"})).await;
    }
    s.skip();
    assert_eq!(s.h.functions.assign.vanished.sweep().await.unwrap(), 1);
    assert_eq!(*s.h.push.closed.lock().unwrap(), vec![BOB_CONN.to_string()]);
    let announced = s.functions_behind().await;
    s.record(
        "sweep of one vanished console (with the assignment and queue functions)",
        announced,
        budget(14, 2, 0),
    );

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

/// WhatsApp templates in alice's WhatsApp conversation: listed, previewed
/// and sent (the sender then sends it as any message).
async fn templates(s: &mut Stack, conversation: &str) {
    let template: switchboard_domain::cards::WhatsAppTemplate = serde_json::from_value(json!({
        "tenant": "demo", "name": "ticket_followup", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}}, your ticket is waiting."}],
        "updatedAt": 0
    }))
    .unwrap();
    s.h.store.put_template(&template).await.unwrap();
    s.skip();
    let n = s
        .frame(
            OP_CONN,
            json!({"action": "template.list", "conversationId": conversation}),
        )
        .await;
    s.record("template.list for a conversation", n, budget(3, 0, 1));
    let use_it = |action: &str| {
        json!({"action": action, "conversationId": conversation, "clientMessageId": "tpl-1",
               "name": "ticket_followup", "language": "en_US", "parameters": {"body": ["Amélie"]}})
    };
    let n = s.frame(OP_CONN, use_it("template.preview")).await;
    s.record("template.preview", n, budget(4, 0, 1));
    let n = s.frame(OP_CONN, use_it("template.send")).await;
    s.record("template.send (queued for the sender)", n, budget(4, 1, 1));
    s.h.http.answer(
        200,
        r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.TPL1"}]}"#,
    );
    assert_eq!(s.h.send_jobs(1).await, 0);
    s.skip();
}

/// The contact panel, then the same client written from WhatsApp merged
/// into `conversation`'s.
async fn unite(s: &mut Stack, conversation: &str) {
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "client.preview", "conversationId": conversation}),
        )
        .await;
    s.record("client.preview (one channel)", n, budget(8, 0, 1));
    let entry: switchboard_domain::EntryInfo = serde_json::from_value(json!({
        "type": "chat", "language": "en", "browser": "", "os": "", "widget": "",
        "pageUrl": "", "name": "Amélie", "phone": "+33 6 12 34 56 78"
    }))
    .unwrap();
    let other = switchboard_domain::Conversation::start(
        switchboard_domain::ConversationId::parse("conv-wa-amelie").unwrap(),
        switchboard_domain::TenantId::parse("demo").unwrap(),
        switchboard_domain::VisitorId::parse("wa-amelie").unwrap(),
        switchboard_domain::Channel::WhatsApp,
        entry,
        switchboard_domain::Timestamp(1),
    );
    s.h.store.start_conversation(other).await.unwrap();
    s.skip();
    let merge = |action: &str| {
        json!({"action": action, "conversationId": conversation,
               "fromConversationId": "conv-wa-amelie", "choose": {"name": "from"}})
    };
    let n = s.frame(BOB_CONN, merge("client.merge.plan")).await;
    s.record("client.merge.plan", n, budget(6, 0, 1));
    let n = s.frame(BOB_CONN, merge("client.merge")).await;
    s.record("client.merge", n, budget(7, 0, 3));
    let merged =
        s.h.store
            .conversation(
                &switchboard_domain::TenantId::parse("demo").unwrap(),
                &switchboard_domain::ConversationId::parse("conv-wa-amelie").unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
    assert!(
        merged.client.is_some(),
        "{:?}",
        s.h.push.sent.lock().unwrap().last()
    );
}

/// Hero Cards in `conversation` (bob's, with a web chat client): carol
/// (an admin) defines one, bob lists, sends and cancels one, and the client
/// answers another through the hero-card-submit function.
/// `#` search (with the tenant's blocks read, then from the cache),
/// inserting a block, and a client's additional information.
async fn workspace(s: &mut Stack, conversation: &str) {
    let field: switchboard_domain::workspace::InfoField = serde_json::from_value(json!({
        "tenant": "demo", "key": "plan", "label": "Plan", "type": "choice",
        "options": ["Gold", "Silver"], "updatedAt": 0
    }))
    .unwrap();
    s.h.store.put_info_field(&field).await.unwrap();
    for (id, name) in [("hello", "Hello"), ("hours", "Opening hours")] {
        let block: switchboard_domain::workspace::TextBlock = serde_json::from_value(json!({
            "id": id, "tenant": "demo", "language": "en", "name": name,
            "text": "Hi {contact.name}, your plan is {info.plan}.", "updatedAt": 0
        }))
        .unwrap();
        s.h.store.put_text_block(&block).await.unwrap();
    }
    s.skip();
    let search =
        json!({"action": "textblock.search", "query": "ho", "conversationId": conversation});
    let n = s.frame(BOB_CONN, search.clone()).await;
    s.record("textblock.search, blocks read", n, budget(4, 0, 1));
    let n = s.frame(BOB_CONN, search).await;
    s.record("textblock.search, cached", n, budget(3, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "textblock.insert", "blockId": "hello", "conversationId": conversation}),
        )
        .await;
    s.record("textblock.insert (an info placeholder)", n, budget(5, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "client.info", "conversationId": conversation, "values": {"plan": "gold"}}),
        )
        .await;
    s.record("client.info, a change", n, budget(5, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "client.pages", "conversationId": conversation}),
        )
        .await;
    s.record("client.pages", n, budget(4, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "conversation.progress", "conversationId": conversation, "progress": "unresolved"}),
        )
        .await;
    s.record("conversation.progress", n, budget(3, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "conversation.list", "scope": "unassigned", "progress": "all"}),
        )
        .await;
    s.record("conversation.list (one page)", n, budget(3, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "conversation.search", "query": "zo"}),
        )
        .await;
    s.record("conversation.search", n, budget(4, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "conversation.tags", "conversationId": conversation, "add": ["refund"]}),
        )
        .await;
    s.record("conversation.tags (add only)", n, budget(3, 0, 1));
    unite(s, conversation).await;
}

async fn cards(s: &mut Stack, conversation: &str) {
    let card = json!({"name": "Booking", "language": "en", "channel": "webchat",
        "title": "Your table", "text": "Please check.",
        "fields": [{"id": "day", "label": "Day", "type": "date", "required": true}]});
    s.skip();
    let n = s
        .frame(ADMIN_CONN, json!({"action": "card.put", "card": card}))
        .await;
    s.record("card.put", n, budget(2, 0, 1));
    let card_id = s.last_event(ADMIN_CONN, "card.saved")["card"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "card.list", "conversationId": conversation}),
        )
        .await;
    s.record("card.list for a conversation", n, budget(3, 0, 1));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "card.preview", "conversationId": conversation, "cardId": card_id,
                   "values": {"day": "2026-12-24"}}),
        )
        .await;
    s.record("card.preview", n, budget(3, 0, 1));
    let mut sent = Vec::new();
    for i in 0..2 {
        s.skip();
        let n = s
            .frame(
                BOB_CONN,
                json!({"action": "card.send", "conversationId": conversation, "cardId": card_id,
                       "clientMessageId": format!("card-{i}"), "values": {"day": "2026-12-24"}}),
            )
            .await;
        if i == 0 {
            s.record("card.send (web chat)", n, budget(5, 0, 4));
        }
        sent.push(
            s.last_event(BOB_CONN, "card")["card"]["instanceId"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    s.skip();
    let stored =
        s.h.store
            .conversation(&tenant(), &ConversationId::parse(conversation).unwrap())
            .await
            .unwrap()
            .unwrap();
    let token =
        s.h.tokens
            .issue_visitor(
                &tenant(),
                &stored.visitor,
                &WidgetId::parse("site").unwrap(),
                s.h.clock.now(),
            )
            .unwrap();
    s.skip();
    let reply = hero_card_submit::submit(
        &s.h.functions.cards,
        &sent[0],
        Some(&format!("Bearer {token}")),
        br#"{"outcome": "confirmed"}"#,
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    s.record(
        "client's card answer (the hero-card-submit function)",
        0,
        budget(4, 0, 5),
    );
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "card.resolve", "instanceId": sent[1], "outcome": "cancelled"}),
        )
        .await;
    s.record("card.resolve by the operator", n, budget(5, 0, 5));
    let n = s
        .frame(
            BOB_CONN,
            json!({"action": "card.get", "instanceId": sent[1]}),
        )
        .await;
    s.record("card.get", n, budget(3, 0, 1));
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
        (
            "conversation.start (with the assignment and queue functions)",
            1.0,
        ),
        ("conversation.accept (with the queue function)", 1.0),
        ("visitor message.send", 10.0),
        ("operator message.send", 10.0),
        ("conversation.close (with the assignment function)", 1.0),
        ("visitor $disconnect", 1.0),
    ] {
        webchat += row(name) * times;
    }
    let mut whatsapp = Usage::default();
    for (name, times) in [
        (
            "WhatsApp inbound text, new contact (with the assignment and queue functions)",
            1.0,
        ),
        ("conversation.accept (with the queue function)", 1.0),
        ("WhatsApp inbound text, active conversation", 9.0),
        ("operator message.send, WhatsApp", 10.0),
        ("WhatsApp send (the sender function)", 10.0),
        // delivered, then read
        ("WhatsApp receipt delivered", 20.0),
        ("conversation.close (with the assignment function)", 1.0),
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
