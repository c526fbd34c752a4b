//! Unite end to end on the local stack: a web visitor and a WhatsApp
//! contact with the same phone number are suggested, merged, keep writing
//! on their own channels as one client, and an admin undoes the merge.

use serde_json::{json, Value};
use switchboard_tests::admin::Api;
use switchboard_tests::channel_stack::start;
use switchboard_tests::channels::Vector;
use switchboard_tests::local::visitor;

/// The WhatsApp reference message (vector 003) as if written now, with its
/// own message id and text.
fn whatsapp_message(id: &str, text: &str) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut body: Value = serde_json::from_slice(&Vector::load("003").body()).unwrap();
    let message = &mut body["entry"][0]["changes"][0]["value"]["messages"][0];
    message["id"] = json!(id);
    message["timestamp"] = json!(now.to_string());
    message["text"]["body"] = json!(text);
    body
}

async fn preview(console: &mut switchboard_tests::ws::Client, id: &Value) -> Value {
    let p = console
        .request(
            json!({"action": "client.preview", "conversationId": id}),
            "preview",
        )
        .await;
    assert_eq!(p["event"], "client.preview", "{p}");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_visitor_and_a_whatsapp_contact_are_suggested_merged_and_unmerged() {
    let mut s = start().await;
    let (mut web, _) = visitor(&s.stack).await;
    let started = web
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": "fr", "browser": "Firefox", "os": "Linux",
                "widget": "Shop", "pageUrl": "https://shop.example.com/",
                "name": "Amélie", "phone": "+44 7700 900123", "email": "amelie@example.com"
            }}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    let web_conv = s.accept_waiting("webchat").await;
    // The entry form is checked, naming the field.
    let (mut careless, _) = visitor(&s.stack).await;
    let refused = careless
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": "fr", "browser": "", "os": "", "widget": "Shop",
                "pageUrl": "https://shop.example.com/", "email": "not-an-address"
            }}),
            "bad",
        )
        .await;
    assert_eq!(
        (&refused["code"], &refused["field"]),
        (&json!("invalid_field"), &json!("entry.email"))
    );
    // The client is found by the start of their e-mail address.
    let found = s
        .console
        .request(
            json!({"action": "conversation.search", "query": "Amelie@Exam"}),
            "by-email",
        )
        .await;
    assert_eq!(found["conversations"][0]["id"], web_conv["id"], "{found}");
    web.send(
        json!({"action": "page.view", "url": "https://shop.example.com/cart", "title": "Cart"}),
    )
    .await;
    s.console.expect("client.page").await;

    s.post_meta(
        "/webhooks/whatsapp",
        whatsapp_message("wamid.U1", "Bonjour"),
    )
    .await;
    let wa_conv = s.accept_waiting("whatsapp").await;
    assert_eq!(wa_conv["entry"]["phone"], "447700900123");

    // The panel of the web chat suggests the WhatsApp contact.
    let before = preview(&mut s.console, &web_conv["id"]).await;
    assert_eq!(before["suggestions"][0]["conversationId"], wa_conv["id"]);
    assert_eq!(before["suggestions"][0]["matched"], "phone");
    assert_eq!(
        before["pageViews"][0]["url"],
        "https://shop.example.com/cart"
    );
    assert_eq!(before["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(before["callParameters"]["browser"], "Firefox");

    // Merging into itself is refused and writes nothing.
    let itself = s
        .console
        .request(
            json!({"action": "client.merge", "conversationId": web_conv["id"],
                   "fromConversationId": web_conv["id"]}),
            "self",
        )
        .await;
    assert_eq!(
        (&itself["code"], &itself["field"]),
        (&json!("invalid_field"), &json!("fromConversationId"))
    );
    let unknown = s
        .console
        .request(
            json!({"action": "client.merge", "conversationId": web_conv["id"],
                   "fromConversationId": "conv_of_another_tenant"}),
            "elsewhere",
        )
        .await;
    assert_eq!(unknown["code"], "conversation_not_found", "{unknown}");

    let merge = json!({"action": "client.merge.plan", "conversationId": web_conv["id"],
                       "fromConversationId": wa_conv["id"]});
    let plan = s.console.request(merge.clone(), "plan").await;
    assert_eq!(plan["event"], "client.merge.plan", "{plan}");
    assert_eq!(plan["conflicts"][0]["field"], "name");
    assert_eq!(plan["conflicts"][0]["from"], "Amélie Dupont");
    let unchosen = s
        .console
        .request(
            json!({"action": "client.merge", "conversationId": web_conv["id"],
                   "fromConversationId": wa_conv["id"]}),
            "unchosen",
        )
        .await;
    assert_eq!(unchosen["field"], "choose.name", "{unchosen}");
    let merged = s
        .console
        .request(
            json!({"action": "client.merge", "conversationId": web_conv["id"],
                   "fromConversationId": wa_conv["id"], "choose": {"name": "from"}}),
            "merge",
        )
        .await;
    assert_eq!(merged["event"], "client.merged", "{merged}");
    assert_eq!(merged["client"]["name"], "Amélie Dupont");
    let merge_id = merged["mergeId"].as_str().unwrap().to_string();

    // WhatsApp again: the message lands in the WhatsApp conversation, which
    // is the web visitor's client's now, and replies still go to WhatsApp.
    s.post_meta(
        "/webhooks/whatsapp",
        whatsapp_message("wamid.U2", "Encore moi"),
    )
    .await;
    let again = s
        .console
        .expect_where("the second WhatsApp message", |e| {
            e["event"] == "message" && e["message"]["text"] == "Encore moi"
        })
        .await;
    assert_eq!(again["message"]["conversation"], wa_conv["id"]);
    // A provider retry of it changes nothing.
    s.post_meta(
        "/webhooks/whatsapp",
        whatsapp_message("wamid.U2", "Encore moi"),
    )
    .await;
    let united = preview(&mut s.console, &wa_conv["id"]).await;
    assert_eq!(united["visitorId"], before["visitorId"]);
    assert_eq!(united["name"], "Amélie Dupont");
    let channels: Vec<&str> = united["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, vec!["webchat", "whatsapp"]);
    assert_eq!(united["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(united["pageViews"][0]["title"], "Cart");
    assert!(united["suggestions"].as_array().unwrap().is_empty());
    let texts: Vec<&str> = united["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(texts, vec!["Bonjour", "Encore moi"], "stored once each");
    let found = s
        .console
        .request(
            json!({"action": "conversation.search", "query": "dupont"}),
            "search",
        )
        .await;
    assert_eq!(
        found["conversations"].as_array().unwrap().len(),
        2,
        "{found}"
    );

    // The admin undoes it, once.
    let api = Api::new(&s.stack);
    let admin = s.stack.seed.admin_token.clone();
    // The demo's alice has an account (the local stack seeds it), so her
    // token works on the admin API.
    let (status, listed) = api.call("GET", "/admin/merges", Some(&admin), None).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["items"][0]["id"], merge_id.as_str());
    let undo = format!("/admin/merges/{merge_id}/undo");
    let (status, undone) = api.call("POST", &undo, Some(&admin), None).await;
    assert_eq!(status, 200, "{undone}");
    assert!(undone["undone"]["at"].as_u64().is_some());
    let (status, twice) = api.call("POST", &undo, Some(&admin), None).await;
    assert_eq!(status, 409, "{twice}");
    let apart = preview(&mut s.console, &web_conv["id"]).await;
    assert_eq!(apart["name"], "Amélie");
    assert_eq!(apart["channels"].as_array().unwrap().len(), 1);
    let wa_apart = preview(&mut s.console, &wa_conv["id"]).await;
    assert_eq!(wa_apart["name"], "Amélie Dupont");
    assert_eq!(wa_apart["visitorId"], wa_conv["visitor"]);
    // Apart again, they are suggested again.
    assert_eq!(apart["suggestions"][0]["conversationId"], wa_conv["id"]);
    s.stack.stop().await;
}
