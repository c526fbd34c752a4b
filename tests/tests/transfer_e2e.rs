//! Transfers end to end: over WebSockets on the local stack (to an operator
//! with a comment, declined, unanswered until the sweep, to a group, and the
//! refusals), and through the channel functions' handlers for a WhatsApp
//! conversation, whose provider must receive nothing of the comment.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::ports::RoutingStore;
use switchboard_app::ConnectRequest;
use switchboard_domain::*;
use switchboard_tests::channels::{harness, whatsapp_text};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_with_clock, timeline, visitor};
use switchboard_tests::ws::{queue_change, Client};

const COMMENT: &str = "Internal: VIP customer, refund already approved";

async fn started(v: &mut Client) -> String {
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": "en", "browser": "b", "os": "o",
                "widget": "w", "pageUrl": "https://example.com", "name": "Ada"}}),
            "start",
        )
        .await;
    started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn accept(op: &mut Client, id: &str) {
    let answer = op
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "accept",
        )
        .await;
    assert_eq!(answer["event"], "conversation.accepted", "{answer}");
}

fn transfer(id: &str, to: Value, comment: &str) -> Value {
    let mut frame =
        json!({"action": "conversation.transfer", "conversationId": id, "comment": comment});
    for (k, v) in to.as_object().unwrap() {
        frame[k] = v.clone();
    }
    frame
}

async fn refused(c: &mut Client, frame: Value, code: &str, field: Option<&str>) {
    let answer = c.request(frame, "bad").await;
    assert_eq!(answer["event"], "error", "{answer}");
    assert_eq!(answer["code"], code, "{answer}");
    if let Some(field) = field {
        assert_eq!(answer["field"], field, "{answer}");
    }
}

fn never_saw_the_comment(frames: &[Value]) {
    for f in frames {
        assert!(
            !f.to_string().contains("refund"),
            "the client was shown the comment: {f}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_to_an_operator_declined_unanswered_and_to_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(1_800_000_000_000));
    let stack = start_with_clock(dir.path(), clock.clone()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let (mut v, _) = visitor(&stack).await;
    let id = started(&mut v).await;
    accept(&mut alice, &id).await;
    v.expect("conversation.accepted").await;

    // Refusals name the problem and change nothing.
    let long = "x".repeat(2001);
    refused(
        &mut alice,
        transfer(&id, json!({"toOperatorId": "bob"}), &long),
        "invalid_field",
        Some("comment"),
    )
    .await;
    refused(
        &mut alice,
        transfer(&id, json!({"toOperatorId": "zed"}), "c"),
        "unknown_operator",
        Some("toOperatorId"),
    )
    .await;
    refused(
        &mut alice,
        transfer(&id, json!({"toGroupId": "nope"}), "c"),
        "unknown_group",
        Some("groupId"),
    )
    .await;
    refused(
        &mut alice,
        transfer(&id, json!({"toOperatorId": "alice"}), "c"),
        "transfer_to_self",
        None,
    )
    .await;
    refused(
        &mut alice,
        transfer(&id, json!({}), "c"),
        "invalid_field",
        Some("toOperatorId"),
    )
    .await;
    refused(
        &mut bob,
        transfer(&id, json!({"toOperatorId": "alice"}), "c"),
        "not_assigned_to_you",
        None,
    )
    .await;
    bob.request(
        json!({"action": "operator.status", "status": "away"}),
        "away",
    )
    .await;
    refused(
        &mut alice,
        transfer(&id, json!({"toOperatorId": "bob"}), "c"),
        "target_not_online",
        Some("toOperatorId"),
    )
    .await;
    bob.request(
        json!({"action": "operator.status", "status": "online"}),
        "online",
    )
    .await;

    // To bob with the comment: alice is told and freed, the visitor only
    // hears it is being transferred, bob gets the offer with the comment.
    let answer = alice
        .request(transfer(&id, json!({"toOperatorId": "bob"}), COMMENT), "t1")
        .await;
    assert_eq!(answer["event"], "conversation.transferred", "{answer}");
    assert_eq!(answer["toOperatorId"], "bob");
    // Her slot is free at once.
    alice
        .expect_where("operator.state", |e| {
            e["event"] == "operator.state" && e["operator"]["activeChats"] == 0
        })
        .await;
    let told = v.expect("conversation.transferring").await;
    never_saw_the_comment(&[told]);
    let offer = bob.expect("transfer.offered").await;
    assert_eq!(offer["comment"], COMMENT);
    assert_eq!(offer["fromOperatorId"], "alice");

    // Bob declines: back in the queue, alice told why.
    let declined = bob
        .request(
            json!({"action": "transfer.decline", "conversationId": id, "reason": "Not my area"}),
            "d1",
        )
        .await;
    assert_eq!(declined["event"], "transfer.returned", "{declined}");
    let returned = alice.expect("transfer.returned").await;
    assert_eq!(returned["byOperatorId"], "bob");
    assert_eq!(returned["reason"], "Not my area");
    alice
        .expect_where("queue.updated", |e| {
            queue_change(e, "added", Some(id.as_str())).is_some()
        })
        .await;
    refused(
        &mut bob,
        json!({"action": "transfer.decline", "conversationId": id}),
        "no_transfer",
        None,
    )
    .await;

    // Again to bob, who does not answer: the sweep after the timeout returns it.
    accept(&mut alice, &id).await;
    alice
        .request(transfer(&id, json!({"toOperatorId": "bob"}), COMMENT), "t2")
        .await;
    bob.expect("transfer.offered").await;
    stack.settled().await;
    assert_eq!(
        stack
            .functions
            .assign
            .return_overdue_transfers()
            .await
            .unwrap(),
        0
    );
    clock.advance(121_000);
    assert_eq!(
        stack
            .functions
            .assign
            .return_overdue_transfers()
            .await
            .unwrap(),
        1
    );
    let timed_out = alice.expect("transfer.returned").await;
    assert!(timed_out.get("byOperatorId").is_none(), "{timed_out}");

    // To a group: it waits in that group's queue, where bob takes it.
    stack
        .store
        .put_group(&Group {
            id: GroupId::parse("billing").unwrap(),
            tenant: stack.seed.tenant.clone(),
            name: "Billing".into(),
            members: vec![OperatorId::parse("bob").unwrap()],
            policy: RoutingPolicy::Manual,
            hours: None,
        })
        .await
        .unwrap();
    accept(&mut alice, &id).await;
    let answer = alice
        .request(
            transfer(&id, json!({"toGroupId": "billing"}), COMMENT),
            "t3",
        )
        .await;
    assert_eq!(answer["toGroupId"], "billing", "{answer}");
    bob.expect_where("queue.updated", |e| {
        e["groupId"] == "billing" && queue_change(e, "added", Some(id.as_str())).is_some()
    })
    .await;
    accept(&mut bob, &id).await;
    let log = timeline(&stack, &id).await;
    assert!(log.iter().any(|e| matches!(&e.kind,
        TimelineKind::TransferredToGroup { comment: Some(c), .. } if c == COMMENT)));

    // Nothing the visitor's socket received mentions the comment.
    stack.settled().await;
    v.send(json!({"action": "ping"})).await;
    v.expect("pong").await;
    never_saw_the_comment(&v.unconsumed());
    let _ = stack.settled().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatsapp_contact_hears_nothing_of_a_transfer_comment() {
    let h = harness();
    h.tenant_with_widget("demo", 3).await;
    let token = |who: &str| {
        h.tokens
            .issue_operator(
                &TenantId::parse("demo").unwrap(),
                &OperatorId::parse(who).unwrap(),
                who,
                &[Role::Operator],
                Timestamp(u64::MAX / 4),
            )
            .unwrap()
    };
    for who in ["alice", "bob"] {
        h.functions
            .connect
            .connect(ConnectRequest {
                connection_id: format!("{who}-conn"),
                token: Some(token(who)),
                ..ConnectRequest::default()
            })
            .await
            .unwrap();
    }
    assert_eq!(
        h.post_signed("/webhooks/whatsapp", &whatsapp_text("wamid.T1", "Hello"))
            .await,
        200
    );
    h.consume_inbound().await;
    let visitor = switchboard_app::usecases::contact_visitor_id(
        Channel::WhatsApp,
        "420000000000002",
        "447700900123",
    )
    .unwrap();
    let conversation = h
        .store
        .visitor_conversation(&TenantId::parse("demo").unwrap(), &visitor)
        .await
        .unwrap()
        .unwrap();
    let frame = |conn: &str, body: Value| {
        let functions = h.functions.clone();
        let conn = conn.to_string();
        async move {
            functions
                .message
                .handle_frame(&conn, &body.to_string())
                .await
                .unwrap()
        }
    };
    frame(
        "alice-conn",
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    frame(
        "alice-conn",
        transfer(
            conversation.id.as_str(),
            json!({"toOperatorId": "bob"}),
            COMMENT,
        ),
    )
    .await;
    let offer = h
        .push
        .to("bob-conn")
        .into_iter()
        .find(|e| e["event"] == "transfer.offered")
        .expect("bob was offered the conversation");
    assert_eq!(offer["comment"], COMMENT);
    h.run_queue_function(100).await;
    h.run_assign_function().await;
    assert_eq!(h.send_jobs(1).await, 0);
    assert!(
        h.bus.outbound.lock().unwrap().is_empty(),
        "nothing was queued for WhatsApp"
    );
    assert!(
        h.http.calls().is_empty(),
        "WhatsApp received {:?}",
        h.http.calls()
    );
}
