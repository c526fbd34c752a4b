//! Hero Cards: definitions listed in order, a sent card stored once, and
//! answered once however many answers race.

use super::*;
use serde_json::json;
use switchboard_app::ports::CardStoreError;
use switchboard_domain::cards::{
    CardAnswer, CardChannel, CardDefinition, CardError, CardInstance, CardSide, CardState,
};

fn definition(
    t: &TenantId,
    id: &str,
    channel: CardChannel,
    language: &str,
    name: &str,
) -> CardDefinition {
    serde_json::from_value(json!({
        "id": id, "tenant": t.as_str(), "name": name, "language": language,
        "channel": channel.as_str(), "title": "Your table", "text": "Please check.",
        "fields": [
            {"id": "name", "label": "Name", "type": "text", "required": true},
            {"id": "guests", "label": "Guests", "type": "number", "default": 2},
            {"id": "menu", "label": "Menu", "type": "choice", "options": [
                {"id": "veg", "label": "Vegetarian"}, {"id": "fish", "label": "Fish"}]}
        ],
        "updatedAt": T0
    }))
    .unwrap()
}

fn answer(outcome: CardOutcome, by: CardSide, values: serde_json::Value, at: u64) -> CardAnswer {
    CardAnswer {
        outcome,
        by,
        values: serde_json::from_value(values).unwrap(),
        at: Timestamp(at),
    }
}

pub async fn cards(store: Arc<dyn Store>) {
    let (t, other) = (tenant("acme"), tenant("other"));
    for (id, channel, language, name) in [
        ("c3", CardChannel::Whatsapp, "en", "Booking"),
        ("c1", CardChannel::Webchat, "en", "Booking"),
        ("c2", CardChannel::Webchat, "de", "Buchung"),
        ("c4", CardChannel::Webchat, "en", "Address"),
    ] {
        store
            .put_card(&definition(&t, id, channel, language, name))
            .await
            .unwrap();
    }
    store
        .put_card(&definition(
            &other,
            "c9",
            CardChannel::Webchat,
            "en",
            "Theirs",
        ))
        .await
        .unwrap();
    let listed: Vec<String> = store
        .cards(&t)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        listed,
        ["c2", "c4", "c1", "c3"],
        "by channel, language, name"
    );
    assert!(
        store.card(&t, "c9").await.unwrap().is_none(),
        "tenants are apart"
    );
    let mut edited = definition(&t, "c1", CardChannel::Webchat, "en", "Booking v2");
    edited.title = "Changed".into();
    store.put_card(&edited).await.unwrap();
    assert_eq!(
        store.card(&t, "c1").await.unwrap().unwrap().name,
        "Booking v2"
    );
    // Deleted only within the tenant, once.
    let scratch = definition(&t, "scratch", CardChannel::Webchat, "en", "Scratch");
    store.put_card(&scratch).await.unwrap();
    assert_eq!(
        store
            .delete_card(&tenant("globex"), "scratch")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.delete_card(&t, "scratch").await.unwrap(),
        Some(scratch)
    );
    assert_eq!(store.delete_card(&t, "scratch").await.unwrap(), None);

    // Sent once: a retried send finds the card as first stored.
    let sent = CardInstance::new(
        "ci_1".into(),
        ConversationId::parse("conv-1").unwrap(),
        definition(&t, "c1", CardChannel::Webchat, "en", "Booking"),
        &serde_json::from_value(json!({"name": "Ada"})).unwrap(),
        op("ann"),
        "en".into(),
        Timestamp(T0),
    )
    .unwrap();
    assert_eq!(store.put_instance(&sent).await.unwrap(), sent);
    let mut retried = sent.clone();
    retried.prefills.clear();
    assert_eq!(store.put_instance(&retried).await.unwrap(), sent);
    assert!(store.instance(&other, "ci_1").await.unwrap().is_none());
    let mut never_stored = sent.clone();
    never_stored.id = "ci_9".into();
    assert!(matches!(
        store
            .answer_card(
                &never_stored,
                &answer(CardOutcome::Cancelled, CardSide::Client, json!({}), T0)
            )
            .await,
        Err(CardStoreError::NotFound)
    ));
    // A refused value writes nothing.
    assert!(matches!(
        store
            .answer_card(
                &sent,
                &answer(
                    CardOutcome::Confirmed,
                    CardSide::Client,
                    json!({"menu": "beef"}),
                    T0 + 1
                )
            )
            .await,
        Err(CardStoreError::Card(CardError::Value(_)))
    ));
    assert!(store.instance(&t, "ci_1").await.unwrap().unwrap().is_open());

    // Ten answers at once, confirms and cancels from both sides: one wins.
    let racers = (0..10).map(|i| {
        let store = store.clone();
        let seen = sent.clone();
        async move {
            let (outcome, by) = match i % 4 {
                0 => (CardOutcome::Confirmed, CardSide::Client),
                1 => (CardOutcome::Cancelled, CardSide::Operator),
                2 => (CardOutcome::Cancelled, CardSide::Client),
                _ => (CardOutcome::Confirmed, CardSide::Operator),
            };
            store
                .answer_card(&seen, &answer(outcome, by, json!({"menu": "veg"}), T0 + 2))
                .await
        }
    });
    let results = join_all(racers).await;
    let winners: Vec<&CardInstance> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let stored = store.instance(&t, "ci_1").await.unwrap().unwrap();
    assert_eq!(&stored, winners[0]);
    let CardState::Resolved { outcome, by, .. } = stored.state else {
        panic!("resolved");
    };
    for r in &results {
        if let Err(e) = r {
            assert!(
                matches!(e, CardStoreError::Card(CardError::AlreadyResolved { outcome: o, by: b }) if *o == outcome && *b == by),
                "a loser is told who won: {e:?}"
            );
        }
    }
}

/// WhatsApp templates: replaced by name and language, listed in order,
/// tenants apart.
pub async fn whatsapp_templates(store: Arc<dyn Store>) {
    use switchboard_domain::cards::WhatsAppTemplate;
    let template = |t: &TenantId, name: &str, language: &str, body: &str| -> WhatsAppTemplate {
        serde_json::from_value(json!({
            "tenant": t.as_str(), "name": name, "language": language, "category": "UTILITY",
            "components": [{"type": "BODY", "text": body}], "updatedAt": T0
        }))
        .unwrap()
    };
    let (t, other) = (tenant("acme"), tenant("other"));
    for (name, language) in [
        ("ticket_update", "en_US"),
        ("reengage", "de"),
        ("reengage", "en"),
    ] {
        store
            .put_template(&template(&t, name, language, "Hi {{1}}"))
            .await
            .unwrap();
    }
    store
        .put_template(&template(&other, "theirs", "en", "x"))
        .await
        .unwrap();
    store
        .put_template(&template(&t, "reengage", "en", "Hello again, {{1}}"))
        .await
        .unwrap();
    let listed: Vec<(String, String, String)> = store
        .templates(&t)
        .await
        .unwrap()
        .into_iter()
        .map(|x| {
            let body = x.components[0].text.clone().unwrap();
            (x.name, x.language, body)
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("reengage".into(), "de".into(), "Hi {{1}}".into()),
            ("reengage".into(), "en".into(), "Hello again, {{1}}".into()),
            ("ticket_update".into(), "en_US".into(), "Hi {{1}}".into()),
        ]
    );
}

/// Cards nobody answered: listed once due, across tenants and soonest
/// first; ended once; an answered card is never listed.
pub async fn card_expiry(store: Arc<dyn Store>) {
    let send = |t: &TenantId, id: &str, at: u64| {
        let mut card = definition(t, "c1", CardChannel::Webchat, "en", "Booking");
        card.expires_after_seconds = 60;
        CardInstance::new(
            id.into(),
            ConversationId::parse("conv-1").unwrap(),
            card,
            &Default::default(),
            op("ann"),
            "en".into(),
            Timestamp(at),
        )
        .unwrap()
    };
    let (t, other) = (tenant("acme"), tenant("other"));
    let late = store
        .put_instance(&send(&t, "ci_late", T0 + 5_000))
        .await
        .unwrap();
    let early = store
        .put_instance(&send(&other, "ci_early", T0))
        .await
        .unwrap();
    let answered = store
        .put_instance(&send(&t, "ci_answered", T0))
        .await
        .unwrap();
    store
        .answer_card(
            &answered,
            &answer(CardOutcome::Cancelled, CardSide::Client, json!({}), T0 + 1),
        )
        .await
        .unwrap();

    let ids = |cards: Vec<CardInstance>| cards.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert!(store
        .due_cards(Timestamp(T0 + 59_999), 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ids(store.due_cards(Timestamp(T0 + 70_000), 10).await.unwrap()),
        ["ci_early", "ci_late"]
    );
    assert!(
        store
            .expire_card(&late, Timestamp(T0 + 60_000))
            .await
            .unwrap()
            .is_none(),
        "not yet due"
    );
    let ended = store
        .expire_card(&early, Timestamp(T0 + 70_000))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ended.state,
        CardState::Expired {
            at: Timestamp(T0 + 70_000)
        }
    );
    assert!(
        store
            .expire_card(&early, Timestamp(T0 + 70_001))
            .await
            .unwrap()
            .is_none(),
        "once"
    );
    assert_eq!(
        ids(store.due_cards(Timestamp(T0 + 70_000), 10).await.unwrap()),
        ["ci_late"]
    );
    let late_answer = store
        .answer_card(
            &early,
            &answer(CardOutcome::Cancelled, CardSide::Client, json!({}), T0 + 1),
        )
        .await;
    assert!(
        matches!(late_answer, Err(CardStoreError::Card(CardError::Expired))),
        "an expired card takes no answer, even one dated before: {late_answer:?}"
    );
}
