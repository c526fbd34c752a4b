//! Hero Cards through WhatsApp and Apple, end to end on the local stack: the
//! operator sends a card, the fake provider receives the rendering (a Flow,
//! reply buttons, an Apple form), and the client's reply comes back as a
//! signed webhook. The inbound function passes it to the card function over
//! the card queue, and the operator hears the outcome.

use serde_json::{json, Value};
use switchboard_tests::channel_stack::{start, Stack};
use switchboard_tests::channels::{meta_signature, Vector};

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The reference WhatsApp text, written just now (the 24-hour window runs
/// from it), and the conversation it starts, accepted.
async fn whatsapp_conversation(s: &mut Stack) -> Value {
    let body = String::from_utf8(Vector::load("003").body())
        .unwrap()
        .replace(
            "\"timestamp\":\"1767225601\"",
            &format!("\"timestamp\":\"{}\"", unix_now()),
        );
    let headers = [(
        "X-Hub-Signature-256".to_string(),
        meta_signature(body.as_bytes()),
    )];
    let (status, _) = s
        .post("/webhooks/whatsapp", &headers, body.into_bytes())
        .await;
    assert_eq!(status, 200);
    s.accept_waiting("whatsapp").await
}

async fn define(s: &mut Stack, card: Value) -> String {
    let saved = s
        .console
        .request(json!({"action": "card.put", "card": card}), "put")
        .await;
    assert_eq!(saved["event"], "card.saved", "{saved}");
    saved["card"]["id"].as_str().unwrap().to_string()
}

async fn send(s: &mut Stack, conversation: &Value, card: &str, n: u32, values: Value) -> String {
    let ack = s
        .console
        .request(
            json!({"action": "card.send", "conversationId": conversation["id"], "cardId": card,
                   "clientMessageId": format!("card-{n}"), "values": values}),
            "send",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    s.console
        .expect_where("card", |e| {
            e["event"] == "card" && e["card"]["state"] == "open"
        })
        .await["card"]["instanceId"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A WhatsApp interactive reply from the reference contact, signed.
async fn whatsapp_reply(s: &Stack, wamid: &str, interactive: Value) {
    let payload = json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
            "contacts": [{"profile": {"name": "Amélie Dupont"}, "wa_id": "447700900123"}],
            "messages": [{"from": "447700900123", "id": wamid, "timestamp": unix_now().to_string(),
                          "type": "interactive", "interactive": interactive}]}}]}]});
    s.post_meta("/webhooks/whatsapp", payload).await;
}

async fn answered(s: &mut Stack, instance: &str) -> Value {
    s.console
        .expect_where("card.answered", |e| {
            e["event"] == "card.answered" && e["card"]["instanceId"] == instance
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatsapp_flow_and_button_replies_answer_cards() {
    let mut s = start().await;
    let conversation = whatsapp_conversation(&mut s).await;
    let fields = json!([
        {"id": "name", "label": "Name", "type": "text", "required": true},
        {"id": "delivery_date", "label": "Delivery", "type": "date", "required": true}]);
    let flow_card = define(
        &mut s,
        json!({"name": "Delivery (Flow)", "language": "en",
        "channel": "whatsapp", "title": "Your delivery", "text": "Please review your details",
        "fields": fields, "whatsappFlowId": "1187654321"}),
    )
    .await;
    let button_card = define(
        &mut s,
        json!({"name": "Delivery", "language": "en",
        "channel": "whatsapp", "title": "Your delivery", "text": "Please review your details",
        "fields": fields}),
    )
    .await;

    // A Flow: prefilled, answered with the client's data.
    let first = send(
        &mut s,
        &conversation,
        &flow_card,
        1,
        json!({"name": "Amélie Dupont"}),
    )
    .await;
    let sent = s.provider.next().await.json();
    assert_eq!(sent["type"], "interactive");
    let parameters = &sent["interactive"]["action"]["parameters"];
    assert_eq!(parameters["flow_token"], first.as_str());
    assert_eq!(
        parameters["flow_action_payload"]["data"]["name"],
        "Amélie Dupont"
    );
    let response =
        json!({"flow_token": first, "name": "Amélie Dupont", "delivery_date": "2026-01-09"});
    whatsapp_reply(
        &s,
        "wamid.FLOW1",
        json!({"type": "nfm_reply", "nfm_reply": {
        "name": "flow", "body": "Sent", "response_json": response.to_string()}}),
    )
    .await;
    let outcome = answered(&mut s, &first).await;
    assert_eq!(outcome["outcome"], "confirmed", "{outcome}");
    assert_eq!(outcome["by"], "client");
    assert_eq!(outcome["sound"], true);
    assert_eq!(outcome["card"]["values"]["delivery_date"], "2026-01-09");
    let line = s.provider.next().await.json();
    assert_eq!(
        line["text"]["body"], "Confirmed by the client",
        "the client reads the outcome too"
    );

    // Reply buttons: Cancel.
    let second = send(
        &mut s,
        &conversation,
        &button_card,
        2,
        json!({"name": "Amélie"}),
    )
    .await;
    let sent = s.provider.next().await.json();
    let buttons = sent["interactive"]["action"]["buttons"]
        .as_array()
        .unwrap()
        .clone();
    let cancel = buttons
        .iter()
        .find(|b| b["reply"]["title"] == "Cancel")
        .expect("a Cancel button");
    whatsapp_reply(
        &s,
        "wamid.BUTTON1",
        json!({"type": "button_reply",
        "button_reply": {"id": cancel["reply"]["id"], "title": "Cancel"}}),
    )
    .await;
    let outcome = answered(&mut s, &second).await;
    assert_eq!(outcome["outcome"], "cancelled", "{outcome}");
    assert_eq!(outcome["card"]["outcomeText"], "Cancelled by the client");
    let line = s.provider.next().await.json();
    assert_eq!(line["text"]["body"], "Cancelled by the client");

    // A late Confirm tap on the same card: refused, and the client is told.
    let confirm = buttons
        .iter()
        .find(|b| b["reply"]["title"] == "Confirm")
        .expect("a Confirm button");
    whatsapp_reply(
        &s,
        "wamid.BUTTON2",
        json!({"type": "button_reply",
        "button_reply": {"id": confirm["reply"]["id"], "title": "Confirm"}}),
    )
    .await;
    let told = s.provider.next().await.json();
    assert_eq!(
        told["text"]["body"], "Your delivery: Cancelled by the client",
        "{told}"
    );
    s.stack.stop().await;
}

/// An Apple interactive reply to `instance` from the reference client, with
/// the reference vector's headers (Apple authenticates the header, not the
/// body) and a fresh message id.
async fn apple_reply(s: &Stack, id: &str, data: Value) {
    let vector = Vector::load("022");
    let mut body: Value = serde_json::from_slice(&vector.body()).unwrap();
    body["id"] = json!(id);
    body["interactiveData"]["data"] = data;
    let headers: Vec<(String, String)> = vector
        .headers()
        .into_iter()
        .map(|(k, v)| {
            if k == "id" {
                (k, id.to_string())
            } else {
                (k, v)
            }
        })
        .collect();
    let (status, answer) = s
        .post(
            "/webhooks/apple/message",
            &headers,
            body.to_string().into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apple_form_and_list_picker_replies_answer_cards() {
    let mut s = start().await;
    s.replay("019").await;
    let conversation = s.accept_waiting("apple").await;
    let card = define(
        &mut s,
        json!({"name": "Booking", "language": "en", "channel": "apple",
        "title": "Your table", "text": "Please check your booking.",
        "fields": [{"id": "day", "label": "Day", "type": "date", "required": true},
                   {"id": "menu", "label": "Menu", "type": "choice", "options": [
                       {"id": "veg", "label": "Vegetarian"}, {"id": "fish", "label": "Fish"}]}]}),
    )
    .await;

    // The client's device shows forms: a form with a page per field.
    let first = send(
        &mut s,
        &conversation,
        &card,
        1,
        json!({"day": "2026-12-24"}),
    )
    .await;
    let sent = s.provider.next().await.json();
    let data = &sent["interactiveData"]["data"];
    assert_eq!(data["requestIdentifier"], first.as_str());
    assert_eq!(data["dynamic"]["template"], "messageForms");
    apple_reply(&s, "8a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c01", json!({
        "version": "1.0", "requestIdentifier": first,
        "dynamic": {"template": "messageForms", "selections": [
            {"pageIdentifier": "day", "title": "Day", "items": [{"identifier": "day", "value": "2026-12-31"}]},
            {"pageIdentifier": "menu", "title": "Menu", "items": [{"identifier": "fish", "title": "Fish", "value": "fish"}]},
            {"pageIdentifier": "decision", "title": "Your table", "items": [{"identifier": "confirm", "value": "confirm"}]}]}}))
    .await;
    let outcome = answered(&mut s, &first).await;
    assert_eq!(outcome["outcome"], "confirmed", "{outcome}");
    assert_eq!(
        outcome["card"]["values"],
        json!({"day": "2026-12-31", "menu": "fish"})
    );
    let line = s.provider.next().await.json();
    assert_eq!(
        line["body"], "Confirmed by the client",
        "Apple's client reads the outcome too"
    );

    // A list picker's Cancel answers the next one.
    let second = send(&mut s, &conversation, &card, 2, json!({})).await;
    s.provider.next().await;
    apple_reply(&s, "8a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c02", json!({
        "version": "1.0", "requestIdentifier": second,
        "listPicker": {"sections": [{"title": "Your table", "order": 0, "multipleSelection": false,
            "items": [{"identifier": "cancel", "title": "Cancel", "order": 1, "style": "default"}]}]}}))
    .await;
    let outcome = answered(&mut s, &second).await;
    assert_eq!(outcome["outcome"], "cancelled", "{outcome}");
    s.stack.stop().await;
}

/// The reference client wrote long ago: only a template reaches them. The
/// operator's text is refused pointing at templates, the template goes out,
/// and the client's quick-reply answer opens the window again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_reaches_a_silent_client_and_the_answer_reopens_the_window() {
    let mut s = start().await;
    s.replay("003").await; // written on 1 January 2026: the window is long closed
    let conversation = s.accept_waiting("whatsapp").await;
    let refused = s
        .console
        .request(
            json!({"action": "message.send", "conversationId": conversation["id"],
                   "clientMessageId": "late-1", "text": "Are you still there?"}),
            "late",
        )
        .await;
    assert_eq!(refused["code"], "window_closed", "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("template.send"));

    // The account's approved templates, read from the (fake) Graph API in two pages.
    let synced = s
        .console
        .request(json!({"action": "template.sync"}), "sync")
        .await;
    assert_eq!(synced["event"], "template.synced", "{synced}");
    assert_eq!(synced["templates"].as_array().unwrap().len(), 2, "{synced}");
    let listed = s
        .console
        .request(json!({"action": "template.list", "language": "en"}), "list")
        .await;
    assert_eq!(
        listed["templates"][0]["name"], "ticket_followup",
        "{listed}"
    );
    let send = |parameters: Value, n: u32| {
        json!({"action": "template.send", "conversationId": conversation["id"],
               "clientMessageId": format!("tpl-{n}"), "name": "ticket_followup",
               "language": "en_US", "parameters": {"body": parameters}})
    };
    let missing = s
        .console
        .request(send(json!(["Amélie"]), 1), "missing")
        .await;
    assert_eq!(missing["field"], "parameters.body", "{missing}");
    let extra = s
        .console
        .request(send(json!(["Amélie", "4411", "x"]), 1), "extra")
        .await;
    assert_eq!(extra["field"], "parameters.body", "{extra}");
    let preview = s
        .console
        .request(
            json!({"action": "template.preview", "conversationId": conversation["id"],
                   "name": "ticket_followup", "language": "en_US",
                   "parameters": {"body": ["Amélie", "4411"]}}),
            "preview",
        )
        .await;
    assert_eq!(
        preview["text"], "Hi Amélie, your ticket 4411 is waiting. Continue?",
        "{preview}"
    );
    let ack = s
        .console
        .request(send(json!(["Amélie", "4411"]), 2), "send")
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    let sent = s.provider.next().await.json();
    assert_eq!(sent["type"], "template");
    assert_eq!(sent["template"]["name"], "ticket_followup");
    assert_eq!(
        preview["payload"]["template"], sent["template"],
        "the preview is what is sent"
    );
    s.delivery("sent").await;

    // The client taps the quick reply (vector 007's shape, written now).
    let answer = json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
            "contacts": [{"profile": {"name": "Amélie Dupont"}, "wa_id": "447700900123"}],
            "messages": [{"from": "447700900123", "id": "wamid.QUICK1", "timestamp": unix_now().to_string(),
                          "type": "button", "button": {"payload": "Yes, continue", "text": "Yes, continue"}}]}}]}]});
    s.post_meta("/webhooks/whatsapp", answer).await;
    s.console
        .expect_where("the client's answer", |e| {
            e["event"] == "message" && e["message"]["reply"]["kind"] == "template_button"
        })
        .await;
    let ack = s.reply(&conversation, "Great, let us continue.").await;
    assert_eq!(ack["event"], "message.ack");
    let sent = s.provider.next().await.json();
    assert_eq!(sent["type"], "text", "the window is open again: {sent}");
    s.stack.stop().await;
}

/// A reply over 10 KB arrives as Apple's `interactiveDataRef` (vector 027):
/// the inbound function fetches it through the MSP download flow (a fake
/// MSP here), decrypts it with the reference's key, has it decoded, and the
/// decoded list-picker selection answers the card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_apple_reply_is_fetched_decrypted_and_answers_the_card() {
    let mut s = start().await;
    s.replay("019").await;
    let conversation = s.accept_waiting("apple").await;
    let card = define(
        &mut s,
        json!({"name": "Booking", "language": "en", "channel": "apple",
        "title": "Your booking", "text": "Please confirm.", "fields": []}),
    )
    .await;
    let instance = send(&mut s, &conversation, &card, 1, json!({})).await;
    s.provider.next().await;

    let decoded = json!({
        "bid": "com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension",
        "data": {"version": "1.0", "requestIdentifier": instance,
                 "listPicker": {"sections": [{"title": "Your booking", "order": 0, "multipleSelection": false,
                     "items": [{"identifier": "confirm", "title": "Confirm", "order": 0, "style": "default"}]}]}},
        "replyMessage": {"title": "Confirm", "style": "icon"}});
    let key = Vector::load("027").raw["body"].as_str().map(|b| {
        let body: Value = serde_json::from_str(b).unwrap();
        body["interactiveDataRef"]["key"]
            .as_str()
            .unwrap()
            .to_string()
    });
    let sealed = switchboard_app::channels::apple_idr::decrypt(
        &key.unwrap(),
        decoded.to_string().as_bytes(),
    )
    .unwrap();
    s.provider.set_apple_blob(sealed);
    s.replay("027").await;

    let outcome = answered(&mut s, &instance).await;
    assert_eq!(outcome["outcome"], "confirmed", "{outcome}");
    let reads = s.provider.msp_reads();
    let pre = reads
        .iter()
        .find(|r| r.path == "/apple/v1/preDownload")
        .expect("preDownload");
    assert_eq!(pre.headers["owner"], "p42-content.icloud.com");
    assert_eq!(pre.headers["signature"], "2bVEDVlehDyoNQDCx8qDmk8D/j8=");
    assert!(pre.headers["authorization"]
        .to_str()
        .unwrap()
        .starts_with("Bearer "));
    let decode = reads
        .iter()
        .find(|r| r.path == "/apple/v1/decodePayload")
        .expect("decodePayload");
    assert_eq!(
        decode.json(),
        decoded,
        "decodePayload received the decrypted bytes"
    );
    s.stack.stop().await;
}

/// WhatsApp's Edit button: the client gets a link to the card's form page,
/// which loads the card with the token in the link and posts the edited
/// answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatsapp_edit_links_to_the_cards_form() {
    let mut s = start().await;
    let conversation = whatsapp_conversation(&mut s).await;
    let card = define(&mut s, json!({"name": "Delivery", "language": "en", "channel": "whatsapp",
        "title": "Your delivery", "text": "Please review your details",
        "fields": [{"id": "name", "label": "Name", "type": "text", "required": true},
                   {"id": "delivery_date", "label": "Delivery", "type": "date", "required": true}]}))
    .await;
    let instance = send(
        &mut s,
        &conversation,
        &card,
        1,
        json!({"name": "Amélie", "delivery_date": "2026-01-09"}),
    )
    .await;
    s.provider.next().await;
    whatsapp_reply(
        &s,
        "wamid.EDIT1",
        json!({"type": "button_reply",
        "button_reply": {"id": format!("card:{instance}:edit"), "title": "Edit"}}),
    )
    .await;

    let link_message = s.provider.next().await.json();
    let text = link_message["text"]["body"].as_str().unwrap().to_string();
    let link = text.split_whitespace().last().unwrap().to_string();
    let (url, token) = link
        .split_once("#t=")
        .expect("the token rides in the fragment");
    assert!(url.ends_with(&format!("/cards/{instance}/form")), "{link}");
    let page = s.http.get(url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains(&instance));

    let base = s.stack.http_url();
    let view: Value = s
        .http
        .get(format!("{base}/cards/{instance}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|body| serde_json::from_str(&body).unwrap())
        .unwrap();
    assert_eq!(view["values"]["delivery_date"], "2026-01-09", "{view}");
    let answer = s
        .http
        .post(format!("{base}/cards/{instance}/submit"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(
            json!({"outcome": "confirmed", "values": {"delivery_date": "2026-01-12"}}).to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let outcome = answered(&mut s, &instance).await;
    assert_eq!(
        outcome["card"]["values"]["delivery_date"], "2026-01-12",
        "{outcome}"
    );
    s.stack.stop().await;
}
