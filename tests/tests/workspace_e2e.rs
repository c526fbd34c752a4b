//! Text blocks and additional information end to end on the local stack:
//! an admin defines them over the admin API, an operator searches blocks
//! with `#`, inserts one with its placeholders filled from the chat, the
//! operator and the client's fields, and fills a client's fields.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, acme_admin, admin_of, AcmeAdmin, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_chat, start_for_admin, visitor_on};
use switchboard_tests::ws::Client;

const T0: u64 = 1_800_000_000_000;

async fn ask(console: &mut Client, frame: Value) -> Value {
    console.request(frame, "ask").await
}

fn ids(results: &Value) -> Vec<&str> {
    results["blocks"]
        .as_array()
        .unwrap_or_else(|| panic!("no blocks in {results}"))
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_are_found_by_hash_and_filled_for_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let AcmeAdmin {
        stack,
        api,
        token: ann,
        ..
    } = acme_admin(dir.path(), Arc::new(FixedClock::at(T0))).await;
    let t = Some(ann.as_str());

    // Fields and blocks, with what is refused naming the field.
    let plan = json!({"label": "Plan", "type": "choice", "options": ["Gold", "Silver"]});
    let (status, field) = api
        .call("PUT", "/admin/info-fields/plan", t, Some(plan))
        .await;
    assert_eq!(status, 200, "{field}");
    assert_eq!(field["key"], "plan");
    for (body, field) in [
        (json!({"label": "X", "type": "colour"}), "type"),
        (
            json!({"label": "X", "type": "text", "options": ["a"]}),
            "options",
        ),
        (json!({"label": "", "type": "date"}), "label"),
    ] {
        let (status, answer) = api.call("PUT", "/admin/info-fields/x", t, Some(body)).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (400, Some(field)),
            "{answer}"
        );
    }
    let greeting = json!({"language": "en", "name": "Hello",
        "text": "Hello {contact.name}, I am {operator.name}. Your plan: {info.plan}."});
    assert_eq!(
        api.call("PUT", "/admin/text-blocks/hello", t, Some(greeting))
            .await
            .0,
        200
    );
    for (id, language, name, text) in [
        ("returns", "en", "Returns", "Send it back within 30 days."),
        ("ruckgabe", "de", "Rückgabe", "Innerhalb von 30 Tagen."),
        (
            "hours",
            "en",
            "Opening hours",
            "We are here to help, Mo to Fr.",
        ),
    ] {
        let body = json!({"language": language, "name": name, "text": text});
        let path = format!("/admin/text-blocks/{id}");
        assert_eq!(api.call("PUT", &path, t, Some(body)).await.0, 200);
    }
    let bad = json!({"language": "en", "name": "Bad", "text": "Hi {contact.age}"});
    let (status, answer) = api
        .call("PUT", "/admin/text-blocks/bad", t, Some(bad))
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (400, Some("text")),
        "{answer}"
    );
    assert_eq!(
        api.call("GET", "/admin/text-blocks/bad", t, None).await.0,
        404
    );

    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", t, Some(shop)).await.0,
        201
    );
    let (mut console, _) = operator(&stack, &ann).await;
    let mut visitor = visitor_on(&stack, "shop").await;
    let chat = start_chat(&mut visitor, "Grace", "en-GB").await;
    let conversation = chat["id"].clone();

    // `#hel`: the block named so first, one that only says "help" after;
    // the German block is not in an English chat's results.
    let found = ask(
        &mut console,
        json!({"action": "textblock.search", "query": "HEL", "conversationId": conversation}),
    )
    .await;
    assert_eq!(found["event"], "textblock.results", "{found}");
    assert_eq!(ids(&found), vec!["hello", "hours"], "{found}");
    assert_eq!(found["language"], "en-GB");
    let german = ask(
        &mut console,
        json!({"action": "textblock.search", "query": "ruck", "language": "de"}),
    )
    .await;
    assert_eq!(ids(&german), vec!["ruckgabe"]);
    let refused = ask(
        &mut console,
        json!({"action": "textblock.search", "query": "x", "limit": 0}),
    )
    .await;
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("invalid_field"), Some("limit"))
    );

    // Inserted: what is known filled, the client's plan not yet known.
    let insert =
        json!({"action": "textblock.insert", "blockId": "hello", "conversationId": conversation});
    let filled = ask(&mut console, insert.clone()).await;
    assert_eq!(filled["event"], "textblock.filled", "{filled}");
    assert_eq!(
        filled["text"],
        "Hello Grace, I am Admin. Your plan: {info.plan}."
    );
    assert_eq!(filled["unfilled"], json!(["info.plan"]));

    // The client's plan: checked against the field, then filled in.
    let info = json!({"action": "client.info", "conversationId": conversation, "values": {"plan": "Bronze"}});
    let refused = ask(&mut console, info).await;
    assert_eq!(refused["field"], "values.plan", "{refused}");
    let info = json!({"action": "client.info", "conversationId": conversation, "values": {"plan": " gold "}});
    let saved = ask(&mut console, info).await;
    assert_eq!(saved["event"], "client.info", "{saved}");
    assert_eq!(saved["values"], json!({"plan": "Gold"}));
    assert_eq!(saved["fields"][0]["key"], "plan");
    let filled = ask(&mut console, insert).await;
    assert_eq!(filled["text"], "Hello Grace, I am Admin. Your plan: Gold.");
    assert_eq!(filled["unfilled"], json!([]));

    // An admin's new block is found at once; a deleted one is gone.
    let body = json!({"language": "en", "name": "Help desk", "text": "Call us."});
    assert_eq!(
        api.call("PUT", "/admin/text-blocks/desk", t, Some(body))
            .await
            .0,
        200
    );
    assert_eq!(
        api.call("DELETE", "/admin/text-blocks/hours", t, None)
            .await
            .0,
        204
    );
    let found = ask(
        &mut console,
        json!({"action": "textblock.search", "query": "hel", "conversationId": conversation}),
    )
    .await;
    assert_eq!(ids(&found), vec!["hello", "desk"], "{found}");

    // The visitor may do none of it.
    let denied = visitor
        .request(json!({"action": "textblock.search", "query": "hel"}), "x")
        .await;
    assert_eq!(denied["code"], "forbidden", "{denied}");
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sees_the_pages_the_client_browses() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", Some(&ann), Some(shop))
            .await
            .0,
        201
    );
    let (mut console, _) = operator(&stack, &ann).await;
    let mut visitor = visitor_on(&stack, "shop").await;

    // Browsing before any chat is kept too; what is not a web page is refused.
    let page = |url: &str, title: &str| json!({"action": "page.view", "url": url, "title": title});
    for (frame, field) in [
        (page("javascript:alert(1)", "x"), "url"),
        (page("https://shop.example.com/", &"t".repeat(301)), "title"),
    ] {
        let refused = visitor.request(frame, "bad").await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    visitor
        .send(page("https://shop.example.com/shoes", "Shoes"))
        .await;
    let chat = start_chat(&mut visitor, "Grace", "en").await;
    let conversation = chat["id"].clone();
    let accepted = ask(
        &mut console,
        json!({"action": "conversation.accept", "conversationId": conversation}),
    )
    .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");

    // During the chat, each page reaches the operator as it is opened.
    visitor
        .send(page("https://shop.example.com/cart", "Cart"))
        .await;
    let live = console.expect("client.page").await;
    assert_eq!(live["pageView"]["url"], "https://shop.example.com/cart");
    assert_eq!(live["conversationId"], conversation);

    let pages = ask(
        &mut console,
        json!({"action": "client.pages", "conversationId": conversation}),
    )
    .await;
    assert_eq!(pages["event"], "client.pages", "{pages}");
    let urls: Vec<&str> = pages["pageViews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        vec![
            "https://shop.example.com/cart",
            "https://shop.example.com/shoes"
        ]
    );
    // The visitor may not read anyone's history.
    let denied = visitor
        .request(
            json!({"action": "client.pages", "conversationId": conversation}),
            "x",
        )
        .await;
    assert_eq!(denied["code"], "forbidden", "{denied}");
    stack.stop().await;
}
