//! SLA order and wait estimates end to end on the local stack: an admin
//! sets the rules over the console socket, visitors start over theirs, the
//! queue function puts an urgent one first and tells each visitor their
//! place and estimated wait, and an operator coming online shortens the
//! waits it announces (their last tab closing lengthens them again). Waits are on events, never on time.

use serde_json::{json, Value};
use switchboard_tests::local::{operator, start, visitor};
use switchboard_tests::ws::Client;

fn entry(name: &str, language: &str) -> Value {
    json!({
        "type": "chat", "language": language, "browser": "Firefox", "os": "Linux",
        "widget": "Shop", "pageUrl": "https://shop.example.com/", "name": name
    })
}

async fn start_conversation(v: &mut Client, name: &str, language: &str) -> String {
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": entry(name, language)}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The next `queue.position` for the visitor's conversation with this place.
async fn place(v: &mut Client, position: u64) -> Value {
    v.expect_where("queue.position", |e| {
        e["event"] == "queue.position" && e["position"] == position
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urgent_rules_go_first_and_estimates_follow_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;

    // Bad rules are refused naming the field; only admins set them.
    let bad = alice
        .request(
            json!({"action": "sla.put", "rules": [
                {"name": "German", "when": {"language": "de"}, "priority": "urgent",
                 "firstResponseSeconds": 5}]}),
            "bad",
        )
        .await;
    assert_eq!(bad["code"], "invalid_field", "{bad}");
    assert_eq!(bad["field"], "rules[0].firstResponseSeconds", "{bad}");
    let unknown = alice
        .request(
            json!({"action": "sla.put", "rules": [
                {"name": "x", "when": {"channel": "telegraph"}, "priority": "urgent"}]}),
            "unknown",
        )
        .await;
    assert_eq!(unknown["event"], "error", "{unknown}");
    let forbidden = bob
        .request(json!({"action": "sla.put", "rules": []}), "bob")
        .await;
    assert_eq!(forbidden["code"], "forbidden", "{forbidden}");

    let rules = json!([
        {"name": "German", "when": {"language": "de"}, "priority": "urgent",
         "firstResponseSeconds": 120},
        {"name": "Everyone else", "priority": "normal", "firstResponseSeconds": 600}
    ]);
    let saved = alice
        .request(json!({"action": "sla.put", "rules": rules}), "put")
        .await;
    assert_eq!(saved["event"], "sla.saved", "{saved}");
    let listed = bob.request(json!({"action": "sla.list"}), "list").await;
    assert_eq!(listed["rules"], rules, "{listed}");

    // One chat each, and only alice online: one slot.
    let set = alice
        .request(json!({"action": "tenant.settings", "maxChats": 1}), "cap")
        .await;
    assert_ne!(set["event"], "error", "{set}");
    bob.request(
        json!({"action": "operator.status", "status": "away"}),
        "away",
    )
    .await;
    let (mut ann, _) = visitor(&stack).await;
    let first = start_conversation(&mut ann, "Ann", "en-GB").await;
    let told = place(&mut ann, 1).await;
    assert_eq!(told["estimatedWaitSeconds"], 0, "{told}");

    // A German client arrives later but is urgent: first in the queue.
    let (mut jan, _) = visitor(&stack).await;
    let urgent = start_conversation(&mut jan, "Jan", "de-AT").await;
    let told = place(&mut jan, 1).await;
    assert_eq!(told["estimatedWaitSeconds"], 0, "{told}");
    // Behind one, with one slot and no chat handled yet (five minutes assumed).
    let told = place(&mut ann, 2).await;
    assert_eq!(told["estimatedWaitSeconds"], 300, "{told}");
    let update = alice
        .expect_where("queue.updated", |e| {
            e["event"] == "queue.updated" && e["changes"][0]["conversationId"] == urgent.as_str()
        })
        .await;
    let sla = &update["changes"][0]["entry"]["conversation"]["sla"];
    assert_eq!(sla["priority"], "urgent", "{update}");
    assert_eq!(sla["rule"], "German", "{update}");
    let enqueued = update["changes"][0]["entry"]["conversation"]["enqueuedAt"]
        .as_u64()
        .unwrap();
    assert_eq!(sla["deadline"].as_u64(), Some(enqueued + 120_000));
    let queue = alice.request(json!({"action": "queue.list"}), "q").await;
    let order: Vec<&str> = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["conversation"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [urgent.as_str(), first.as_str()], "{queue}");

    // Bob comes back: two slots, so Ann is next too; Jan's wait did not move.
    bob.request(
        json!({"action": "operator.status", "status": "online"}),
        "back",
    )
    .await;
    let told = ann
        .expect_where("estimate", |e| {
            e["event"] == "queue.position" && e["estimatedWaitSeconds"] == 0
        })
        .await;
    assert_eq!(told["position"], 2, "{told}");
    // The fan-out tells the queue front to back, so anything for Jan went
    // before Ann's; a ping's answer comes after it.
    jan.request(json!({"action": "ping"}), "after").await;
    assert!(
        !jan.unconsumed()
            .iter()
            .any(|e| e["event"] == "queue.position"),
        "an unchanged estimate costs no push: {:?}",
        jan.unconsumed()
    );

    // Bob's last tab closes ($disconnect): one slot again, Ann waits again.
    bob.close().await;
    let told = ann
        .expect_where("estimate after disconnect", |e| {
            e["event"] == "queue.position" && e["estimatedWaitSeconds"] == 300
        })
        .await;
    assert_eq!(told["position"], 2, "{told}");
}

/// A rule on a client's tag: an operator tags a client `VIP`, and on their
/// next visit the client waits ahead of one who came earlier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tagged_client_goes_first_on_their_next_visit() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let saved = alice
        .request(
            json!({"action": "sla.put", "rules": [
                {"name": "VIP", "when": {"contactTag": "vip"}, "priority": "urgent"}]}),
            "rules",
        )
        .await;
    assert_eq!(saved["event"], "sla.saved", "{saved}");

    // Bea's first visit: taken, tagged, closed.
    let (mut bea, _) = visitor(&stack).await;
    let first = start_conversation(&mut bea, "Bea", "en").await;
    place(&mut bea, 1).await;
    alice
        .request(
            json!({"action": "conversation.accept", "conversationId": first}),
            "accept",
        )
        .await;
    let bad = alice
        .request(
            json!({"action": "client.tags", "conversationId": first, "add": ["a,b"]}),
            "bad",
        )
        .await;
    assert_eq!(bad["field"], "add[0]", "{bad}");
    let tagged = alice
        .request(
            json!({"action": "client.tags", "conversationId": first, "add": [" VIP ", "b2b"]}),
            "tag",
        )
        .await;
    assert_eq!(tagged["tags"], json!(["b2b", "vip"]), "{tagged}");
    alice
        .request(
            json!({"action": "conversation.close", "conversationId": first}),
            "close",
        )
        .await;

    // Ada comes first and waits; Bea comes back and goes ahead of her.
    let (mut ada, _) = visitor(&stack).await;
    start_conversation(&mut ada, "Ada", "en").await;
    place(&mut ada, 1).await;
    let again = start_conversation(&mut bea, "Bea", "en").await;
    assert_eq!(again, first, "her conversation reopens");
    place(&mut bea, 1).await;
    place(&mut ada, 2).await;
    let queued = alice
        .expect_where("bea urgent", |e| {
            e["event"] == "queue.updated"
                && e["changes"].as_array().is_some_and(|c| {
                    c.iter()
                        .any(|c| c["entry"]["conversation"]["sla"]["priority"] == "urgent")
                })
        })
        .await;
    assert!(queued.to_string().contains(&first), "{queued}");
}
