//! Groups and automatic assignment end to end on the local stack: an admin
//! defines a group and routes the widget to it over the console socket,
//! visitors start over theirs, and the queue-assignment function hands each
//! conversation to the least busy operator, with the same events as a
//! manual accept. Waits are on events, never on time.

use serde_json::{json, Value};
use switchboard_app::ports::{ConversationStore, DirectoryStore};
use switchboard_domain::*;
use switchboard_local::Running;
use switchboard_tests::local::{operator, start, timeline, visitor};
use switchboard_tests::ws::Client;

fn entry(name: &str) -> Value {
    json!({
        "type": "chat", "language": "en", "browser": "Firefox", "os": "Linux",
        "widget": "Shop", "pageUrl": "https://shop.example.com/", "name": name
    })
}

/// A visitor who starts a conversation and is assigned: their conversation
/// id and the operator it went to, as the visitor's socket heard it.
async fn assigned_visitor(stack: &Running, name: &str) -> (Client, String, String) {
    let (mut v, _) = visitor(stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": entry(name)}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(started["view"]["conversation"]["group"], "sales");
    let accepted = v.expect("conversation.accepted").await;
    assert_eq!(accepted["view"]["conversation"]["id"], id.as_str());
    let by = accepted["operatorId"].as_str().unwrap().to_string();
    (v, id, by)
}

async fn expect_assigned(console: &mut Client, conversation: &str) {
    console
        .expect_where("conversation.accepted", |e| {
            e["event"] == "conversation.accepted" && e["view"]["conversation"]["id"] == conversation
        })
        .await;
}

async fn expect_error(c: &mut Client, frame: Value, code: &str, field: Option<&str>) {
    let answer = c.request(frame, "bad").await;
    assert_eq!(answer["event"], "error", "{answer}");
    assert_eq!(answer["code"], code, "{answer}");
    if let Some(field) = field {
        assert_eq!(answer["field"], field, "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_assignment_from_group_definition_to_freed_slot() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;

    // Bad definitions are refused, naming the field, and write nothing.
    let group = |members: Value, policy: &str| {
        json!({"action": "group.put", "groupId": "sales", "name": "Sales",
               "members": members, "policy": policy})
    };
    expect_error(
        &mut alice,
        group(json!(["alice", "zed"]), "auto"),
        "unknown_operator",
        Some("members"),
    )
    .await;
    expect_error(
        &mut alice,
        group(json!([]), "auto"),
        "invalid_field",
        Some("members"),
    )
    .await;
    expect_error(
        &mut alice,
        group(json!(["alice", "alice"]), "auto"),
        "invalid_field",
        Some("members"),
    )
    .await;
    expect_error(
        &mut alice,
        group(json!(["alice"]), "sometimes"),
        "invalid_field",
        Some("policy"),
    )
    .await;
    expect_error(&mut bob, group(json!(["alice"]), "auto"), "forbidden", None).await;
    expect_error(
        &mut alice,
        json!({"action": "widget.route", "widgetId": stack.seed.widget.as_str(), "groupId": "sales"}),
        "unknown_group",
        Some("groupId"),
    )
    .await;
    let listed = alice.request(json!({"action": "group.list"}), "list").await;
    assert_eq!(listed["groups"].as_array().unwrap().len(), 1, "{listed}");

    let saved = alice
        .request(group(json!(["alice", "bob"]), "auto"), "put")
        .await;
    assert_eq!(saved["event"], "group.saved", "{saved}");
    assert_eq!(saved["group"]["policy"], "auto");
    let routed = alice
        .request(
            json!({"action": "widget.route", "widgetId": stack.seed.widget.as_str(), "groupId": "sales"}),
            "route",
        )
        .await;
    assert_eq!(routed["event"], "widget.routed", "{routed}");
    expect_error(
        &mut alice,
        json!({"action": "widget.route", "widgetId": "no-such-widget", "groupId": "sales"}),
        "unknown_widget",
        Some("widgetId"),
    )
    .await;

    // Least busy first, then the one whose last assignment is oldest.
    let (_v1, c1, by1) = assigned_visitor(&stack, "Ada").await;
    assert_eq!(by1, "alice");
    expect_assigned(&mut alice, &c1).await;
    let (_v2, c2, by2) = assigned_visitor(&stack, "Grace").await;
    assert_eq!(by2, "bob");
    expect_assigned(&mut bob, &c2).await;
    let (_v3, c3, by3) = assigned_visitor(&stack, "Edsger").await;
    assert_eq!(
        by3, "alice",
        "equally busy: alice's last assignment is older"
    );
    expect_assigned(&mut alice, &c3).await;

    // The log says how it came about.
    let log = timeline(&stack, &c1).await;
    assert!(log.iter().any(|e| matches!(
        &e.kind,
        TimelineKind::Assigned { operator, how: Assignment::Routed, .. } if operator.as_str() == "alice"
    )));

    // Capacity 2: alice is full, bob takes the next, then nobody has room.
    let settings = alice
        .request(json!({"action": "tenant.settings", "maxChats": 2}), "cap")
        .await;
    assert_eq!(settings["event"], "tenant.settings", "{settings}");
    let (_v4, c4, by4) = assigned_visitor(&stack, "Barbara").await;
    assert_eq!(by4, "bob");
    expect_assigned(&mut bob, &c4).await;

    let (mut v5, _) = visitor(&stack).await;
    let started = v5
        .request(
            json!({"action": "conversation.start", "entry": entry("Niklaus")}),
            "start",
        )
        .await;
    let c5 = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let place = v5.expect("queue.position").await;
    assert_eq!(place["position"], 1, "{place}");
    stack.settled().await;
    let waiting = stack
        .store
        .conversation(
            &stack.seed.tenant,
            &ConversationId::parse(c5.as_str()).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(waiting.status, ConversationStatus::Waiting);

    // Bob closes one: the freed slot goes to the one waiting, at once.
    let closed = bob
        .request(
            json!({"action": "conversation.close", "conversationId": c2}),
            "close",
        )
        .await;
    assert_eq!(closed["event"], "conversation.closed", "{closed}");
    let accepted = v5.expect("conversation.accepted").await;
    assert_eq!(accepted["operatorId"], "bob");
    expect_assigned(&mut bob, &c5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_assigns_what_a_lost_trigger_left() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let saved = alice
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone", "policy": "auto"}),
            "put",
        )
        .await;
    assert_eq!(saved["event"], "group.saved", "{saved}");
    stack.settled().await;

    // Stored without a trigger, as if the trigger had been lost.
    let lost = Conversation::start(
        ConversationId::parse("c-lost").unwrap(),
        stack.seed.tenant.clone(),
        VisitorId::parse("v-lost").unwrap(),
        Channel::WebChat,
        EntryInfo {
            entry_type: EntryType::Chat,
            language: "en".into(),
            browser: String::new(),
            os: String::new(),
            widget: String::new(),
            page_url: String::new(),
            name: None,
            phone: None,
            email: None,
        },
        stack.adapters.clock.now(),
    );
    stack.store.start_conversation(lost).await.unwrap();
    assert_eq!(stack.functions.assign.sweep().await.unwrap(), 1);
    expect_assigned(&mut alice, "c-lost").await;
    // A second sweep, like a duplicated trigger, changes nothing.
    assert_eq!(stack.functions.assign.sweep().await.unwrap(), 0);
    let alice_now = stack
        .store
        .operator(&stack.seed.tenant, &OperatorId::parse("alice").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alice_now.active_chats, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_assigns_a_waiting_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let (mut v, _) = visitor(&stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": entry("Ada")}),
            "start",
        )
        .await;
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let assign =
        json!({"action": "conversation.assign", "conversationId": id, "operatorId": "bob"});
    expect_error(&mut bob, assign.clone(), "forbidden", None).await;
    bob.request(
        json!({"action": "operator.status", "status": "away"}),
        "away",
    )
    .await;
    expect_error(&mut alice, assign.clone(), "operator_not_online", None).await;
    bob.request(
        json!({"action": "operator.status", "status": "online"}),
        "online",
    )
    .await;
    let done = alice.request(assign, "assign").await;
    assert_eq!(done["event"], "conversation.assigned", "{done}");
    let accepted = v.expect("conversation.accepted").await;
    assert_eq!(accepted["operatorId"], "bob");
    expect_assigned(&mut bob, &id).await;
    let log = timeline(&stack, &id).await;
    assert!(log.iter().any(|e| matches!(&e.kind,
        TimelineKind::Assigned { operator, how: Assignment::Admin, by: Some(by) }
            if operator.as_str() == "bob" && by.as_str() == "alice")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_see_their_groups_and_admins_see_everything() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let cid_token = stack
        .tokens
        .issue_operator(
            &stack.seed.tenant,
            &OperatorId::parse("cid").unwrap(),
            "Cid",
            &[Role::Operator],
            stack.adapters.clock.now().plus_seconds(3600),
        )
        .unwrap();
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let (mut cid, _) = operator(&stack, &cid_token).await;
    let saved = alice
        .request(
            json!({"action": "group.put", "groupId": "support", "name": "Support", "members": ["bob"]}),
            "g",
        )
        .await;
    assert_eq!(saved["event"], "group.saved", "{saved}");
    alice
        .request(
            json!({"action": "widget.route", "widgetId": stack.seed.widget.as_str(), "groupId": "support"}),
            "r",
        )
        .await;
    let (mut v, _) = visitor(&stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": entry("Ada")}),
            "start",
        )
        .await;
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let in_support = |e: &Value| e["event"] == "queue.updated" && e["groupId"] == "support";
    bob.expect_where("support queue", in_support).await;
    alice.expect_where("support queue", in_support).await;
    stack.settled().await;
    cid.request(json!({"action": "ping"}), "sync").await;
    assert!(
        !cid.unconsumed().iter().any(in_support),
        "cid is not in support and was shown its queue"
    );
    let listed = cid.request(json!({"action": "queue.list"}), "l").await;
    assert!(listed["entries"].as_array().unwrap().is_empty(), "{listed}");
    let listed = bob.request(json!({"action": "queue.list"}), "l").await;
    assert_eq!(listed["entries"].as_array().unwrap().len(), 1, "{listed}");
    let preview = json!({"action": "conversation.preview", "conversationId": id});
    expect_error(&mut cid, preview.clone(), "conversation_not_found", None).await;
    let seen = bob.request(preview.clone(), "p").await;
    assert_eq!(seen["event"], "conversation.preview", "{seen}");

    let accepted = bob
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "a",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    expect_error(&mut cid, preview, "conversation_not_found", None).await;
    let others = json!({"action": "operator.conversations", "operatorId": "bob"});
    expect_error(&mut cid, others.clone(), "forbidden", None).await;
    let view = alice.request(others, "o").await;
    assert_eq!(view["event"], "operator.conversations", "{view}");
    assert_eq!(view["conversations"][0]["conversation"]["id"], id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_quiet_for_two_heartbeats_gets_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = std::sync::Arc::new(switchboard_tests::fakes::FixedClock::at(1_800_000_000_000));
    let stack = switchboard_tests::local::start_with_clock(dir.path(), clock.clone()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    alice
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone", "policy": "auto"}),
            "auto",
        )
        .await;
    // A minute and a second later: bob's console pinged, alice's went quiet
    // (its socket is open, but it could as well have vanished).
    clock.advance(61_000);
    bob.request(json!({"action": "ping"}), "hb").await;
    let (_v1, c1, by1) = assigned_visitor_in(&stack, "default").await;
    assert_eq!(
        by1, "bob",
        "alice would win the tie if she counted as online"
    );
    expect_assigned(&mut bob, &c1).await;
    alice.request(json!({"action": "ping"}), "hb").await;
    let (_v2, c2, by2) = assigned_visitor_in(&stack, "default").await;
    assert_eq!(by2, "alice");
    expect_assigned(&mut alice, &c2).await;
}

/// Like `assigned_visitor`, for a widget routed to `group`.
async fn assigned_visitor_in(stack: &Running, group: &str) -> (Client, String, String) {
    let (mut v, _) = visitor(stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": entry("Ada")}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    assert_eq!(started["view"]["conversation"]["group"], group);
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let accepted = v.expect("conversation.accepted").await;
    let by = accepted["operatorId"].as_str().unwrap().to_string();
    (v, id, by)
}
