//! The storage conformance suite: one body of tests that every `Store` adapter
//! must pass. `tests/tests/conformance.rs` runs it against the embedded store and
//! against DynamoDB on moto.

use futures::future::join_all;
use rand::seq::SliceRandom;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use switchboard_app::ports::{
    Connection, ConversationError, Principal, PrincipalRef, StartOutcome,
};
use switchboard_app::Store;
use switchboard_domain::*;

pub const T0: u64 = 1_800_000_000_000;

pub fn tenant(id: &str) -> TenantId {
    TenantId::parse(id).unwrap()
}

pub fn op(id: &str) -> OperatorId {
    OperatorId::parse(id).unwrap()
}

pub fn entry(kind: EntryType) -> EntryInfo {
    EntryInfo {
        entry_type: kind,
        language: "de".into(),
        browser: "Firefox 131".into(),
        os: "Windows 11".into(),
        widget: "Support".into(),
        page_url: "https://example.com/checkout".into(),
        name: Some("Grace".into()),
        phone: Some("+491701234567".into()),
    }
}

pub async fn put_tenant(store: &dyn Store, t: &TenantId, max_chats: u32) {
    store
        .put_tenant(&Tenant {
            id: t.clone(),
            name: format!("Tenant {t}"),
            settings: TenantSettings {
                max_chats: Capacity::new(max_chats).unwrap(),
            },
        })
        .await
        .unwrap();
}

pub async fn waiting_conversation(
    store: &dyn Store,
    t: &TenantId,
    id: &str,
    kind: EntryType,
    at: u64,
) -> Conversation {
    let c = Conversation::start(
        ConversationId::parse(id).unwrap(),
        t.clone(),
        VisitorId::parse(format!("vis-{id}")).unwrap(),
        Channel::WebChat,
        entry(kind),
        Timestamp(at),
    );
    match store.start_conversation(c).await.unwrap() {
        StartOutcome::Created(c) => c,
        other => panic!("expected a new conversation, got {other:?}"),
    }
}

fn text_message(client_id: &str, at: u64) -> NewMessage {
    NewMessage::text(
        ClientMessageId::parse(client_id).unwrap(),
        Author::Visitor(VisitorId::parse("v").unwrap()),
        MessageText::parse(format!("message {client_id}")).unwrap(),
        Timestamp(at),
    )
}

pub async fn directory_and_presence(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 4).await;
    assert_eq!(
        store
            .tenant(&t)
            .await
            .unwrap()
            .unwrap()
            .settings
            .max_chats
            .get(),
        4
    );
    let changed = store
        .set_tenant_settings(
            &t,
            &TenantSettings {
                max_chats: Capacity::new(6).unwrap(),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.settings.max_chats.get(), 6);
    assert!(store
        .set_tenant_settings(&tenant("nobody"), &TenantSettings::default())
        .await
        .unwrap()
        .is_none());

    let w = Widget {
        id: WidgetId::parse("w-1").unwrap(),
        tenant: t.clone(),
        name: "Shop".into(),
    };
    store.put_widget(&w).await.unwrap();
    assert_eq!(store.widget(&w.id).await.unwrap(), Some(w));

    // Two tabs, then away, then both closed.
    let a = store
        .operator_connected(&t, &op("ann"), "Ann")
        .await
        .unwrap();
    assert_eq!((a.status, a.active_chats), (OperatorStatus::Online, 0));
    store
        .operator_connected(&t, &op("ann"), "Ann")
        .await
        .unwrap();
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away)
        .await
        .unwrap();
    let one_left = store
        .operator_disconnected(&t, &op("ann"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one_left.status, OperatorStatus::Away);
    let gone = store
        .operator_disconnected(&t, &op("ann"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, OperatorStatus::Offline);
    let back = store
        .operator_connected(&t, &op("ann"), "Ann")
        .await
        .unwrap();
    assert_eq!(back.status, OperatorStatus::Online);
    assert!(store.operator(&t, &op("zed")).await.unwrap().is_none());
}

pub async fn start_resume_and_reopen(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let visitor = VisitorId::parse("vis-1").unwrap();
    let candidate = |id: &str, at: u64| {
        Conversation::start(
            ConversationId::parse(id).unwrap(),
            t.clone(),
            visitor.clone(),
            Channel::WebChat,
            entry(EntryType::Chat),
            Timestamp(at),
        )
    };
    // Ten tabs start at once: one conversation.
    let starts =
        join_all((0..10).map(|i| store.start_conversation(candidate(&format!("c{i}"), T0)))).await;
    let ids: HashSet<_> = starts
        .iter()
        .map(|s| s.as_ref().unwrap().conversation().id.clone())
        .collect();
    assert_eq!(ids.len(), 1, "one visitor, one open conversation");
    let created = starts
        .iter()
        .filter(|s| matches!(s, Ok(StartOutcome::Created(_))))
        .count();
    assert_eq!(created, 1);
    let id = ids.into_iter().next().unwrap();

    store
        .append_message(&t, &id, text_message("m1", T0 + 1))
        .await
        .unwrap();
    let closed = store.close(&t, &id, None, Timestamp(T0 + 2)).await.unwrap();
    assert_eq!(closed.previous, ConversationStatus::Waiting);
    assert_eq!(
        store
            .visitor_conversation(&t, &visitor)
            .await
            .unwrap()
            .unwrap()
            .status,
        ConversationStatus::Closed
    );
    match store
        .start_conversation(candidate("other", T0 + 3))
        .await
        .unwrap()
    {
        StartOutcome::Reopened(c) => {
            assert_eq!(c.id, id);
            assert_eq!(c.status, ConversationStatus::Waiting);
            assert_eq!(c.enqueued_at, Timestamp(T0 + 3));
        }
        other => panic!("expected reopen, got {other:?}"),
    }
    let history = store.messages(&t, &id, None, 10).await.unwrap();
    assert_eq!(
        history.messages.len(),
        1,
        "history survives close and reopen"
    );
    assert!(store
        .conversation(&tenant("other"), &id)
        .await
        .unwrap()
        .is_none());
}

pub async fn conditional_accept(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let cap = Capacity::new(3).unwrap();
    for o in ["ann", "bob"] {
        store.operator_connected(&t, &op(o), o).await.unwrap();
    }
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let won = store
        .accept(&t, &c.id, &op("ann"), cap, Timestamp(T0 + 5))
        .await
        .unwrap();
    assert_eq!(won.status, ConversationStatus::Active);
    assert_eq!(won.operator, Some(op("ann")));
    match store
        .accept(&t, &c.id, &op("bob"), cap, Timestamp(T0 + 6))
        .await
    {
        Err(ConversationError::AlreadyTaken { by }) => assert_eq!(by, op("ann")),
        other => panic!("expected already taken, got {other:?}"),
    }
    assert_eq!(
        store
            .operator(&t, &op("bob"))
            .await
            .unwrap()
            .unwrap()
            .active_chats,
        0
    );
    assert_eq!(
        store
            .operator_conversations(&t, &op("ann"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store.waiting(&t, 10).await.unwrap().is_empty());

    store
        .close(&t, &c.id, Some(&op("ann")), Timestamp(T0 + 7))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &c.id, &op("bob"), cap, Timestamp(T0 + 8))
            .await,
        Err(ConversationError::Transition(TransitionError::NotWaiting(
            ConversationStatus::Closed
        )))
    ));
    assert!(matches!(
        store
            .accept(
                &t,
                &ConversationId::parse("nope").unwrap(),
                &op("bob"),
                cap,
                Timestamp(T0)
            )
            .await,
        Err(ConversationError::NotFound)
    ));
    // Another tenant cannot reach it at all.
    assert!(matches!(
        store
            .accept(&tenant("evil"), &c.id, &op("bob"), cap, Timestamp(T0))
            .await,
        Err(ConversationError::NotFound)
    ));
    let ann = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!(ann.active_chats, 0, "closing frees the slot");
}

pub async fn capacity_and_video(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let cap = Capacity::new(2).unwrap();
    store
        .operator_connected(&t, &op("ann"), "Ann")
        .await
        .unwrap();
    let mut chats = Vec::new();
    for i in 0..3 {
        chats.push(
            waiting_conversation(&*store, &t, &format!("chat{i}"), EntryType::Chat, T0 + i).await,
        );
    }
    let video = waiting_conversation(&*store, &t, "video", EntryType::Video, T0 + 10).await;

    store
        .accept(&t, &chats[0].id, &op("ann"), cap, Timestamp(T0 + 20))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &video.id, &op("ann"), cap, Timestamp(T0 + 21))
            .await,
        Err(ConversationError::Refused(
            AcceptRefusal::VideoNeedsFreeOperator
        ))
    ));
    store
        .accept(&t, &chats[1].id, &op("ann"), cap, Timestamp(T0 + 22))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &chats[2].id, &op("ann"), cap, Timestamp(T0 + 23))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::AtCapacity {
            capacity: 2
        }))
    ));
    assert_eq!(
        store
            .conversation(&t, &chats[2].id)
            .await
            .unwrap()
            .unwrap()
            .status,
        ConversationStatus::Waiting,
        "a refused accept changes nothing"
    );
    for c in &chats[..2] {
        store
            .close(&t, &c.id, Some(&op("ann")), Timestamp(T0 + 30))
            .await
            .unwrap();
    }
    store
        .accept(&t, &video.id, &op("ann"), cap, Timestamp(T0 + 31))
        .await
        .unwrap();
    assert!(
        store
            .operator(&t, &op("ann"))
            .await
            .unwrap()
            .unwrap()
            .in_video_call
    );
    assert!(matches!(
        store
            .accept(&t, &chats[2].id, &op("ann"), cap, Timestamp(T0 + 32))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::InVideoCall))
    ));
    store
        .close(&t, &video.id, None, Timestamp(T0 + 40))
        .await
        .unwrap();
    let ann = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!((ann.active_chats, ann.in_video_call), (0, false));
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away)
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &chats[2].id, &op("ann"), cap, Timestamp(T0 + 41))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::NotOnline))
    ));
}

pub async fn idempotent_messages(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let first = store
        .append_message(&t, &c.id, text_message("m1", T0 + 1))
        .await
        .unwrap();
    assert!(!first.duplicate);
    assert_eq!(first.message.seq, 1);
    // The same client id, resent three times, concurrently.
    let again =
        join_all((0..3).map(|i| store.append_message(&t, &c.id, text_message("m1", T0 + 2 + i))))
            .await;
    for a in again {
        let a = a.unwrap();
        assert!(a.duplicate);
        assert_eq!(a.message, first.message);
    }
    assert_eq!(
        store
            .messages(&t, &c.id, None, 50)
            .await
            .unwrap()
            .messages
            .len(),
        1
    );
    assert_eq!(
        store
            .message_by_client_id(&t, &c.id, &ClientMessageId::parse("m1").unwrap())
            .await
            .unwrap(),
        Some(first.message)
    );
    store
        .close(&t, &c.id, None, Timestamp(T0 + 9))
        .await
        .unwrap();
    assert!(matches!(
        store
            .append_message(&t, &c.id, text_message("m2", T0 + 10))
            .await,
        Err(ConversationError::Transition(
            TransitionError::AlreadyClosed
        ))
    ));
    // A resend that arrives after the close is still recognised, not refused.
    let late = store
        .append_message(&t, &c.id, text_message("m1", T0 + 11))
        .await
        .unwrap();
    assert!(late.duplicate);
    assert_eq!(late.message.seq, 1);
}

pub async fn ordered_history(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    // Concurrent writers still get 1..=n with no gaps and no repeats.
    let results = join_all(
        (0..20).map(|i| store.append_message(&t, &c.id, text_message(&format!("m{i}"), T0 + i))),
    )
    .await;
    let mut seqs: Vec<u64> = results
        .into_iter()
        .map(|r| r.unwrap().message.seq)
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    for i in 20..25 {
        store
            .append_message(&t, &c.id, text_message(&format!("m{i}"), T0 + i))
            .await
            .unwrap();
    }
    let newest = store.messages(&t, &c.id, None, 10).await.unwrap();
    assert_eq!(
        newest.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        (16..=25).collect::<Vec<_>>()
    );
    assert!(newest.has_more);
    let older = store.messages(&t, &c.id, Some(16), 10).await.unwrap();
    assert_eq!(older.messages.first().map(|m| m.seq), Some(6));
    assert_eq!(older.messages.last().map(|m| m.seq), Some(15));
    assert!(older.has_more);
    let oldest = store.messages(&t, &c.id, Some(6), 10).await.unwrap();
    assert_eq!(oldest.messages.len(), 5);
    assert!(!oldest.has_more);
    assert_eq!(
        store
            .conversation(&t, &c.id)
            .await
            .unwrap()
            .unwrap()
            .last_seq,
        25
    );
}

pub async fn waiting_queue(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("other");
    let late = waiting_conversation(&*store, &t, "late", EntryType::Chat, T0 + 50).await;
    let early = waiting_conversation(&*store, &t, "early", EntryType::Callback, T0 + 10).await;
    let middle = waiting_conversation(&*store, &t, "middle", EntryType::Chat, T0 + 20).await;
    waiting_conversation(&*store, &other, "foreign", EntryType::Chat, T0).await;
    let queue = store.waiting(&t, 10).await.unwrap();
    assert_eq!(
        queue.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        vec!["early", "middle", "late"]
    );
    assert_eq!(queue[0].entry, entry(EntryType::Callback));
    assert_eq!(store.queue_position(&late).await.unwrap(), Some(3));
    store
        .close(&t, &early.id, None, Timestamp(T0 + 60))
        .await
        .unwrap();
    assert_eq!(store.queue_position(&late).await.unwrap(), Some(2));
    assert_eq!(store.queue_position(&middle).await.unwrap(), Some(1));
    assert_eq!(store.queue_position(&early).await.unwrap(), None);
    assert_eq!(store.waiting(&t, 1).await.unwrap().len(), 1);
}

fn connection(id: &str, t: &TenantId, principal: Principal, expires: u64) -> Connection {
    Connection {
        id: ConnectionId::parse(id).unwrap(),
        tenant: t.clone(),
        principal,
        connected_at: Timestamp(T0),
        expires_at: Timestamp(expires),
    }
}

pub async fn connection_registry(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let ann = Principal::Operator {
        id: op("ann"),
        name: "Ann".into(),
        roles: vec![Role::Operator],
    };
    let visitor = Principal::Visitor {
        id: VisitorId::parse("v1").unwrap(),
        widget: WidgetId::parse("w").unwrap(),
    };
    let far = T0 + 7_200_000;
    store
        .register(&connection("tab1=", &t, ann.clone(), far))
        .await
        .unwrap();
    store
        .register(&connection("tab2=", &t, ann.clone(), far))
        .await
        .unwrap();
    store
        .register(&connection("stale", &t, ann.clone(), T0 - 1))
        .await
        .unwrap();
    store
        .register(&connection("vis", &t, visitor.clone(), far))
        .await
        .unwrap();
    store
        .register(&connection("foreign", &tenant("other"), ann.clone(), far))
        .await
        .unwrap();
    let now = Timestamp(T0);

    let mine = store
        .principal_connections(&t, &PrincipalRef::Operator(op("ann")), now)
        .await
        .unwrap();
    assert_eq!(
        mine.iter().map(|c| c.id.as_str()).collect::<HashSet<_>>(),
        HashSet::from(["tab1=", "tab2="]),
        "expired connections are not returned"
    );
    let operators = store.operator_connections(&t, now).await.unwrap();
    assert_eq!(operators.len(), 2);
    assert!(store
        .connection(&ConnectionId::parse("stale").unwrap(), now)
        .await
        .unwrap()
        .is_none());
    let vis = store
        .connection(&ConnectionId::parse("vis").unwrap(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(vis.principal, visitor);
    let removed = store
        .remove_connection(&ConnectionId::parse("tab1=").unwrap())
        .await
        .unwrap();
    assert_eq!(removed.map(|c| c.principal), Some(ann));
    assert!(store
        .remove_connection(&ConnectionId::parse("tab1=").unwrap())
        .await
        .unwrap()
        .is_none());
    assert_eq!(store.operator_connections(&t, now).await.unwrap().len(), 1);
}

/// 20 operators race to accept 50 waiting conversations (capacity 3 each).
pub async fn accept_race(store: Arc<dyn Store>) {
    let t = tenant("race");
    let cap = Capacity::new(3).unwrap();
    let operators: Vec<OperatorId> = (0..20).map(|i| op(&format!("op{i}"))).collect();
    for o in &operators {
        store.operator_connected(&t, o, o.as_str()).await.unwrap();
    }
    let mut conversations = Vec::new();
    for i in 0..50u64 {
        conversations.push(
            waiting_conversation(&*store, &t, &format!("c{i:02}"), EntryType::Chat, T0 + i)
                .await
                .id,
        );
    }
    let attempts = operators.iter().map(|o| {
        let store = store.clone();
        let mut order = conversations.clone();
        order.shuffle(&mut rand::rng());
        let t = t.clone();
        let o = o.clone();
        async move {
            let mut won = Vec::new();
            for c in order {
                match store.accept(&t, &c, &o, cap, Timestamp(T0 + 100)).await {
                    Ok(_) => won.push(c),
                    Err(ConversationError::AlreadyTaken { .. }) => {}
                    Err(ConversationError::Refused(AcceptRefusal::AtCapacity { .. })) => break,
                    Err(e) => panic!("unexpected accept error: {e}"),
                }
            }
            (o, won)
        }
    });
    let results = join_all(attempts).await;

    let mut owner: HashMap<ConversationId, OperatorId> = HashMap::new();
    for (o, won) in &results {
        assert!(won.len() <= 3, "{o} won {} > capacity", won.len());
        for c in won {
            if let Some(first) = owner.insert(c.clone(), o.clone()) {
                panic!("{c} accepted by both {first} and {o}");
            }
        }
        let stored = store.operator(&t, o).await.unwrap().unwrap();
        assert_eq!(
            stored.active_chats as usize,
            won.len(),
            "{o}'s counter matches its wins"
        );
    }
    for c in &conversations {
        let stored = store.conversation(&t, c).await.unwrap().unwrap();
        match owner.get(c) {
            Some(o) => {
                assert_eq!(stored.status, ConversationStatus::Active);
                assert_eq!(stored.operator.as_ref(), Some(o));
            }
            None => assert_eq!(stored.status, ConversationStatus::Waiting),
        }
    }
    // 60 slots for 50 conversations: every conversation found an operator.
    assert_eq!(owner.len(), 50);
}

fn contact(t: &TenantId, last_inbound: Option<u64>) -> Contact {
    Contact {
        tenant: t.clone(),
        visitor: VisitorId::parse("wa-contact").unwrap(),
        channel: Channel::WhatsApp,
        account_id: "420000000000002".into(),
        contact_id: "447700900123".into(),
        profile: ContactProfile::default(),
        last_inbound_at: last_inbound.map(Timestamp),
    }
}

pub async fn contacts_merge(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let mut first = contact(&t, Some(T0 + 50));
    first.profile.contact_name = Some("Amélie".into());
    store.save_contact(&first).await.unwrap();
    let mut later = contact(&t, Some(T0 + 10));
    later.profile.locale = Some("fr_FR".into());
    let merged = store.save_contact(&later).await.unwrap();
    assert_eq!(merged.profile.contact_name.as_deref(), Some("Amélie"));
    assert_eq!(merged.profile.locale.as_deref(), Some("fr_FR"));
    assert_eq!(
        merged.last_inbound_at,
        Some(Timestamp(T0 + 50)),
        "never moves back"
    );

    // Concurrent saves: the latest inbound time wins whatever the interleaving.
    let saves = (0..12u64).map(|i| {
        let store = store.clone();
        let c = contact(&t, Some(T0 + 100 + i));
        async move { store.save_contact(&c).await.unwrap() }
    });
    futures::future::join_all(saves).await;
    let stored = store.contact(&t, &first.visitor).await.unwrap().unwrap();
    assert_eq!(stored.last_inbound_at, Some(Timestamp(T0 + 111)));
    assert_eq!(stored.profile.contact_name.as_deref(), Some("Amélie"));
    assert!(store
        .contact(&tenant("other"), &first.visitor)
        .await
        .unwrap()
        .is_none());
}

fn delivery(state: DeliveryState, at: u64) -> Delivery {
    Delivery {
        state,
        updated_at: Timestamp(at),
        error: None,
    }
}

pub async fn delivery_receipts(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let mut m = text_message("out-1", T0 + 1);
    m.author = Author::Operator(op("ann"));
    m.details.delivery = Some(Delivery::queued(Timestamp(T0 + 1)));
    let seq = store
        .append_message(&t, &c.id, m)
        .await
        .unwrap()
        .message
        .seq;

    assert!(store
        .message_by_external_id(&t, &c.id, "wamid.OUT")
        .await
        .unwrap()
        .is_none());
    let sent = store
        .advance_delivery(
            &t,
            &c.id,
            seq,
            delivery(DeliveryState::Sent, T0 + 2),
            Some("wamid.OUT"),
        )
        .await
        .unwrap()
        .expect("queued -> sent advances");
    assert_eq!(sent.details.external_id.as_deref(), Some("wamid.OUT"));
    let found = store
        .message_by_external_id(&t, &c.id, "wamid.OUT")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.seq, seq);

    // Receipts out of order, concurrently: the state ends at the highest.
    let receipts = [
        DeliveryState::Delivered,
        DeliveryState::Read,
        DeliveryState::Sent,
        DeliveryState::Failed,
    ]
    .into_iter()
    .map(|state| {
        let store = store.clone();
        let (t, id) = (t.clone(), c.id.clone());
        async move {
            store
                .advance_delivery(&t, &id, seq, delivery(state, T0 + 3), None)
                .await
                .unwrap()
        }
    });
    futures::future::join_all(receipts).await;
    for late in [
        DeliveryState::Delivered,
        DeliveryState::Sent,
        DeliveryState::Failed,
    ] {
        assert!(store
            .advance_delivery(&t, &c.id, seq, delivery(late, T0 + 4), None)
            .await
            .unwrap()
            .is_none());
    }
    let stored = store.message(&t, &c.id, seq).await.unwrap().unwrap();
    assert_eq!(stored.details.delivery.unwrap().state, DeliveryState::Read);
    assert_eq!(stored.details.external_id.as_deref(), Some("wamid.OUT"));
    assert!(store.message(&t, &c.id, seq + 5).await.unwrap().is_none());
}
