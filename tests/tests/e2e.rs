//! End to end through the local stack: real WebSocket clients, the gateway with
//! API Gateway semantics, the same Lambda handlers, the in-process queue and the
//! embedded store on disk. Waits are on events, never on time.

use serde_json::{json, Value};
use switchboard_app::ports::{ConnectionRegistry, DirectoryStore};
use switchboard_domain::*;
use switchboard_local::Running;
use switchboard_tests::local::{operator, start, visitor};
use switchboard_tests::ws::{queue_change, Client};

fn entry(kind: &str, name: &str) -> Value {
    json!({
        "type": kind, "language": "de", "browser": "Firefox 131", "os": "Windows 11",
        "widget": "Shop support", "pageUrl": "https://shop.example.com/checkout",
        "name": name, "phone": "+49 170 1234567"
    })
}

async fn start_conversation(c: &mut Client, kind: &str, name: &str) -> String {
    let started = c
        .request(
            json!({"action": "conversation.start", "entry": entry(kind, name)}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn send(text: &str, client_id: &str) -> Value {
    json!({"action": "message.send", "clientMessageId": client_id, "text": text})
}

fn send_to(conversation: &str, text: &str, client_id: &str) -> Value {
    json!({"action": "message.send", "conversationId": conversation, "clientMessageId": client_id, "text": text})
}

/// A second tenant with its own widget and operator, to check isolation.
async fn other_tenant(stack: &Running) -> String {
    let tenant = TenantId::parse("globex").unwrap();
    stack
        .store
        .put_tenant(&Tenant {
            timezone: None,
            id: tenant.clone(),
            name: "Globex".into(),
            settings: TenantSettings::default(),
        })
        .await
        .unwrap();
    stack
        .store
        .put_widget(&Widget {
            group: None,
            offline_email: None,
            allowed_origins: Vec::new(),
            entries: WidgetEntry::all(),
            id: WidgetId::parse("globex-widget").unwrap(),
            tenant: tenant.clone(),
            name: "Globex site".into(),
        })
        .await
        .unwrap();
    stack
        .tokens
        .issue_operator(
            &tenant,
            &OperatorId::parse("eve").unwrap(),
            "Eve",
            &[Role::Operator, Role::Admin],
            stack.adapters.clock.now().plus_seconds(3600),
        )
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webchat_scenario_from_widget_to_close() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let eve_token = other_tenant(&stack).await;
    let (mut alice, alice_welcome) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let (mut eve, _) = operator(&stack, &eve_token).await;
    assert_eq!(alice_welcome["operator"]["maxChats"], 3);
    assert_eq!(
        alice_welcome["operator"]["roles"],
        json!(["operator", "admin"])
    );

    // 1. The visitor arrives and starts a chat with the entry form filled in.
    let (mut grace, grace_token) = visitor(&stack).await;
    let conversation = start_conversation(&mut grace, "chat", "Grace").await;

    // 2. Every operator of the tenant sees it waiting, with all entry information.
    for op in [&mut alice, &mut bob] {
        let update = op
            .expect_where("queue.updated added", |e| {
                queue_change(e, "added", None).is_some()
            })
            .await;
        let update = queue_change(&update, "added", None).unwrap();
        let waiting = &update["entry"]["conversation"];
        assert_eq!(waiting["id"], conversation.as_str());
        assert_eq!(waiting["status"], "waiting");
        assert_eq!(waiting["channel"], "webchat");
        assert_eq!(waiting["entry"], entry("chat", "Grace"));
        assert_eq!(update["entry"]["position"], 1);
    }
    let position = grace.expect("queue.position").await;
    assert_eq!(position["position"], 1);
    // ...and no operator of another tenant does.
    stack.queue.idle().await;
    let snapshot = eve.request(json!({"action": "queue.list"}), "eve-q").await;
    assert_eq!(snapshot["entries"], json!([]));
    assert!(eve
        .unconsumed()
        .iter()
        .all(|e| e["event"] != "queue.updated"));

    // 3. A message before anyone accepts; the operator previews it, then two accept at once.
    let ack = grace
        .request(send("Hallo, meine Bestellung fehlt", "g-1"), "g-1")
        .await;
    assert_eq!(
        (ack["event"].as_str(), ack["seq"].as_u64()),
        (Some("message.ack"), Some(1))
    );
    let preview = alice
        .request(
            json!({"action": "conversation.preview", "conversationId": conversation}),
            "preview",
        )
        .await;
    assert_eq!(
        preview["view"]["conversation"]["entry"]["phone"],
        "+49 170 1234567"
    );
    assert_eq!(
        preview["view"]["messages"][0]["text"],
        "Hallo, meine Bestellung fehlt"
    );
    let accept = json!({"action": "conversation.accept", "conversationId": conversation});
    let mut a = accept.clone();
    a["requestId"] = json!("accept");
    let b = a.clone();
    alice.send(a).await;
    bob.send(b).await;
    let alice_answer = alice
        .expect_where("accept answer", |e| {
            e["requestId"] == "accept" || e["event"] == "conversation.accepted"
        })
        .await;
    let bob_answer = bob
        .expect_where("accept answer", |e| {
            e["requestId"] == "accept" || e["event"] == "conversation.accepted"
        })
        .await;
    let outcomes = [alice_answer["event"].clone(), bob_answer["event"].clone()];
    assert!(
        outcomes.contains(&json!("conversation.accepted")) && outcomes.contains(&json!("error")),
        "exactly one wins: {alice_answer} / {bob_answer}"
    );
    let (mut winner, mut loser, winner_name) = if alice_answer["event"] == "conversation.accepted" {
        assert_eq!(bob_answer["code"], "already_taken");
        (alice, bob, "Alice")
    } else {
        assert_eq!(alice_answer["code"], "already_taken");
        (bob, alice, "Bob")
    };
    let told = grace.expect("conversation.accepted").await;
    assert_eq!(told["operatorName"], winner_name);
    loser
        .expect_where("queue.updated removed", |e| {
            queue_change(e, "removed", Some(conversation.as_str())).is_some()
        })
        .await;
    let state = winner.expect("operator.state").await;
    assert_eq!(state["operator"]["activeChats"], 1);

    // 4. Capacity: at 1 the winner cannot take a second chat; a video call needs a free operator.
    let (mut admin, _) = operator(&stack, &stack.seed.admin_token).await;
    let settings = admin
        .request(json!({"action": "tenant.settings", "maxChats": 1}), "cap")
        .await;
    assert_eq!(settings["maxChats"], 1);
    let (mut henry, _) = visitor(&stack).await;
    let second = start_conversation(&mut henry, "chat", "Henry").await;
    let refused = winner
        .request(
            json!({"action": "conversation.accept", "conversationId": second}),
            "second",
        )
        .await;
    assert_eq!(refused["code"], "capacity_reached", "{refused}");
    admin
        .request(json!({"action": "tenant.settings", "maxChats": 3}), "cap3")
        .await;
    let (mut ivy, _) = visitor(&stack).await;
    let video = start_conversation(&mut ivy, "video", "Ivy").await;
    let refused = winner
        .request(
            json!({"action": "conversation.accept", "conversationId": video}),
            "video",
        )
        .await;
    assert_eq!(refused["code"], "video_requires_no_other_chat");
    let taken = loser
        .request(
            json!({"action": "conversation.accept", "conversationId": video}),
            "video-ok",
        )
        .await;
    assert_eq!(taken["event"], "conversation.accepted");
    let refused = loser
        .request(
            json!({"action": "conversation.accept", "conversationId": second}),
            "during-video",
        )
        .await;
    assert_eq!(refused["code"], "in_video_call");

    // 5. They talk. Typing passes through and is not stored; both sides see one order.
    grace
        .send(json!({"action": "typing", "typing": true}))
        .await;
    let typing = winner.expect("typing").await;
    assert_eq!(
        (typing["from"].as_str(), typing["typing"].as_bool()),
        (Some("visitor"), Some(true))
    );
    for i in 0..5 {
        grace
            .send(send(&format!("visitor {i}"), &format!("g-{}", i + 2)))
            .await;
        winner
            .send(send_to(
                &conversation,
                &format!("operator {i}"),
                &format!("o-{i}"),
            ))
            .await;
    }
    let mut seen_by_visitor = vec![1u64];
    let mut seen_by_operator = vec![];
    while seen_by_visitor.len() < 11 {
        let e = grace
            .expect_where("message or ack", |e| {
                e["event"] == "message" || e["event"] == "message.ack"
            })
            .await;
        seen_by_visitor.push(if e["event"] == "message" {
            e["message"]["seq"].as_u64().unwrap()
        } else {
            e["seq"].as_u64().unwrap()
        });
    }
    while seen_by_operator.len() < 10 {
        let e = winner
            .expect_where("message or ack", |e| {
                e["event"] == "message" || e["event"] == "message.ack"
            })
            .await;
        seen_by_operator.push(if e["event"] == "message" {
            e["message"]["seq"].as_u64().unwrap()
        } else {
            e["seq"].as_u64().unwrap()
        });
    }
    seen_by_visitor.sort();
    assert_eq!(
        seen_by_visitor,
        (1..=11).collect::<Vec<_>>(),
        "every message once, no gaps"
    );
    let history_visitor = grace
        .request(json!({"action": "history", "limit": 100}), "hv")
        .await;
    let history_operator = winner
        .request(
            json!({"action": "history", "conversationId": conversation, "limit": 100}),
            "ho",
        )
        .await;
    assert_eq!(
        history_visitor["messages"], history_operator["messages"],
        "one stored order for both"
    );
    let seqs: Vec<u64> = history_visitor["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=11).collect::<Vec<_>>());

    // 6. A resent message (same client id) is stored and delivered once.
    let original = history_visitor["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["clientId"] == "g-2")
        .unwrap()["seq"]
        .clone();
    let dup = grace.request(send("visitor 0", "g-2"), "dup").await;
    assert_eq!(dup["duplicate"], true);
    assert_eq!(dup["seq"], original, "the ack names the stored original");
    grace
        .request(send("after the resend", "g-99"), "after")
        .await;
    let next = winner.expect("message").await;
    assert_eq!(
        next["message"]["text"], "after the resend",
        "the resend was not delivered again"
    );

    // 7. The visitor drops and comes back with its token: same conversation, full history.
    grace.close().await;
    let mut grace = Client::connect(&format!(
        "{}?widgetId={}&visitorToken={grace_token}",
        stack.ws_url(),
        stack.seed.widget
    ))
    .await
    .expect("visitor reconnects");
    let welcome = grace.request(json!({"action": "hello"}), "again").await;
    assert_eq!(
        welcome["conversation"]["conversation"]["id"],
        conversation.as_str()
    );
    assert_eq!(welcome["conversation"]["conversation"]["status"], "active");
    assert_eq!(
        welcome["conversation"]["messages"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    grace.request(send("I am back", "g-100"), "back").await;
    assert_eq!(
        winner.expect("message").await["message"]["text"],
        "I am back"
    );

    // ...and so does the operator.
    winner.close().await;
    let token = if winner_name == "Alice" {
        &stack.seed.admin_token
    } else {
        &stack.seed.operator_token
    };
    let (mut winner, welcome) = operator(&stack, token).await;
    let mine = welcome["conversations"].as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["conversation"]["id"], conversation.as_str());
    assert_eq!(mine[0]["messages"].as_array().unwrap().len(), 13);
    assert_eq!(welcome["operator"]["activeChats"], 1);

    // 8. The operator closes: the visitor is told and the slot is free at once.
    let closed = winner
        .request(
            json!({"action": "conversation.close", "conversationId": conversation}),
            "close",
        )
        .await;
    assert_eq!(closed["event"], "conversation.closed");
    let told = grace.expect("conversation.closed").await;
    assert_eq!(told["closedBy"], "operator");
    let state = winner.expect("operator.state").await;
    assert_eq!(state["operator"]["activeChats"], 0);
    let now_free = winner
        .request(
            json!({"action": "conversation.accept", "conversationId": second}),
            "free",
        )
        .await;
    assert_eq!(now_free["event"], "conversation.accepted");

    // 9. The client writes again: the chat reopens in the queue with its history.
    grace
        .request(send("One more question", "g-101"), "reopen")
        .await;
    let update = loser
        .expect_where("reopened in queue", |e| {
            queue_change(e, "added", Some(conversation.as_str())).is_some()
        })
        .await;
    let update = queue_change(&update, "added", Some(conversation.as_str())).unwrap();
    assert_eq!(update["entry"]["conversation"]["lastSeq"], 14);

    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_survives_a_restart_of_the_local_stack() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let admin_token = stack.seed.admin_token.clone();
    let (mut alice, _) = operator(&stack, &admin_token).await;
    let (mut v, token) = visitor(&stack).await;
    let conversation = start_conversation(&mut v, "chat", "Grace").await;
    alice
        .request(
            json!({"action": "conversation.accept", "conversationId": conversation}),
            "a",
        )
        .await;
    v.request(send("before the restart", "m-1"), "m1").await;
    stack.stop().await;

    let stack = start(dir.path()).await;
    assert!(!stack.seed.created, "the demo tenant is not created twice");
    let mut v = Client::connect(&format!("{}?visitorToken={token}", stack.ws_url()))
        .await
        .expect("token from before the restart is still valid");
    let welcome = v.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(
        welcome["conversation"]["conversation"]["id"],
        conversation.as_str()
    );
    assert_eq!(
        welcome["conversation"]["messages"][0]["text"],
        "before the restart"
    );
    let (mut alice, welcome) = operator(&stack, &admin_token).await;
    assert_eq!(
        welcome["conversations"][0]["conversation"]["id"],
        conversation.as_str()
    );
    v.request(send("after the restart", "m-2"), "m2").await;
    let m = alice.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["text"].as_str()),
        (Some(2), Some("after the restart"))
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_refuses_bad_credentials_and_oversized_frames() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let url = stack.ws_url();
    let forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl";
    assert_eq!(
        Client::connect(&format!("{url}?token={forged}"))
            .await
            .err(),
        Some(401)
    );
    assert_eq!(Client::connect(&url).await.err(), Some(401));
    assert_eq!(
        Client::connect(&format!("{url}?widgetId=nope")).await.err(),
        Some(403)
    );
    let eve_token = other_tenant(&stack).await;
    assert_eq!(
        Client::connect(&format!("{url}?token={eve_token}&tenant=demo"))
            .await
            .err(),
        Some(403)
    );
    let globex_visitor = stack
        .tokens
        .issue_visitor(
            &TenantId::parse("globex").unwrap(),
            &VisitorId::parse("v1").unwrap(),
            &WidgetId::parse("globex-widget").unwrap(),
            stack.adapters.clock.now(),
        )
        .unwrap();
    assert_eq!(
        Client::connect(&format!(
            "{url}?widgetId={}&visitorToken={globex_visitor}",
            stack.seed.widget
        ))
        .await
        .err(),
        Some(403)
    );

    // API Gateway refuses frames over 32 KB and closes with 1009.
    let (mut v, _) = visitor(&stack).await;
    let big =
        json!({"action": "message.send", "clientMessageId": "big", "text": "x".repeat(40 * 1024)});
    v.send(big).await;
    assert_eq!(v.expect_close().await, Some(1009));
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_to_gone_connections_are_cleaned_up_through_the_gateway() {
    use switchboard_app::ports::{Connection, Principal, PrincipalRef, PushError};
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;

    // The API Gateway SDK client maps the gateway's answers to the push port's errors.
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let unknown = ConnectionId::parse("never-connected=").unwrap();
    assert!(matches!(
        stack.adapters.push.send(&unknown, b"{}").await,
        Err(PushError::Gone)
    ));
    let alice_connection = stack
        .store
        .principal_connections(
            &stack.seed.tenant,
            &PrincipalRef::Operator(OperatorId::parse("alice").unwrap()),
            stack.adapters.clock.now(),
        )
        .await
        .unwrap()
        .remove(0)
        .id;
    let oversized = vec![b'x'; 129 * 1024];
    assert!(matches!(
        stack
            .adapters
            .push
            .send(&alice_connection, &oversized)
            .await,
        Err(PushError::TooLarge)
    ));

    // A record whose socket is gone (its $disconnect never came) is removed by the
    // first push that meets 410, and the live tab still gets the event.
    let now = stack.adapters.clock.now();
    stack
        .store
        .register(&Connection {
            id: ConnectionId::parse("ghost-tab=").unwrap(),
            tenant: stack.seed.tenant.clone(),
            principal: Principal::Operator {
                id: OperatorId::parse("alice").unwrap(),
                name: "Alice".into(),
                roles: vec![Role::Operator, Role::Admin],
            },
            connected_at: now,
            expires_at: now.plus_seconds(3600),
            conversation: None,
        })
        .await
        .unwrap();
    let (mut v, _) = visitor(&stack).await;
    start_conversation(&mut v, "chat", "Grace").await;
    alice.expect("queue.updated").await;
    stack.queue.idle().await;
    let left = stack
        .store
        .operator_connections(&stack.seed.tenant, stack.adapters.clock.now())
        .await
        .unwrap();
    assert_eq!(
        left.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        vec![alice_connection]
    );
    stack.stop().await;
}
