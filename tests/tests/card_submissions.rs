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
