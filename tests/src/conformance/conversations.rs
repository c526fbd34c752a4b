//! Start, resume and reopen; the conditional accept and capacity; the
//! waiting queue; the accept race.

use super::*;

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

    append(&*store, &t, &id, text_message("m1", T0 + 1))
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
    put_tenant(&*store, &t, 3).await;
    for o in ["ann", "bob"] {
        store
            .operator_connected(
                &t,
                &op(o),
                o,
                &[switchboard_domain::Role::Operator],
                &tab_of(&op(o)),
                Timestamp(T0),
            )
            .await
            .unwrap();
    }
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let won = store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 5))
        .await
        .unwrap();
    assert_eq!(won.conversation.status, ConversationStatus::Active);
    assert_eq!(won.conversation.operator, Some(op("ann")));
    // The accept answers with the operator's load and tabs, as it left them.
    assert_eq!(won.operator.operator.active_chats, 1);
    assert_eq!(won.operator.max_chats, 3);
    match store.accept(&t, &c.id, &op("bob"), Timestamp(T0 + 6)).await {
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
        store.accept(&t, &c.id, &op("bob"), Timestamp(T0 + 8)).await,
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
                Timestamp(T0)
            )
            .await,
        Err(ConversationError::NotFound)
    ));
    // Another tenant cannot reach it at all.
    assert!(matches!(
        store
            .accept(&tenant("evil"), &c.id, &op("bob"), Timestamp(T0))
            .await,
        Err(ConversationError::NotFound)
    ));
    let ann = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!(ann.active_chats, 0, "closing frees the slot");
}

pub async fn capacity_and_video(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 2).await;
    store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&op("ann")),
            Timestamp(T0),
        )
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
        .accept(&t, &chats[0].id, &op("ann"), Timestamp(T0 + 20))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &video.id, &op("ann"), Timestamp(T0 + 21))
            .await,
        Err(ConversationError::Refused(
            AcceptRefusal::VideoNeedsFreeOperator
        ))
    ));
    store
        .accept(&t, &chats[1].id, &op("ann"), Timestamp(T0 + 22))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &chats[2].id, &op("ann"), Timestamp(T0 + 23))
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
        .accept(&t, &video.id, &op("ann"), Timestamp(T0 + 31))
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
            .accept(&t, &chats[2].id, &op("ann"), Timestamp(T0 + 32))
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
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away, Timestamp(T0))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept(&t, &chats[2].id, &op("ann"), Timestamp(T0 + 41))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::NotOnline))
    ));
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

/// 20 operators race to accept 50 waiting conversations (capacity 3 each).
pub async fn accept_race(store: Arc<dyn Store>) {
    let t = tenant("race");
    put_tenant(&*store, &t, 3).await;
    let operators: Vec<OperatorId> = (0..20).map(|i| op(&format!("op{i}"))).collect();
    for o in &operators {
        store
            .operator_connected(
                &t,
                o,
                o.as_str(),
                &[switchboard_domain::Role::Operator],
                &tab_of(o),
                Timestamp(T0),
            )
            .await
            .unwrap();
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
                match store.accept(&t, &c, &o, Timestamp(T0 + 100)).await {
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

/// A closed conversation reopens once, at the back of the queue, with its
/// history; concurrent reopens agree on one winner; an open one cannot reopen.
pub async fn reopen(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 2).await;
    store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&op("ann")),
            Timestamp(T0),
        )
        .await
        .unwrap();
    let first = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let other = waiting_conversation(&*store, &t, "c2", EntryType::Chat, T0 + 1).await;
    put_tenant(&*store, &t, 2).await;
    store
        .accept(&t, &first.id, &op("ann"), Timestamp(T0 + 10))
        .await
        .unwrap();
    append(&*store, &t, &first.id, text_message("m1", T0 + 11))
        .await
        .unwrap();
    assert!(matches!(
        store.reopen(&t, &first.id, Timestamp(T0 + 12)).await,
        Err(ConversationError::Transition(TransitionError::NotClosed(
            ConversationStatus::Active
        )))
    ));
    store
        .close(&t, &first.id, Some(&op("ann")), Timestamp(T0 + 20))
        .await
        .unwrap();
    assert_eq!(
        store
            .operator(&t, &op("ann"))
            .await
            .unwrap()
            .unwrap()
            .active_chats,
        0
    );

    let reopens = join_all((0..5).map(|i| {
        let store = store.clone();
        let (t, id) = (t.clone(), first.id.clone());
        async move { store.reopen(&t, &id, Timestamp(T0 + 30 + i)).await }
    }))
    .await;
    let won: Vec<_> = reopens.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(won.len(), 1, "exactly one reopen wins: {reopens:?}");
    for lost in reopens.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(lost, Err(ConversationError::Transition(_))),
            "{lost:?}"
        );
    }
    let reopened = store.conversation(&t, &first.id).await.unwrap().unwrap();
    assert_eq!(reopened.status, ConversationStatus::Waiting);
    assert_eq!(reopened.operator, None);
    assert!(reopened.enqueued_at.millis() >= T0 + 30);
    assert_eq!(reopened.last_seq, 1, "history is kept");
    let page = store.messages(&t, &first.id, None, 10).await.unwrap();
    assert_eq!(page.messages.len(), 1);
    // Back of the queue: behind the one that waited all along.
    let queue: Vec<_> = store
        .waiting(&t, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(queue, vec![other.id.clone(), first.id.clone()]);
    assert_eq!(store.queue_position(&reopened).await.unwrap(), Some(2));
    assert!(matches!(
        store
            .reopen(
                &t,
                &ConversationId::parse("nope").unwrap(),
                Timestamp(T0 + 40)
            )
            .await,
        Err(ConversationError::NotFound)
    ));
}

/// Each session keeps its own times and operator across close and reopen,
/// the conversation's own creation time never moves, and the log holds one
/// entry per change, numbered without gaps, in the order they happened.
pub async fn session_history(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 2).await;
    for (id, name) in [("ann", "Ann"), ("bob", "Bob")] {
        store
            .operator_connected(
                &t,
                &op(id),
                name,
                &[switchboard_domain::Role::Operator],
                &tab_of(&op(id)),
                Timestamp(T0),
            )
            .await
            .unwrap();
    }
    put_tenant(&*store, &t, 2).await;
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 10))
        .await
        .unwrap();
    store
        .close(&t, &c.id, Some(&op("ann")), Timestamp(T0 + 20))
        .await
        .unwrap();
    // The visitor writes again: a new session through the start path.
    let again = Conversation::start(
        ConversationId::parse("c1-candidate").unwrap(),
        t.clone(),
        c.visitor.clone(),
        Channel::WebChat,
        entry(EntryType::Chat),
        Timestamp(T0 + 30),
    );
    assert!(matches!(
        store.start_conversation(again).await.unwrap(),
        StartOutcome::Reopened(_)
    ));
    store
        .accept(&t, &c.id, &op("bob"), Timestamp(T0 + 40))
        .await
        .unwrap();
    store
        .close(&t, &c.id, None, Timestamp(T0 + 50))
        .await
        .unwrap();
    store.reopen(&t, &c.id, Timestamp(T0 + 60)).await.unwrap();

    let now = store.conversation(&t, &c.id).await.unwrap().unwrap();
    assert_eq!(now.created_at, Timestamp(T0));
    let sessions: Vec<_> = now
        .sessions
        .iter()
        .map(|s| {
            (
                s.number,
                s.enqueued_at.millis() - T0,
                s.operator.as_ref().map(|o| o.to_string()),
                s.accepted_at.map(|a| a.millis() - T0),
                s.closed_at.map(|a| a.millis() - T0),
                s.closed_by.clone(),
            )
        })
        .collect();
    assert_eq!(
        sessions,
        vec![
            (
                1,
                0,
                Some("ann".into()),
                Some(10),
                Some(20),
                Some(ClosedBy::Operator(op("ann")))
            ),
            (
                2,
                30,
                Some("bob".into()),
                Some(40),
                Some(50),
                Some(ClosedBy::Visitor)
            ),
            (3, 60, None, None, None, None),
        ]
    );

    let log = store.timeline(&t, &c.id).await.unwrap();
    let numbers: Vec<u64> = log.iter().map(|e| e.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6, 7]);
    let kinds: Vec<(u32, u64, TimelineKind)> = log
        .iter()
        .map(|e| (e.session, e.at.millis() - T0, e.kind.clone()))
        .collect();
    let assigned = |who: &str| TimelineKind::Assigned {
        operator: op(who),
        how: Assignment::Accepted,
        by: None,
    };
    assert_eq!(
        kinds,
        vec![
            (1, 0, TimelineKind::Created),
            (1, 10, assigned("ann")),
            (
                1,
                20,
                TimelineKind::Closed {
                    by: ClosedBy::Operator(op("ann"))
                }
            ),
            (2, 30, TimelineKind::Reopened),
            (2, 40, assigned("bob")),
            (
                2,
                50,
                TimelineKind::Closed {
                    by: ClosedBy::Visitor
                }
            ),
            (3, 60, TimelineKind::Reopened),
        ]
    );
    // Refused changes write nothing.
    assert!(store
        .close(&t, &c.id, Some(&op("ann")), Timestamp(T0 + 70))
        .await
        .is_err());
    assert_eq!(store.timeline(&t, &c.id).await.unwrap().len(), 7);
}
