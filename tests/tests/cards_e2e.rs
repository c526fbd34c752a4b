//! Hero Cards in a web chat, end to end on the local stack: an admin
//! defines a card over the console socket, the operator lists, previews,
//! prefills and sends it, and the client answers through the
//! hero-card-submit function's HTTP route with its visitor token. The
//! first answer wins: one outcome line on both sides, one notification to
//! the operator, and every later answer refused.

use serde_json::{json, Value};
use switchboard_local::Running;
use switchboard_tests::local::{operator, start};
use switchboard_tests::ws::Client;

fn booking() -> Value {
    json!({
        "name": "Table booking", "language": "en", "channel": "webchat",
        "title": "Your table", "text": "Please check your booking.",
        "fields": [
            {"id": "name", "label": "Name", "type": "text", "required": true},
            {"id": "day", "label": "Day", "type": "date", "required": true},
            {"id": "guests", "label": "Guests", "type": "number", "default": 2},
            {"id": "menu", "label": "Menu", "type": "choice", "options": [
                {"id": "veg", "label": "Vegetarian"}, {"id": "fish", "label": "Fish"}]}
        ]
    })
}

/// A visitor in an active conversation with alice: the visitor's socket,
/// token and conversation id.
async fn chatting(stack: &Running, alice: &mut Client) -> (Client, String, String) {
    let (mut v, token) = switchboard_tests::local::visitor(stack).await;
    let started = v
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": "en-GB", "browser": "b", "os": "o",
                "widget": "w", "pageUrl": "https://example.com", "name": "Ada"}}),
            "start",
        )
        .await;
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let accepted = alice
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "accept",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    v.expect("conversation.accepted").await;
    (v, token, id)
}

async fn send_card(
    alice: &mut Client,
    conversation: &str,
    card: &str,
    n: u32,
    values: Value,
) -> Value {
    let ack = alice
        .request(
            json!({"action": "card.send", "conversationId": conversation, "cardId": card,
                   "clientMessageId": format!("card-{n}"), "values": values}),
            "send",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    alice
        .expect_where("card", |e| {
            e["event"] == "card" && e["card"]["state"] == "open"
        })
        .await["card"]
        .clone()
}

async fn submit(stack: &Running, instance: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/cards/{instance}/submit", stack.http_url()))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The chat lines carrying a card's outcome among `events`.
fn outcome_lines(events: &[Value], instance: &str) -> Vec<String> {
    events
        .iter()
        .filter(|e| {
            e["event"] == "message"
                && e["message"]["type"] == "system"
                && e["message"]["event"]["instance"] == instance
        })
        .map(|e| e["message"]["event"]["text"].as_str().unwrap().to_string())
        .collect()
}

/// Everything the socket holds once a ping has come back: pushes made
/// before the ping are in by then.
async fn drained(c: &mut Client, n: u32) -> Vec<Value> {
    c.request(json!({"action": "ping"}), &format!("sync-{n}"))
        .await;
    c.take_unconsumed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prefilled_card_is_answered_once() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;

    // Only admins define cards, and a card the channel cannot show is refused.
    let refused = bob
        .request(json!({"action": "card.put", "card": booking()}), "bob")
        .await;
    assert_eq!(refused["code"], "forbidden", "{refused}");
    let refused = bob
        .request(
            json!({"action": "template.put", "name": "reengage", "language": "en",
                   "category": "UTILITY", "components": [{"type": "BODY", "text": "Hi"}]}),
            "bob-template",
        )
        .await;
    assert_eq!(refused["code"], "forbidden", "{refused}");
    let template = |name: &str| {
        json!({"action": "template.put", "name": name, "language": "en",
               "category": "UTILITY", "components": [{"type": "BODY", "text": "Hi {{1}}"}]})
    };
    let refused = alice.request(template("Re Engage"), "bad-template").await;
    assert_eq!(refused["field"], "name", "{refused}");
    let saved = alice.request(template("reengage"), "template").await;
    assert_eq!(saved["event"], "template.saved", "{saved}");
    let mut bad = booking();
    bad["fields"][3]["options"][0]["label"] = json!("");
    let refused = alice
        .request(json!({"action": "card.put", "card": bad}), "bad")
        .await;
    assert_eq!(refused["code"], "invalid_field", "{refused}");
    assert_eq!(
        refused["field"], "card.fields[3].options[0].label",
        "{refused}"
    );
    let saved = alice
        .request(json!({"action": "card.put", "card": booking()}), "put")
        .await;
    assert_eq!(saved["event"], "card.saved", "{saved}");
    let card_id = saved["card"]["id"].as_str().unwrap().to_string();
    let mut german = booking();
    german["language"] = json!("de");
    german["name"] = json!("Tischreservierung");
    alice
        .request(json!({"action": "card.put", "card": german}), "de")
        .await;

    let (mut v, token, conversation) = chatting(&stack, &mut alice).await;
    // The client's language (en-GB) finds the English cards only (the demo
    // tenant's seeded "Delivery slot" and this one); German on request.
    let listed = alice
        .request(
            json!({"action": "card.list", "conversationId": conversation}),
            "list",
        )
        .await;
    let names: Vec<&str> = listed["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Delivery slot", "Table booking"], "{listed}");
    let listed = alice
        .request(
            json!({"action": "card.list", "conversationId": conversation, "language": "de"}),
            "list-de",
        )
        .await;
    assert_eq!(listed["cards"][0]["name"], "Tischreservierung", "{listed}");

    let preview = alice
        .request(
            json!({"action": "card.preview", "cardId": card_id, "conversationId": conversation,
                   "values": {"name": "Ada"}}),
            "preview",
        )
        .await;
    assert_eq!(
        preview["card"]["values"],
        json!({"name": "Ada", "guests": 2}),
        "{preview}"
    );
    let wrong = alice
        .request(
            json!({"action": "card.preview", "cardId": card_id, "values": {"guests": "many"}}),
            "wrong",
        )
        .await;
    assert_eq!(wrong["field"], "values.guests", "{wrong}");

    // Sent prefilled: the client sees the card with the operator's edits.
    let sent = send_card(
        &mut alice,
        &conversation,
        &card_id,
        1,
        json!({"name": "Ada", "menu": "fish"}),
    )
    .await;
    let instance = sent["instanceId"].as_str().unwrap().to_string();
    let shown = v.expect("card").await;
    assert_eq!(shown["card"]["values"]["menu"], "fish", "{shown}");
    assert_eq!(shown["card"]["confirmLabel"], "Confirm");
    assert_eq!(
        shown["card"]["submitPath"],
        format!("/cards/{instance}/submit")
    );

    // Bad answers change nothing.
    assert_eq!(
        submit(&stack, &instance, None, json!({"outcome": "confirmed"}))
            .await
            .0,
        401
    );
    let (status, body) = submit(
        &stack,
        &instance,
        Some(&token),
        json!({"outcome": "confirmed",
        "values": {"day": "tomorrow"}}),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("values.day")),
        "{body}"
    );
    let (status, body) = submit(
        &stack,
        &instance,
        Some(&token),
        json!({"outcome": "confirmed"}),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("values.day")),
        "a required field: {body}"
    );
    assert_eq!(
        submit(
            &stack,
            "ci_nothing",
            Some(&token),
            json!({"outcome": "cancelled"})
        )
        .await
        .0,
        404
    );
    let (_, stranger) = switchboard_tests::local::visitor(&stack).await;
    assert_eq!(
        submit(
            &stack,
            &instance,
            Some(&stranger),
            json!({"outcome": "cancelled"})
        )
        .await
        .0,
        404,
        "another client's card does not exist for them"
    );

    // The client edits and confirms; three deliveries, one outcome.
    let answer = json!({"outcome": "confirmed", "values": {"day": "2026-12-24", "menu": "veg"}});
    let (status, body) = submit(&stack, &instance, Some(&token), answer.clone()).await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..2 {
        let (status, body) = submit(&stack, &instance, Some(&token), answer.clone()).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("card_already_answered")),
            "{body}"
        );
    }
    let answered = alice.expect("card.answered").await;
    assert_eq!(answered["sound"], true);
    assert_eq!(answered["by"], "client");
    assert_eq!(
        answered["card"]["values"]["day"], "2026-12-24",
        "{answered}"
    );
    assert_eq!(answered["card"]["values"]["menu"], "veg");
    assert_eq!(answered["card"]["values"]["name"], "Ada");
    let seen_by_alice = drained(&mut alice, 1).await;
    let seen_by_client = drained(&mut v, 1).await;
    assert!(
        !seen_by_alice.iter().any(|e| e["event"] == "card.answered"),
        "one notification: {seen_by_alice:#?}"
    );
    assert!(!seen_by_client.iter().any(|e| e["event"] == "card.answered"));
    assert_eq!(
        outcome_lines(&seen_by_alice, &instance),
        ["Confirmed by the client"],
        "{seen_by_alice:#?}"
    );
    assert_eq!(
        outcome_lines(&seen_by_client, &instance),
        ["Confirmed by the client"]
    );

    // The operator cancels the next one from their side.
    let sent = send_card(&mut alice, &conversation, &card_id, 2, json!({})).await;
    let second = sent["instanceId"].as_str().unwrap().to_string();
    let resolved = alice
        .request(
            json!({"action": "card.resolve", "instanceId": second, "outcome": "cancelled"}),
            "cancel",
        )
        .await;
    assert_eq!(resolved["event"], "card", "{resolved}");
    assert_eq!(resolved["card"]["outcome"], "cancelled");
    let late = submit(
        &stack,
        &second,
        Some(&token),
        json!({"outcome": "confirmed",
        "values": {"name": "Ada", "day": "2026-12-24"}}),
    )
    .await;
    assert_eq!(late.0, 409, "{late:?}");
    let by_bob = bob
        .request(
            json!({"action": "card.resolve", "instanceId": second, "outcome": "confirmed"}),
            "bob",
        )
        .await;
    assert_eq!(by_bob["event"], "error", "{by_bob}");
    let seen_by_alice = drained(&mut alice, 2).await;
    let seen_by_client = drained(&mut v, 2).await;
    assert_eq!(
        outcome_lines(&seen_by_alice, &second),
        ["Cancelled by the operator"]
    );
    assert_eq!(
        outcome_lines(&seen_by_client, &second),
        ["Cancelled by the operator"]
    );
    assert!(
        seen_by_alice
            .iter()
            .any(|e| e["event"] == "card.answered" && e["sound"] == false),
        "the operator's own answer plays no sound"
    );

    // A client's confirm racing the operator's cancel: exactly one line.
    let sent = send_card(
        &mut alice,
        &conversation,
        &card_id,
        3,
        json!({"name": "Ada", "day": "2026-12-31"}),
    )
    .await;
    let third = sent["instanceId"].as_str().unwrap().to_string();
    let client = submit(
        &stack,
        &third,
        Some(&token),
        json!({"outcome": "confirmed"}),
    );
    let operator_cancel = async {
        alice
            .send(
                json!({"action": "card.resolve", "instanceId": third, "outcome": "cancelled",
            "requestId": "race"}),
            )
            .await;
    };
    let ((status, _), ()) = tokio::join!(client, operator_cancel);
    assert!(status == 200 || status == 409, "{status}");
    let seen_by_alice = drained(&mut alice, 3).await;
    let seen_by_client = drained(&mut v, 3).await;
    let lines = outcome_lines(&seen_by_alice, &third);
    assert_eq!(lines.len(), 1, "{seen_by_alice:#?}");
    assert_eq!(outcome_lines(&seen_by_client, &third), lines);
    let expected = if status == 200 {
        "Confirmed by the client"
    } else {
        "Cancelled by the operator"
    };
    assert_eq!(lines[0], expected);
}

/// A card nobody answers: the sweep ends it once its time is up, both sides
/// see it expired, the operator is told, and a late answer gets 410.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_card_expires() {
    use std::sync::Arc;
    use switchboard_tests::fakes::FixedClock;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(1_800_000_000_000));
    let stack = switchboard_tests::local::start_with_clock(dir.path(), clock.clone()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let mut card = booking();
    card["expiresAfterSeconds"] = json!(120);
    let saved = alice
        .request(json!({"action": "card.put", "card": card}), "put")
        .await;
    let card_id = saved["card"]["id"].as_str().unwrap().to_string();
    let (mut v, token, conversation) = chatting(&stack, &mut alice).await;
    let sent = send_card(&mut alice, &conversation, &card_id, 1, json!({})).await;
    let instance = sent["instanceId"].as_str().unwrap().to_string();
    v.expect("card").await;

    // Alice's console keeps pinging, or the sweep would take her offline.
    clock.advance(59_000);
    alice.request(json!({"action": "ping"}), "p1").await;
    clock.advance(60_000);
    alice.request(json!({"action": "ping"}), "p2").await;
    stack.functions.assign.sweep().await.unwrap();
    clock.advance(2_000);
    stack.functions.assign.sweep().await.unwrap();
    let expired = alice.expect("card.expired").await;
    assert_eq!(expired["card"]["instanceId"], instance.as_str());
    assert_eq!(expired["card"]["state"], "expired");
    let shown = v
        .expect_where("card expired", |e| {
            e["event"] == "card" && e["card"]["state"] == "expired"
        })
        .await;
    assert_eq!(shown["card"]["instanceId"], instance.as_str());
    let (status, body) = submit(
        &stack,
        &instance,
        Some(&token),
        json!({"outcome": "cancelled"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (410, Some("card_expired")),
        "{body}"
    );
    // The next sweep finds nothing more.
    stack.functions.assign.sweep().await.unwrap();
    let rest = drained(&mut alice, 9).await;
    assert!(
        !rest.iter().any(|e| e["event"] == "card.expired"),
        "{rest:#?}"
    );
}
