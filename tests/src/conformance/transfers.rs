//! Transfers: to an operator (accepted, declined, unanswered), to a group,
//! and the ones refused.

use super::routing::{connect, group};
use super::*;

const SECOND: u64 = 1000;

fn comment(text: &str) -> TransferComment {
    TransferComment::parse(text).unwrap().unwrap()
}

async fn status_of(store: &dyn Store, t: &TenantId, id: &ConversationId) -> Conversation {
    store.conversation(t, id).await.unwrap().unwrap()
}

async fn load(store: &dyn Store, t: &TenantId, o: &str) -> u32 {
    store
        .operator(t, &op(o))
        .await
        .unwrap()
        .unwrap()
        .active_chats
}

pub async fn transfers(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann", "bob", "cid"]).await;
    let default = GroupId::default_group();
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 1))
        .await
        .unwrap();

    // Refused, and nothing changes: to oneself, by someone else, to nobody,
    // to someone offline.
    let to = |o: &str| TransferTarget::Operator(op(o));
    let at = Timestamp(T0 + 2);
    let refused = [
        (op("ann"), to("ann")),
        (op("bob"), to("cid")),
        (op("ann"), to("zed")),
    ];
    for (from, target) in refused {
        let result = store.transfer(&t, &c.id, &from, &target, None, at).await;
        assert!(result.is_err(), "{from} → {target:?}: {result:?}");
    }
    assert!(matches!(
        store
            .transfer(&t, &c.id, &op("ann"), &to("ann"), None, at)
            .await,
        Err(ConversationError::Transition(
            TransitionError::TransferToSelf
        ))
    ));
    assert!(matches!(
        store
            .transfer(&t, &c.id, &op("bob"), &to("cid"), None, at)
            .await,
        Err(ConversationError::Transition(
            TransitionError::NotAssignedTo
        ))
    ));
    assert!(matches!(
        store
            .transfer(&t, &c.id, &op("ann"), &to("zed"), None, at)
            .await,
        Err(ConversationError::UnknownTarget)
    ));
    store
        .set_operator_status(&t, &op("cid"), OperatorStatus::Away, Timestamp(T0))
        .await
        .unwrap();
    assert!(matches!(
        store
            .transfer(&t, &c.id, &op("ann"), &to("cid"), None, at)
            .await,
        Err(ConversationError::TargetOffline)
    ));
    store
        .set_operator_status(&t, &op("cid"), OperatorStatus::Online, Timestamp(T0))
        .await
        .unwrap();
    let held = status_of(&*store, &t, &c.id).await;
    assert_eq!(held.status, ConversationStatus::Active);
    assert_eq!(held.operator, Some(op("ann")));
    assert_eq!(load(&*store, &t, "ann").await, 1);

    // To bob, with a comment: ann's slot is free at once, only bob may take it.
    let done = store
        .transfer(
            &t,
            &c.id,
            &op("ann"),
            &to("bob"),
            Some(&comment("VIP, wants a refund")),
            at,
        )
        .await
        .unwrap();
    assert_eq!(done.from.operator.active_chats, 0);
    assert_eq!(
        done.to.as_ref().unwrap().connections,
        vec![tab_of(&op("bob"))]
    );
    assert_eq!(done.conversation.status, ConversationStatus::Waiting);
    assert_eq!(load(&*store, &t, "ann").await, 0);
    let now = status_of(&*store, &t, &c.id).await;
    assert_eq!(now.pending_transfer.as_ref().unwrap().to, op("bob"));
    assert!(store
        .group_queue(&t, &default, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.queue_position(&now).await.unwrap(), None);
    let log = store.timeline(&t, &c.id).await.unwrap();
    assert!(matches!(
        &log.last().unwrap().kind,
        TimelineKind::Transferred { from, to, comment: Some(text) }
            if from == &op("ann") && to == &op("bob") && text == "VIP, wants a refund"
    ));
    assert!(matches!(
        store.accept(&t, &c.id, &op("cid"), Timestamp(T0 + 3)).await,
        Err(ConversationError::Transition(
            TransitionError::AddressedToAnother
        ))
    ));
    let taken = store
        .accept(&t, &c.id, &op("bob"), Timestamp(T0 + 4))
        .await
        .unwrap();
    assert_eq!(taken.conversation.pending_transfer, None);
    assert!(store
        .due_transfers(Timestamp(T0 + 10_000 * SECOND), 10)
        .await
        .unwrap()
        .is_empty());

    // Bob hands it to cid, who declines: back in the group's queue.
    let at = Timestamp(T0 + 10 * SECOND);
    store
        .transfer(&t, &c.id, &op("bob"), &to("cid"), None, at)
        .await
        .unwrap();
    assert!(matches!(
        store
            .return_transfer(&t, &c.id, Some(&op("ann")), None, at)
            .await,
        Err(ConversationError::Transition(
            TransitionError::NotAssignedTo
        ))
    ));
    let back = store
        .return_transfer(&t, &c.id, Some(&op("cid")), Some("off shift"), at)
        .await
        .unwrap();
    assert_eq!(back.transfer.from, op("bob"));
    let queue = store.group_queue(&t, &default, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].id, c.id);
    assert_eq!(store.queue_position(&queue[0]).await.unwrap(), Some(1));
    assert!(matches!(
        &store.timeline(&t, &c.id).await.unwrap().last().unwrap().kind,
        TimelineKind::TransferReturned { by: Some(by), reason: Some(r), .. }
            if by == &op("cid") && r == "off shift"
    ));

    // Unanswered: due only once the deadline passes, then back in the queue.
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 20 * SECOND))
        .await
        .unwrap();
    let at = Timestamp(T0 + 30 * SECOND);
    let deadline = Timestamp(T0 + 150 * SECOND);
    store
        .transfer(&t, &c.id, &op("ann"), &to("bob"), None, at)
        .await
        .unwrap();
    assert!(store
        .due_transfers(Timestamp(deadline.millis() - 1), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store
            .return_transfer(&t, &c.id, None, None, Timestamp(deadline.millis() - 1))
            .await,
        Err(ConversationError::Transition(TransitionError::NoTransfer))
    ));
    assert_eq!(
        store.due_transfers(deadline, 10).await.unwrap(),
        vec![(t.clone(), c.id.clone())]
    );
    let expired = store
        .return_transfer(&t, &c.id, None, None, deadline)
        .await
        .unwrap();
    assert_eq!(expired.transfer.to, op("bob"));
    assert!(store.due_transfers(deadline, 10).await.unwrap().is_empty());
    assert_eq!(store.group_queue(&t, &default, 10).await.unwrap().len(), 1);

    // To a group: it waits in that group's queue.
    store
        .put_group(&group(&t, "billing", &["cid"], RoutingPolicy::Manual))
        .await
        .unwrap();
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 200 * SECOND))
        .await
        .unwrap();
    let billing = GroupId::parse("billing").unwrap();
    let moved = store
        .transfer(
            &t,
            &c.id,
            &op("ann"),
            &TransferTarget::Group(billing.clone()),
            Some(&comment("invoice question")),
            Timestamp(T0 + 201 * SECOND),
        )
        .await
        .unwrap();
    assert!(moved.to.is_none());
    assert_eq!(moved.conversation.group, billing);
    let queue = store.group_queue(&t, &billing, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert!(store
        .group_queue(&t, &default, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(load(&*store, &t, "ann").await, 0);
    assert!(store
        .accept(&t, &c.id, &op("cid"), Timestamp(T0 + 202 * SECOND))
        .await
        .is_ok());
}

/// Redirecting a waiting conversation from the preview: to another group
/// (keeping its arrival, so it sorts where it always would have), to one
/// operator (who may decline it back to the queue it waited in), and the
/// refusals, which change nothing.
pub async fn redirects(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann", "bob", "cid"]).await;
    let sales = GroupId::parse("sales").unwrap();
    store
        .put_group(&group(&t, "sales", &["bob"], RoutingPolicy::Manual))
        .await
        .unwrap();
    let default = GroupId::default_group();
    let early = waiting_conversation(&*store, &t, "early", EntryType::Chat, T0).await;
    let later = super::routing::waiting_in(&*store, &t, "later", "sales", T0 + 5).await;
    let at = Timestamp(T0 + 10);
    let to = |o: &str| TransferTarget::Operator(op(o));
    let mine = [default.clone()];

    // Refused: from a queue the operator does not see, to its own group,
    // to oneself, to nobody, to someone away.
    assert!(matches!(
        store
            .redirect(&t, &later.id, &op("ann"), Some(&mine), &to("cid"), None, at)
            .await,
        Err(ConversationError::NotFound)
    ));
    assert!(matches!(
        store
            .redirect(
                &t,
                &early.id,
                &op("ann"),
                None,
                &TransferTarget::Group(default.clone()),
                None,
                at
            )
            .await,
        Err(ConversationError::Transition(
            TransitionError::AlreadyInGroup
        ))
    ));
    assert!(matches!(
        store
            .redirect(&t, &early.id, &op("ann"), None, &to("ann"), None, at)
            .await,
        Err(ConversationError::Transition(
            TransitionError::TransferToSelf
        ))
    ));
    assert!(matches!(
        store
            .redirect(&t, &early.id, &op("ann"), None, &to("zed"), None, at)
            .await,
        Err(ConversationError::UnknownTarget)
    ));
    store
        .set_operator_status(&t, &op("cid"), OperatorStatus::Away, Timestamp(T0))
        .await
        .unwrap();
    assert!(matches!(
        store
            .redirect(&t, &early.id, &op("ann"), None, &to("cid"), None, at)
            .await,
        Err(ConversationError::TargetOffline)
    ));
    assert_eq!(
        status_of(&*store, &t, &early.id).await,
        early,
        "nothing changed"
    );

    // To sales: it keeps its arrival, so it is ahead of the later one there.
    let moved = store
        .redirect(
            &t,
            &early.id,
            &op("ann"),
            Some(&mine),
            &TransferTarget::Group(sales.clone()),
            Some(&comment("asks about prices")),
            at,
        )
        .await
        .unwrap();
    assert_eq!(moved.from_group, default);
    assert_eq!(moved.conversation.group, sales);
    assert_eq!(moved.conversation.enqueued_at, Timestamp(T0));
    assert!(moved.to.is_none());
    let queue: Vec<ConversationId> = store
        .group_queue(&t, &sales, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(queue, vec![early.id.clone(), later.id.clone()]);
    assert!(store
        .group_queue(&t, &default, 10)
        .await
        .unwrap()
        .is_empty());
    let entry = store.timeline(&t, &early.id).await.unwrap().pop().unwrap();
    assert_eq!(
        entry.kind,
        TimelineKind::TransferredToGroup {
            from: op("ann"),
            group: sales.clone(),
            comment: Some("asks about prices".into())
        }
    );

    // Bob (of sales) offers it to ann, who declines: back in sales, bob told.
    let offered = store
        .redirect(
            &t,
            &early.id,
            &op("bob"),
            Some(std::slice::from_ref(&sales)),
            &to("ann"),
            None,
            at,
        )
        .await
        .unwrap();
    assert_eq!(
        offered.to.as_ref().map(|l| l.operator.id.clone()),
        Some(op("ann"))
    );
    assert_eq!(offered.from_group, sales);
    let queue = store.group_queue(&t, &sales, 10).await.unwrap();
    assert_eq!(queue.len(), 1, "offered to ann, it left the sales queue");
    assert!(matches!(
        store
            .redirect(&t, &early.id, &op("bob"), None, &to("cid"), None, at)
            .await,
        Err(ConversationError::Transition(
            TransitionError::AddressedToAnother
        ))
    ));
    let returned = store
        .return_transfer(&t, &early.id, Some(&op("ann")), Some("busy"), at)
        .await
        .unwrap();
    assert_eq!(returned.transfer.from, op("bob"));
    assert_eq!(returned.conversation.group, sales);
    assert_eq!(store.group_queue(&t, &sales, 10).await.unwrap().len(), 2);
    assert_eq!(
        load(&*store, &t, "ann").await,
        0,
        "a redirect takes no slot"
    );

    // An active one is transferred, not redirected.
    store.accept(&t, &later.id, &op("bob"), at).await.unwrap();
    assert!(matches!(
        store
            .redirect(&t, &later.id, &op("bob"), None, &to("ann"), None, at)
            .await,
        Err(ConversationError::Transition(TransitionError::NotWaiting(
            ConversationStatus::Active
        )))
    ));
}

/// A start that reopens a closed conversation with an invitation's address
/// waits for that operator alone, and is due back to its group as a
/// transfer is.
pub async fn reopen_addressed(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann", "bob"]).await;
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    store
        .accept(&t, &c.id, &op("bob"), Timestamp(T0 + 1))
        .await
        .unwrap();
    store
        .close(&t, &c.id, Some(&op("bob")), Timestamp(T0 + 2))
        .await
        .unwrap();

    let deadline = Timestamp(T0 + 120 * SECOND);
    let mut again = Conversation::start(
        ConversationId::parse("ignored").unwrap(),
        t.clone(),
        c.visitor.clone(),
        Channel::WebChat,
        entry(EntryType::Callback),
        Timestamp(T0 + 10),
    );
    again.pending_transfer = Some(PendingTransfer {
        from: op("ann"),
        to: op("ann"),
        deadline,
    });
    let StartOutcome::Reopened(reopened) = store.start_conversation(again).await.unwrap() else {
        panic!("expected the closed conversation to reopen");
    };
    assert_eq!(reopened.id, c.id);
    assert_eq!(reopened.entry.entry_type, EntryType::Callback);
    assert_eq!(
        reopened.pending_transfer.as_ref().map(|p| p.to.clone()),
        Some(op("ann"))
    );
    assert_eq!(
        status_of(&*store, &t, &c.id).await.pending_transfer,
        reopened.pending_transfer
    );
    assert!(
        store
            .group_queue(&t, &GroupId::default_group(), 10)
            .await
            .unwrap()
            .is_empty(),
        "addressed, it is in no group's queue"
    );
    assert!(matches!(
        store
            .accept(&t, &c.id, &op("bob"), Timestamp(T0 + 11))
            .await,
        Err(ConversationError::Transition(
            TransitionError::AddressedToAnother
        ))
    ));
    assert_eq!(
        store.due_transfers(deadline, 10).await.unwrap(),
        vec![(t.clone(), c.id.clone())]
    );
    store
        .accept(&t, &c.id, &op("ann"), Timestamp(T0 + 12))
        .await
        .unwrap();
}
