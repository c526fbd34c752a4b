//! Unite: a merge moves B's client onto A in one write and its undo gives
//! back exactly what came from B; neither loses or repeats a message that
//! arrives on either side meanwhile.

use super::*;
use serde_json::json;
use std::collections::BTreeMap;
use switchboard_app::ports::UniteError;
use switchboard_domain::workspace::unite::{ClientCard, Merge, Side, Undone};
use switchboard_domain::workspace::{InfoValues, SearchQuery};

async fn started(store: &dyn Store, t: &TenantId, id: &str, channel: Channel) -> Conversation {
    let mut e = entry(EntryType::Chat);
    if channel != Channel::WebChat {
        e.name = Some("Grace Hopper".into());
        e.email = Some("grace@example.com".into());
    }
    let c = Conversation::start(
        ConversationId::parse(id).unwrap(),
        t.clone(),
        VisitorId::parse(format!("vis-{id}")).unwrap(),
        channel,
        e,
        Timestamp(T0),
    );
    store
        .start_conversation(c)
        .await
        .unwrap()
        .conversation()
        .clone()
}

async fn card(store: &dyn Store, t: &TenantId, id: &ConversationId) -> ClientCard {
    let c = store.conversation(t, id).await.unwrap().unwrap();
    let tags = store.tag_client(t, &c.visitor, &[], true).await.unwrap();
    let info = store.contact_info(t, &c.visitor).await.unwrap();
    ClientCard::of(&c, tags, info)
}

fn plan(
    t: &TenantId,
    id: &str,
    into: ClientCard,
    from: ClientCard,
    choose: &[(&str, Side)],
) -> Merge {
    let choices: BTreeMap<String, Side> = choose.iter().map(|(k, s)| (k.to_string(), *s)).collect();
    Merge::plan(
        id.into(),
        t.clone(),
        into,
        from,
        choices,
        op("ann"),
        Timestamp(T0 + 5),
    )
    .unwrap()
}

fn info(v: serde_json::Value) -> InfoValues {
    serde_json::from_value(v).unwrap()
}

pub async fn unite_merge_and_undo(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let a = started(&*store, &t, "conv-a", Channel::WebChat).await;
    let b = started(&*store, &t, "conv-b", Channel::WhatsApp).await;
    store
        .tag_client(&t, &a.visitor, &["vip".into()], true)
        .await
        .unwrap();
    store
        .tag_client(&t, &b.visitor, &["b2b".into(), "vip".into()], true)
        .await
        .unwrap();
    store
        .change_contact_info(&t, &a.visitor, &info(json!({"plan": "Gold"})), &[])
        .await
        .unwrap();
    store
        .change_contact_info(
            &t,
            &b.visitor,
            &info(json!({"plan": "Silver", "city": "Prague"})),
            &[],
        )
        .await
        .unwrap();
    let (card_a, card_b) = (
        card(&*store, &t, &a.id).await,
        card(&*store, &t, &b.id).await,
    );
    let merge = plan(
        &t,
        "merge_01",
        card_a.clone(),
        card_b.clone(),
        &[("name", Side::From), ("info.plan", Side::From)],
    );
    store.merge_contacts(&merge).await.unwrap();

    let (now_a, now_b) = (
        store.conversation(&t, &a.id).await.unwrap().unwrap(),
        store.conversation(&t, &b.id).await.unwrap().unwrap(),
    );
    assert_eq!(now_b.client.as_ref(), Some(&a.visitor));
    assert_eq!(now_b.client_id(), &a.visitor);
    assert_eq!((now_a.client.as_ref(), now_a.absorbed), (None, 1));
    for c in [&now_a, &now_b] {
        assert_eq!(c.entry.name.as_deref(), Some("Grace Hopper"));
        assert_eq!(c.entry.email.as_deref(), Some("grace@example.com"));
        assert_eq!(
            c.entry.browser, "Firefox 131",
            "the rest of the entry is kept"
        );
    }
    let merged = card(&*store, &t, &a.id).await;
    assert_eq!(merged.tags, vec!["b2b", "vip"]);
    assert_eq!(
        merged.info,
        info(json!({"plan": "Silver", "city": "Prague"}))
    );
    assert!(store
        .tag_client(&t, &b.visitor, &[], true)
        .await
        .unwrap()
        .is_empty());
    assert!(store.contact_info(&t, &b.visitor).await.unwrap().is_empty());
    assert_eq!(
        store.merged_into(&t, &a.visitor).await.unwrap(),
        vec![(b.visitor.clone(), b.id.clone())]
    );
    assert_eq!(
        store.merge_record(&t, "merge_01").await.unwrap(),
        Some(merge.clone())
    );
    assert!(store
        .merges(&tenant("globex"), None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(store
        .merge_record(&tenant("globex"), "merge_01")
        .await
        .unwrap()
        .is_none());
    // A's conversation is found by the name it took from B.
    let found = store
        .search_conversations(&t, &SearchQuery::parse("hopp").unwrap(), 10)
        .await
        .unwrap();
    let mut ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, vec!["conv-a", "conv-b"]);
    // And by the start of the e-mail address it took from B.
    let by_email = store
        .search_conversations(&t, &SearchQuery::parse("Grace@Exa").unwrap(), 10)
        .await
        .unwrap();
    assert_eq!(by_email.len(), 2);

    // B is A's now: neither can be merged again, either way round.
    let again = plan(
        &t,
        "merge_02",
        merged.clone(),
        card(&*store, &t, &b.id).await,
        &[],
    );
    assert!(matches!(
        store.merge_contacts(&again).await,
        Err(UniteError::Changed)
    ));
    let c = started(&*store, &t, "conv-c", Channel::Messenger).await;
    let a_away = plan(
        &t,
        "merge_03",
        card(&*store, &t, &c.id).await,
        merged.clone(),
        &[],
    );
    assert!(matches!(
        store.merge_contacts(&a_away).await,
        Err(UniteError::Changed)
    ));
    assert!(store.merge_record(&t, "merge_02").await.unwrap().is_none());

    let undone = Undone {
        by: op("boss"),
        at: Timestamp(T0 + 9),
    };
    let identity = merge.identity_after_undo(&merged);
    let after = store
        .undo_merge(&t, "merge_01", &undone, &identity)
        .await
        .unwrap();
    assert_eq!(after.undone, Some(undone.clone()));
    assert_eq!(card(&*store, &t, &a.id).await, card_a);
    assert_eq!(card(&*store, &t, &b.id).await, card_b);
    let (now_a, now_b) = (
        store.conversation(&t, &a.id).await.unwrap().unwrap(),
        store.conversation(&t, &b.id).await.unwrap().unwrap(),
    );
    assert_eq!((now_b.client.as_ref(), now_a.absorbed), (None, 0));
    assert!(store.merged_into(&t, &a.visitor).await.unwrap().is_empty());
    assert!(matches!(
        store.undo_merge(&t, "merge_01", &undone, &identity).await,
        Err(UniteError::AlreadyUndone)
    ));
    assert!(matches!(
        store.undo_merge(&t, "merge_none", &undone, &identity).await,
        Err(UniteError::NotFound)
    ));
    let listed = store.merges(&t, None, 10).await.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].undone, Some(undone));

    // Undone, they can be merged again, the other way round too.
    let reverse = plan(
        &t,
        "merge_04",
        card_b.clone(),
        card_a.clone(),
        &[("name", Side::Into), ("info.plan", Side::Into)],
    );
    store.merge_contacts(&reverse).await.unwrap();
    let page = store.merges(&t, None, 1).await.unwrap();
    assert_eq!(page.items[0].id, "merge_04", "newest first");
    let rest = store.merges(&t, page.next.as_deref(), 10).await.unwrap();
    assert_eq!(
        rest.items.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["merge_01"]
    );
}

/// Merging and undoing while both contacts write: every message is stored
/// once, in order, in its own conversation.
pub async fn unite_under_concurrent_messages(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let a = started(&*store, &t, "conv-a", Channel::WebChat).await;
    let b = started(&*store, &t, "conv-b", Channel::WhatsApp).await;
    let writes = |c: ConversationId, from: u64| {
        let store = store.clone();
        let t = t.clone();
        async move {
            for i in from..from + 15 {
                let m = text_message(&format!("{c}-m{i}"), T0 + 10 + i);
                append(&*store, &t, &c, m.clone()).await.unwrap();
                // A provider's retry of the same message.
                assert!(append(&*store, &t, &c, m).await.unwrap().duplicate);
            }
        }
    };
    let merge = plan(
        &t,
        "merge_01",
        card(&*store, &t, &a.id).await,
        card(&*store, &t, &b.id).await,
        &[("name", Side::From)],
    );
    let merging = {
        let store = store.clone();
        let merge = merge.clone();
        async move { store.merge_contacts(&merge).await.unwrap() }
    };
    tokio::join!(writes(a.id.clone(), 0), writes(b.id.clone(), 0), merging);
    let merged = card(&*store, &t, &a.id).await;
    let undoing = {
        let (store, t) = (store.clone(), t.clone());
        let identity = merge.identity_after_undo(&merged);
        async move {
            let undone = Undone {
                by: op("boss"),
                at: Timestamp(T0 + 99),
            };
            store
                .undo_merge(&t, "merge_01", &undone, &identity)
                .await
                .unwrap()
        }
    };
    tokio::join!(writes(a.id.clone(), 15), writes(b.id.clone(), 15), undoing);
    for c in [&a, &b] {
        let stored = store.messages(&t, &c.id, None, 100).await.unwrap().messages;
        assert_eq!(
            stored.iter().map(|m| m.seq).collect::<Vec<_>>(),
            (1..=30).collect::<Vec<_>>()
        );
        let ids: Vec<String> = stored
            .iter()
            .map(|m| m.client_id.as_str().to_string())
            .collect();
        let expected: Vec<String> = (0..30).map(|i| format!("{}-m{i}", c.id)).collect();
        assert_eq!(ids, expected, "each once, in the order written");
        let now = store.conversation(&t, &c.id).await.unwrap().unwrap();
        assert_eq!(
            (now.last_seq, now.client.as_ref(), now.absorbed),
            (30, None, 0)
        );
    }
}
