//! Conversation progress and lists end to end on the local stack: a new
//! chat is unread, an operator marks it done, the client's next message
//! makes it unread again, closing moves it to the closed list; and lists
//! show each operator what they may open.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, invited_operator, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_chat, start_for_admin, visitor_on};
use switchboard_tests::ws::Client;

const T0: u64 = 1_800_000_000_000;

async fn listed(console: &mut Client, query: Value) -> Vec<(String, String)> {
    let mut frame = json!({"action": "conversation.list"});
    frame
        .as_object_mut()
        .unwrap()
        .extend(query.as_object().unwrap().clone());
    let answer = console.request(frame, "list").await;
    assert_eq!(answer["event"], "conversation.list", "{answer}");
    answer["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                c["progress"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(name: &str, progress: &str) -> (String, String) {
    (name.to_string(), progress.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_flows_from_unread_to_done_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_for_admin(dir.path(), clock.clone(), None).await;
    let api = Api::new(&stack);
    let admin = admin_of(&stack, &api, "acme", "ann@acme.example").await;
    let ann = access(&admin);
    let ann_id = admin["operator"]["id"].as_str().unwrap().to_string();
    let olga_session = invited_operator(dir.path(), &api, &ann, "olga@acme.example", "Olga").await;
    let olga = access(&olga_session);
    let olga_id = olga_session["operator"]["id"].as_str().unwrap().to_string();
    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", Some(&ann), Some(shop))
            .await
            .0,
        201
    );
    let (mut ann_console, _) = operator(&stack, &ann).await;
    let (mut olga_console, _) = operator(&stack, &olga).await;

    let mut grace = visitor_on(&stack, "shop").await;
    let chat = start_chat(&mut grace, "Grace", "en").await;
    let id = chat["id"].clone();
    clock.advance(1_000);
    let mut hugo = visitor_on(&stack, "shop").await;
    start_chat(&mut hugo, "Hugo", "en").await;

    // Waiting and unread, newest first.
    assert_eq!(
        listed(&mut olga_console, json!({"scope": "unassigned"})).await,
        vec![pair("Hugo", "unread"), pair("Grace", "unread")]
    );
    let accepted = olga_console
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "a",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    assert_eq!(
        listed(&mut olga_console, json!({})).await,
        vec![pair("Grace", "unread")]
    );

    // Done: gone from the unread list, in the done one.
    let set = |progress: &str| json!({"action": "conversation.progress", "conversationId": id, "progress": progress});
    let done = olga_console.request(set("done"), "p").await;
    assert_eq!(
        (done["event"].as_str(), done["progress"].as_str()),
        (Some("conversation.progress"), Some("done")),
        "{done}"
    );
    assert!(listed(&mut olga_console, json!({})).await.is_empty());
    assert_eq!(
        listed(&mut olga_console, json!({"progress": "done"})).await,
        vec![pair("Grace", "done")]
    );
    let refused = olga_console.request(set("maybe"), "p").await;
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("invalid_field"), Some("progress")),
        "{refused}"
    );

    // The client writes again: unread until someone changes it.
    clock.advance(1_000);
    let ack = grace
        .request(
            json!({"action": "message.send", "clientMessageId": "g1", "text": "Any news?"}),
            "m",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    assert_eq!(
        listed(&mut olga_console, json!({})).await,
        vec![pair("Grace", "unread")]
    );
    olga_console.request(set("unresolved"), "p").await;
    assert_eq!(
        listed(&mut olga_console, json!({"progress": "all"})).await,
        vec![pair("Grace", "unresolved")]
    );

    // Others: a colleague's open chats are for admins; closed ones for all.
    let denied = olga_console
        .request(
            json!({"action": "conversation.list", "scope": "operator", "operatorId": ann_id}),
            "l",
        )
        .await;
    assert_eq!(denied["code"], "forbidden", "{denied}");
    let of_olga = json!({"scope": "operator", "operatorId": olga_id, "progress": "all"});
    assert_eq!(
        listed(&mut ann_console, of_olga.clone()).await,
        vec![pair("Grace", "unresolved")]
    );
    assert!(listed(
        &mut olga_console,
        json!({"state": "closed", "scope": "operator", "operatorId": ann_id})
    )
    .await
    .is_empty());

    // Closing moves it to the closed list, nothing deleted.
    let closed = olga_console
        .request(
            json!({"action": "conversation.close", "conversationId": id}),
            "c",
        )
        .await;
    assert_eq!(closed["event"], "conversation.closed", "{closed}");
    assert!(listed(&mut olga_console, json!({"progress": "all"}))
        .await
        .is_empty());
    assert_eq!(
        listed(
            &mut olga_console,
            json!({"state": "closed", "progress": "all"})
        )
        .await,
        vec![pair("Grace", "unresolved")]
    );
    // Tags on the conversation, shown in the lists.
    let tagged = olga_console
        .request(
            json!({"action": "conversation.tags", "conversationId": id, "add": ["Refund"]}),
            "t",
        )
        .await;
    assert_eq!(
        (tagged["event"].as_str(), tagged["tags"].clone()),
        (Some("conversation.tags"), json!(["refund"])),
        "{tagged}"
    );
    let page = olga_console
        .request(
            json!({"action": "conversation.list", "state": "closed", "progress": "all"}),
            "l",
        )
        .await;
    assert_eq!(
        page["conversations"][0]["tags"],
        json!(["refund"]),
        "{page}"
    );

    // Found by a prefix of the name, accents and case aside.
    let found = olga_console
        .request(
            json!({"action": "conversation.search", "query": "GRÂ"}),
            "s",
        )
        .await;
    assert_eq!(found["event"], "conversation.search", "{found}");
    assert_eq!(found["conversations"][0]["name"], "Grace", "{found}");
    assert_eq!(found["conversations"].as_array().unwrap().len(), 1);
    let refused = olga_console
        .request(json!({"action": "conversation.search", "query": "g"}), "s")
        .await;
    assert_eq!(refused["field"], "query", "{refused}");

    for (query, field) in [
        (json!({"state": "closed", "sort": "sla"}), "sort"),
        (json!({"limit": 0}), "limit"),
        (json!({"scope": "operator"}), "operatorId"),
        (json!({"cursor": "nonsense"}), "cursor"),
        (json!({"state": "archived"}), "state"),
    ] {
        let mut frame = json!({"action": "conversation.list"});
        frame
            .as_object_mut()
            .unwrap()
            .extend(query.as_object().unwrap().clone());
        let refused = olga_console.request(frame, "bad").await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    stack.stop().await;
}
