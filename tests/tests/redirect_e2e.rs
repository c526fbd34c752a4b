//! Redirecting a waiting conversation from the preview, over WebSockets on
//! the local stack: a member of its queue sends it to another group (the
//! queues' watchers see it leave one and enter the other, the visitor is
//! told only that someone else will answer), an admin offers it to one
//! operator with a comment, who declines it back to the queue it waited
//! in; and the refusals, which name the problem and change nothing.

use serde_json::{json, Value};
use switchboard_app::ports::{ConversationStore, RoutingStore};
use switchboard_domain::*;
use switchboard_tests::local::{operator, start, timeline, visitor};
use switchboard_tests::ws::{queue_change, Client};

const COMMENT: &str = "Internal: asked twice about the refund";

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

fn redirect(id: &str, to: Value, comment: &str) -> Value {
    let mut frame =
        json!({"action": "conversation.redirect", "conversationId": id, "comment": comment});
    for (k, v) in to.as_object().unwrap() {
        frame[k] = v.clone();
    }
    frame
}

async fn refused(c: &mut Client, frame: Value, code: &str) {
    let answer = c.request(frame, "bad").await;
    assert_eq!(answer["event"], "error", "{answer}");
    assert_eq!(answer["code"], code, "{answer}");
}

fn group(stack: &switchboard_local::Running, id: &str, members: &[&str]) -> Group {
    Group {
        id: GroupId::parse(id).unwrap(),
        tenant: stack.seed.tenant.clone(),
        name: id.into(),
        members: members
            .iter()
            .map(|m| OperatorId::parse(*m).unwrap())
            .collect(),
        policy: RoutingPolicy::Manual,
        hours: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_conversation_is_redirected_to_a_group_and_to_an_operator() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    for (id, members) in [("billing", &["bob"][..]), ("vip", &["alice"][..])] {
        stack
            .store
            .put_group(&group(&stack, id, members))
            .await
            .unwrap();
    }
    let (mut v, _) = visitor(&stack).await;
    let id = started(&mut v).await;
    bob.expect_where("queue.updated", |e| {
        queue_change(e, "added", Some(&id)).is_some()
    })
    .await;

    // Refusals: malformed, unknown group, its own group, a visitor asking.
    let long = "x".repeat(2001);
    refused(
        &mut bob,
        redirect(&id, json!({"toGroupId": "billing"}), &long),
        "invalid_field",
    )
    .await;
    refused(
        &mut bob,
        redirect(&id, json!({"toGroupId": "nope"}), "c"),
        "unknown_group",
    )
    .await;
    refused(
        &mut bob,
        redirect(&id, json!({"toGroupId": "default"}), "c"),
        "already_in_group",
    )
    .await;
    refused(
        &mut bob,
        redirect(&id, json!({"toOperatorId": "bob"}), "c"),
        "transfer_to_self",
    )
    .await;
    refused(
        &mut v,
        redirect(&id, json!({"toGroupId": "billing"}), "c"),
        "forbidden",
    )
    .await;

    // Bob (who sees the default queue) sends it to billing.
    let done = bob
        .request(
            redirect(&id, json!({"toGroupId": "billing"}), COMMENT),
            "r1",
        )
        .await;
    assert_eq!(done["event"], "conversation.redirected", "{done}");
    assert_eq!(done["toGroupId"], "billing", "{done}");
    let told = v.expect("conversation.transferring").await;
    assert_eq!(told["conversationId"], id.as_str());
    let entered = bob
        .expect_where("queue.updated", |e| {
            e["groupId"] == "billing" && queue_change(e, "added", Some(&id)).is_some()
        })
        .await;
    assert_eq!(entered["queueLength"], 1, "{entered}");
    alice
        .expect_where("queue.updated", |e| {
            e["groupId"] == "default" && queue_change(e, "removed", Some(&id)).is_some()
        })
        .await;
    let last = timeline(&stack, &id).await.pop().unwrap();
    assert_eq!(
        last.kind,
        TimelineKind::TransferredToGroup {
            from: OperatorId::parse("bob").unwrap(),
            group: GroupId::parse("billing").unwrap(),
            comment: Some(COMMENT.into())
        }
    );

    // Alice (an admin, not in billing) offers it to bob, who declines.
    let done = alice
        .request(redirect(&id, json!({"toOperatorId": "bob"}), COMMENT), "r2")
        .await;
    assert_eq!(done["event"], "conversation.redirected", "{done}");
    let offer = bob.expect("transfer.offered").await;
    assert_eq!(offer["comment"], COMMENT, "{offer}");
    assert_eq!(offer["fromOperatorId"], "alice", "{offer}");
    refused(
        &mut alice,
        redirect(&id, json!({"toGroupId": "vip"}), "c"),
        "transferred_to_another",
    )
    .await;
    let declined = bob
        .request(
            json!({"action": "transfer.decline", "conversationId": id, "reason": "not billing"}),
            "decline",
        )
        .await;
    assert_eq!(declined["event"], "transfer.returned", "{declined}");
    let returned = alice.expect("transfer.returned").await;
    assert_eq!(returned["reason"], "not billing", "{returned}");
    let back = stack
        .store
        .conversation(&stack.seed.tenant, &ConversationId::parse(&id).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.group, GroupId::parse("billing").unwrap());
    assert_eq!(back.status, ConversationStatus::Waiting);

    // Alice moves it to vip, whose queue bob does not see: he may not
    // redirect it from there, and is told it is not found.
    alice
        .request(redirect(&id, json!({"toGroupId": "vip"}), ""), "r3")
        .await;
    refused(
        &mut bob,
        redirect(&id, json!({"toGroupId": "billing"}), "c"),
        "conversation_not_found",
    )
    .await;

    // The visitor never saw the comment.
    for frame in v.unconsumed() {
        assert!(!frame.to_string().contains("refund"), "{frame}");
    }
}
