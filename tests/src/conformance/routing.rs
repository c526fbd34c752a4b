//! Group queues, the routing snapshot and an assignment decided on it.

use super::*;
use switchboard_app::ports::OperatorSnapshot;

pub fn group(t: &TenantId, id: &str, members: &[&str], policy: RoutingPolicy) -> Group {
    Group {
        id: GroupId::parse(id).unwrap(),
        tenant: t.clone(),
        name: format!("Group {id}"),
        members: members.iter().map(|m| op(m)).collect(),
        policy,
        hours: None,
    }
}

/// A waiting conversation in `group`'s queue.
pub async fn waiting_in(
    store: &dyn Store,
    t: &TenantId,
    id: &str,
    group: &str,
    at: u64,
) -> Conversation {
    let c = Conversation::start(
        ConversationId::parse(id).unwrap(),
        t.clone(),
        VisitorId::parse(format!("vis-{id}")).unwrap(),
        Channel::WebChat,
        entry(EntryType::Chat),
        Timestamp(at),
    )
    .in_group(GroupId::parse(group).unwrap());
    match store.start_conversation(c).await.unwrap() {
        StartOutcome::Created(c) => c,
        other => panic!("expected a new conversation, got {other:?}"),
    }
}

/// Operators with one open tab each, as `$connect` leaves them.
pub async fn connect(store: &dyn Store, t: &TenantId, operators: &[&str]) {
    for o in operators {
        store
            .operator_connected(
                t,
                &op(o),
                o,
                &[switchboard_domain::Role::Operator],
                &tab_of(&op(o)),
                Timestamp(T0),
            )
            .await
            .unwrap();
        store
            .register(&switchboard_app::ports::Connection {
                id: tab_of(&op(o)),
                tenant: t.clone(),
                principal: Principal::Operator {
                    id: op(o),
                    name: o.to_string(),
                    roles: vec![Role::Operator],
                },
                connected_at: Timestamp(T0),
                expires_at: Timestamp(T0 + 7_200_000),
                conversation: None,
            })
            .await
            .unwrap();
    }
}

fn snapshot_of<'a>(
    snapshot: &'a switchboard_app::ports::RoutingSnapshot,
    o: &str,
) -> &'a OperatorSnapshot {
    snapshot
        .operators
        .iter()
        .find(|s| s.operator.id == op(o))
        .unwrap_or_else(|| panic!("{o} not in the snapshot"))
}

pub async fn group_queues(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann"]).await;
    store
        .put_group(&group(&t, "sales", &["ann"], RoutingPolicy::Manual))
        .await
        .unwrap();
    let a1 = waiting_in(&*store, &t, "a1", "default", T0).await;
    let s1 = waiting_in(&*store, &t, "s1", "sales", T0 + 1).await;
    let s2 = waiting_in(&*store, &t, "s2", "sales", T0 + 2).await;
    let a2 = waiting_in(&*store, &t, "a2", "default", T0 + 3).await;
    let sales = GroupId::parse("sales").unwrap();
    let default = GroupId::default_group();

    let ids = |list: Vec<Conversation>| -> Vec<String> {
        list.into_iter().map(|c| c.id.to_string()).collect()
    };
    assert_eq!(
        ids(store.group_queue(&t, &sales, 10).await.unwrap()),
        vec!["s1", "s2"]
    );
    assert_eq!(
        ids(store.group_queue(&t, &default, 10).await.unwrap()),
        vec!["a1", "a2"]
    );
    assert_eq!(
        ids(store.group_queue(&t, &sales, 1).await.unwrap()),
        vec!["s1"]
    );
    let mut all = ids(store.waiting(&t, 10).await.unwrap());
    all.sort();
    assert_eq!(all, vec!["a1", "a2", "s1", "s2"]);
    // Places count within the group.
    assert_eq!(store.queue_position(&s2).await.unwrap(), Some(2));
    assert_eq!(store.queue_position(&a2).await.unwrap(), Some(2));
    assert_eq!(store.queue_position(&a1).await.unwrap(), Some(1));
    let queue = store
        .waiting_queue(&t, &sales, &[s1.id.clone(), a1.id.clone()])
        .await
        .unwrap();
    assert_eq!(ids(queue.waiting), vec!["s1", "s2"]);
    assert_eq!(queue.touched.len(), 2);

    // A closed conversation reopened from a widget routed elsewhere waits
    // in the new group's queue.
    store
        .close(&t, &s1.id, None, Timestamp(T0 + 10))
        .await
        .unwrap();
    let again = Conversation::start(
        ConversationId::parse("ignored").unwrap(),
        t.clone(),
        s1.visitor.clone(),
        Channel::WebChat,
        entry(EntryType::Chat),
        Timestamp(T0 + 20),
    );
    match store.start_conversation(again).await.unwrap() {
        StartOutcome::Reopened(c) => {
            assert_eq!(c.id, s1.id);
            assert_eq!(c.group, default);
        }
        other => panic!("expected a reopen, got {other:?}"),
    }
    assert_eq!(
        ids(store.group_queue(&t, &sales, 10).await.unwrap()),
        vec!["s2"]
    );
    assert_eq!(
        ids(store.group_queue(&t, &default, 10).await.unwrap()),
        vec!["a1", "a2", "s1"]
    );
    let _ = s2;
}

pub async fn assignment_on_a_snapshot(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 2).await;
    connect(&*store, &t, &["ann", "bob"]).await;
    store
        .put_group(&group(&t, "sales", &["ann"], RoutingPolicy::Auto))
        .await
        .unwrap();
    let c1 = waiting_in(&*store, &t, "c1", "sales", T0).await;
    let c2 = waiting_in(&*store, &t, "c2", "sales", T0 + 1).await;

    let snapshot = store.routing(&t).await.unwrap();
    assert_eq!(snapshot.settings.max_chats.get(), 2);
    assert_eq!(snapshot.groups.len(), 2);
    let ann = snapshot_of(&snapshot, "ann").clone();
    assert_eq!(ann.connection_count, 1);
    assert_eq!(ann.connections, vec![tab_of(&op("ann"))]);
    assert_eq!(ann.operator.last_assigned_at, None);
    let cap = snapshot.settings.max_chats;

    let done = store
        .assign(&c1, &ann, cap, Assignment::Routed, Timestamp(T0 + 5))
        .await
        .unwrap();
    assert_eq!(done.conversation.operator, Some(op("ann")));
    assert_eq!(
        done.conversation.watchers.operator,
        vec![tab_of(&op("ann"))]
    );
    assert_eq!(done.operator.operator.active_chats, 1);
    assert_eq!(
        done.operator.operator.last_assigned_at,
        Some(Timestamp(T0 + 5))
    );
    let log = store.timeline(&t, &c1.id).await.unwrap();
    assert!(matches!(
        log.last().unwrap().kind,
        TimelineKind::Assigned {
            how: Assignment::Routed,
            ..
        }
    ));
    let stored = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!(stored.last_assigned_at, Some(Timestamp(T0 + 5)));

    // The snapshot of ann is stale now (she took c1): nothing is written.
    assert!(matches!(
        store
            .assign(&c2, &ann, cap, Assignment::Routed, Timestamp(T0 + 6))
            .await,
        Err(ConversationError::Moved)
    ));
    assert_eq!(
        store
            .conversation(&t, &c2.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        ConversationStatus::Waiting
    );
    // Nor is a conversation that was taken since it was read.
    let fresh = store.routing(&t).await.unwrap();
    let bob = snapshot_of(&fresh, "bob").clone();
    assert!(matches!(
        store
            .assign(&c1, &bob, cap, Assignment::Routed, Timestamp(T0 + 7))
            .await,
        Err(ConversationError::Moved)
    ));
    assert_eq!(
        store
            .operator(&t, &op("bob"))
            .await
            .unwrap()
            .unwrap()
            .active_chats,
        0
    );
    // A decision the rules refuse is refused even on a fresh read.
    let ann = snapshot_of(&fresh, "ann").clone();
    let full = Capacity::new(1).unwrap();
    assert!(matches!(
        store
            .assign(&c2, &ann, full, Assignment::Routed, Timestamp(T0 + 8))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::AtCapacity { .. }))
    ));
    let second = store
        .assign(&c2, &ann, cap, Assignment::Routed, Timestamp(T0 + 9))
        .await
        .unwrap();
    assert_eq!(second.operator.operator.active_chats, 2);
    assert!(store
        .group_queue(&t, &GroupId::parse("sales").unwrap(), 10)
        .await
        .unwrap()
        .is_empty());
}

pub async fn admin_assignment(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 1).await;
    connect(&*store, &t, &["ann", "boss"]).await;
    let c1 = waiting_in(&*store, &t, "c1", "default", T0).await;
    let c2 = waiting_in(&*store, &t, "c2", "default", T0 + 1).await;
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away, Timestamp(T0))
        .await
        .unwrap();
    assert!(matches!(
        store
            .assign_by_admin(&t, &c1.id, &op("ann"), &op("boss"), Timestamp(T0 + 2))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::NotOnline))
    ));
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Online, Timestamp(T0))
        .await
        .unwrap();
    let done = store
        .assign_by_admin(&t, &c1.id, &op("ann"), &op("boss"), Timestamp(T0 + 3))
        .await
        .unwrap();
    assert_eq!(done.conversation.operator, Some(op("ann")));
    assert_eq!(done.operator.operator.active_chats, 1);
    assert!(matches!(
        &store.timeline(&t, &c1.id).await.unwrap().last().unwrap().kind,
        TimelineKind::Assigned { operator, how: Assignment::Admin, by: Some(by) }
            if operator == &op("ann") && by == &op("boss")
    ));
    // Capacity holds for admins too.
    assert!(matches!(
        store
            .assign_by_admin(&t, &c2.id, &op("ann"), &op("boss"), Timestamp(T0 + 4))
            .await,
        Err(ConversationError::Refused(AcceptRefusal::AtCapacity { .. }))
    ));
    assert!(matches!(
        store
            .assign_by_admin(&t, &c1.id, &op("boss"), &op("boss"), Timestamp(T0 + 5))
            .await,
        Err(ConversationError::AlreadyTaken { .. })
    ));
}

pub async fn heartbeats(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    connect(&*store, &t, &["ann"]).await;
    store
        .operator_seen(&t, &op("ann"), Timestamp(T0 + 10))
        .await
        .unwrap();
    // A late ping does not move it back.
    store
        .operator_seen(&t, &op("ann"), Timestamp(T0 + 5))
        .await
        .unwrap();
    let ann = store.operator(&t, &op("ann")).await.unwrap().unwrap();
    assert_eq!(ann.last_seen_at, Some(Timestamp(T0 + 10)));
    let snapshot = store.routing(&t).await.unwrap();
    assert_eq!(
        snapshot.operators[0].operator.last_seen_at,
        Some(Timestamp(T0 + 10))
    );
    // An operator never seen is left alone.
    store
        .operator_seen(&t, &op("nobody"), Timestamp(T0))
        .await
        .unwrap();
    assert_eq!(store.operator(&t, &op("nobody")).await.unwrap(), None);
}
