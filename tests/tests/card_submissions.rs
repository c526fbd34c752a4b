//! The hero-card-submit function's queue: channel answers arrive as SQS
//! batches, at least once. The same answer delivered three times gives one
//! outcome, one chat line and one notification; an answer for another
//! client's card or after the outcome is dropped (a retry could not
//! succeed), and a record that is not an answer is reported as the batch's
//! failure. On both stores.

use serde_json::json;
use std::sync::Arc;
use switchboard_app::{Clock, ConnectRequest, Store};
use switchboard_domain::cards::{CardDefinition, CardInstance, CardState, CardSubmission};
use switchboard_domain::*;
use switchboard_tests::channels::{harness, harness_with, sqs_event, ChannelHarness};
use switchboard_tests::stores;

const OP_CONN: &str = "op-conn";

async fn active_conversation(h: &ChannelHarness) -> Conversation {
    let t = h.tenant_with_widget("demo", 3).await;
    let token = h
        .tokens
        .issue_operator(
            &t,
            &OperatorId::parse("alice").unwrap(),
            "Alice",
            &[Role::Operator],
            Timestamp(u64::MAX / 4),
        )
        .unwrap();
    h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: OP_CONN.into(),
            token: Some(token),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    let c = Conversation::start(
        ConversationId::parse("conv-1").unwrap(),
        t.clone(),
        VisitorId::parse("vis-1").unwrap(),
        Channel::WebChat,
        EntryInfo {
            entry_type: EntryType::Chat,
            language: "fr-CA".into(),
            browser: "b".into(),
            os: "o".into(),
            widget: "w".into(),
            page_url: "https://example.com".into(),
            name: None,
            phone: None,
            email: None,
        },
        h.clock.now(),
    );
    h.store.start_conversation(c.clone()).await.unwrap();
    h.store
        .accept(
            &t,
            &c.id,
            &OperatorId::parse("alice").unwrap(),
            h.clock.now(),
        )
        .await
        .unwrap()
        .conversation
}

async fn sent_card(h: &ChannelHarness, conversation: &Conversation) -> CardInstance {
    let card: CardDefinition = serde_json::from_value(json!({
        "id": "booking", "tenant": "demo", "name": "Booking", "language": "fr",
        "channel": "webchat", "title": "Votre table", "text": "Merci de vérifier.",
        "fields": [{"id": "day", "label": "Jour", "type": "date", "required": true}],
        "updatedAt": 0
    }))
    .unwrap();
    h.store.put_card(&card).await.unwrap();
    let instance = CardInstance::new(
        "ci_1".into(),
        conversation.id.clone(),
        card,
        &serde_json::from_value(json!({"day": "2026-12-24"})).unwrap(),
        OperatorId::parse("alice").unwrap(),
        conversation.entry.language.clone(),
        h.clock.now(),
    )
    .unwrap();
    h.store.put_instance(&instance).await.unwrap()
}

fn answer(visitor: &str, outcome: CardOutcome) -> String {
    serde_json::to_string(&CardSubmission {
        tenant: TenantId::parse("demo").unwrap(),
        instance: "ci_1".into(),
        visitor: VisitorId::parse(visitor).unwrap(),
        outcome,
        values: Default::default(),
    })
    .unwrap()
}

async fn three_deliveries_one_outcome(store: Arc<dyn Store>) {
    let h = harness_with(store);
    let conversation = active_conversation(&h).await;
    sent_card(&h, &conversation).await;
    h.push.take();

    // Another client's answer and a record that is no answer.
    let batch = sqs_event(
        vec![answer("vis-2", CardOutcome::Cancelled), "{}".into()],
        1,
    );
    let response = hero_card_submit::handle_batch(&h.functions.cards, batch).await;
    let failed: Vec<_> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone())
        .collect();
    assert_eq!(failed, ["m1"], "only the unreadable record is retried");

    // The same answer three times: twice in one batch, once redelivered.
    let confirm = answer("vis-1", CardOutcome::Confirmed);
    let batch = sqs_event(vec![confirm.clone(), confirm.clone()], 1);
    assert!(hero_card_submit::handle_batch(&h.functions.cards, batch)
        .await
        .batch_item_failures
        .is_empty());
    let batch = sqs_event(vec![confirm, answer("vis-1", CardOutcome::Cancelled)], 2);
    assert!(hero_card_submit::handle_batch(&h.functions.cards, batch)
        .await
        .batch_item_failures
        .is_empty());

    let stored = h
        .store
        .instance(&conversation.tenant, "ci_1")
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        stored.state,
        CardState::Resolved {
            outcome: CardOutcome::Confirmed,
            ..
        }
    ));
    let to_operator = h.push.to(OP_CONN);
    let answered: Vec<_> = to_operator
        .iter()
        .filter(|e| e["event"] == "card.answered")
        .collect();
    assert_eq!(answered.len(), 1, "{to_operator:#?}");
    assert_eq!(answered[0]["sound"], true);
    let lines: Vec<_> = to_operator
        .iter()
        .filter(|e| e["event"] == "message" && e["message"]["type"] == "system")
        .map(|e| e["message"]["event"]["text"].clone())
        .collect();
    assert_eq!(lines, [json!("Confirmé par le client")]);
    let history = h
        .store
        .messages(&conversation.tenant, &conversation.id, None, 50)
        .await
        .unwrap();
    let outcome_items = history
        .messages
        .iter()
        .filter(|m| matches!(m.content, Content::System { .. }))
        .count();
    assert_eq!(outcome_items, 1);
}

#[tokio::test]
async fn three_deliveries_one_outcome_embedded() {
    let h = harness();
    three_deliveries_one_outcome(h.store.clone()).await;
}

#[tokio::test]
async fn three_deliveries_one_outcome_dynamodb_on_moto() {
    three_deliveries_one_outcome(Arc::new(stores::dynamodb().await)).await;
}

/// An HTTP API v2 event, as API Gateway hands it to the function.
fn http_event(
    route: &str,
    instance: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> serde_json::Value {
    let (method, path) = route.split_once(' ').unwrap();
    let path = path.replace("{instanceId}", instance);
    let mut headers = json!({"content-type": "application/json"});
    if let Some(token) = token {
        headers["authorization"] = json!(format!("Bearer {token}"));
    }
    json!({
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": "",
        "headers": headers, "pathParameters": {"instanceId": instance},
        "requestContext": {"routeKey": route, "stage": "$default", "requestId": "r1", "timeEpoch": 0,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.7", "userAgent": "test"}},
        "body": body, "isBase64Encoded": false
    })
}

/// The function's Lambda entry for the HTTP API: the form page, the card,
/// and an answer, as API Gateway's v2 events.
#[tokio::test]
async fn the_http_api_events_route_to_the_page_the_card_and_the_answer() {
    let h = harness();
    let conversation = active_conversation(&h).await;
    sent_card(&h, &conversation).await;
    let token = h
        .tokens
        .issue_visitor(
            &conversation.tenant,
            &conversation.visitor,
            &WidgetId::parse("w").unwrap(),
            h.clock.now(),
        )
        .unwrap();
    let call = |event| hero_card_submit::handle(&h.functions.cards, event);

    let page = call(http_event(
        "GET /cards/{instanceId}/form",
        "ci_1",
        None,
        None,
    ))
    .await;
    assert_eq!(page["statusCode"], 200, "{page}");
    assert_eq!(page["headers"]["content-type"], "text/html; charset=utf-8");
    assert!(page["body"].as_str().unwrap().contains("ci_1"));
    let hostile = call(http_event(
        "GET /cards/{instanceId}/form",
        "x\"><b>",
        None,
        None,
    ))
    .await;
    assert_eq!(hostile["statusCode"], 404);

    let anonymous = call(http_event("GET /cards/{instanceId}", "ci_1", None, None)).await;
    assert_eq!(anonymous["statusCode"], 401);
    let card = call(http_event(
        "GET /cards/{instanceId}",
        "ci_1",
        Some(&token),
        None,
    ))
    .await;
    assert_eq!(card["statusCode"], 200, "{card}");
    let view: serde_json::Value = serde_json::from_str(card["body"].as_str().unwrap()).unwrap();
    assert_eq!(view["values"]["day"], "2026-12-24");

    let answer = call(http_event(
        "POST /cards/{instanceId}/submit",
        "ci_1",
        Some(&token),
        Some(r#"{"outcome": "cancelled"}"#),
    ))
    .await;
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let again = call(http_event(
        "POST /cards/{instanceId}/submit",
        "ci_1",
        Some(&token),
        Some(r#"{"outcome": "confirmed", "extra": 1}"#),
    ))
    .await;
    assert_eq!(
        again["statusCode"], 400,
        "unknown fields are refused: {again}"
    );
}
