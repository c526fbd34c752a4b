//! The registry of open connections.

use super::*;

fn connection(id: &str, t: &TenantId, principal: Principal, expires: u64) -> Connection {
    Connection {
        id: ConnectionId::parse(id).unwrap(),
        tenant: t.clone(),
        principal,
        connected_at: Timestamp(T0),
        expires_at: Timestamp(expires),
        conversation: None,
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
        group: None,
        id: VisitorId::parse("v1").unwrap(),
        widget: WidgetId::parse("w").unwrap(),
        entries: WidgetEntry::all(),
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

/// Who follows a conversation: the client's tabs from `register` (before or
/// after it starts), the operator's tabs from the accept (and any opened
/// later), each until its connection is removed; the queue's watchers are
/// the tenant's operator tabs.
pub async fn watchers(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let ann = op("ann");
    let ann_principal = Principal::Operator {
        id: ann.clone(),
        name: "Ann".into(),
        roles: vec![Role::Operator],
    };
    let far = T0 + 7_200_000;
    let ann_tab = tab_of(&ann);
    store
        .operator_connected(
            &t,
            &ann,
            "Ann",
            &[switchboard_domain::Role::Operator],
            &ann_tab,
            Timestamp(T0),
        )
        .await
        .unwrap();
    store
        .register(&connection(
            ann_tab.as_str(),
            &t,
            ann_principal.clone(),
            far,
        ))
        .await
        .unwrap();

    let visitor = VisitorId::parse("vis-c1").unwrap();
    let visitor_principal = Principal::Visitor {
        group: None,
        id: visitor.clone(),
        widget: WidgetId::parse("w").unwrap(),
        entries: WidgetEntry::all(),
    };
    let before = store
        .register(&connection("early-tab", &t, visitor_principal.clone(), far))
        .await
        .unwrap();
    assert_eq!(before.conversation, None, "no conversation yet");
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let early = ConnectionId::parse("early-tab").unwrap();
    assert_eq!(c.watchers.visitor, vec![early.clone()], "as started");
    assert_eq!(
        store
            .connection(&early, Timestamp(T0))
            .await
            .unwrap()
            .unwrap()
            .conversation,
        Some(c.id.clone()),
        "a tab open before the start learns its conversation"
    );
    let late = store
        .register(&connection("late-tab", &t, visitor_principal, far))
        .await
        .unwrap();
    assert_eq!(late.conversation, Some(c.id.clone()));
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    let mut tabs = read.watchers.visitor.clone();
    tabs.sort();
    assert_eq!(tabs, vec![early.clone(), late.id.clone()]);
    assert!(read.watchers.operator.is_empty());

    let accepted = store
        .accept(&t, &c.id, &ann, Timestamp(T0 + 5))
        .await
        .unwrap();
    assert_eq!(
        accepted.conversation.watchers.operator,
        vec![ann_tab.clone()]
    );
    // A second tab of the operator's follows what they already hold.
    let ann_second = ConnectionId::parse("ann-second").unwrap();
    store
        .operator_connected(
            &t,
            &ann,
            "Ann",
            &[switchboard_domain::Role::Operator],
            &ann_second,
            Timestamp(T0),
        )
        .await
        .unwrap();
    store
        .register(&connection(ann_second.as_str(), &t, ann_principal, far))
        .await
        .unwrap();
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    let mut ops = read.watchers.operator.clone();
    ops.sort();
    assert_eq!(ops, vec![ann_second.clone(), ann_tab.clone()]);

    // Closing a tab ends its watch.
    store.remove_connection(&late.id).await.unwrap();
    store.remove_connection(&ann_second).await.unwrap();
    store
        .operator_disconnected(&t, &ann, &ann_second, Timestamp(T0))
        .await
        .unwrap();
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    assert_eq!(read.watchers.visitor, vec![early.clone()]);
    assert_eq!(read.watchers.operator, vec![ann_tab.clone()]);

    // The queue: its watchers, and the current state of what changed.
    let other = waiting_conversation(&*store, &t, "c2", EntryType::Chat, T0 + 1).await;
    let queue = store
        .waiting_queue(
            &t,
            &switchboard_domain::GroupId::default_group(),
            &[c.id.clone(), other.id.clone()],
        )
        .await
        .unwrap();
    let waiting: Vec<_> = queue.waiting.iter().map(|c| c.id.clone()).collect();
    assert_eq!(waiting, vec![other.id.clone()]);
    assert_eq!(queue.touched.len(), 2);
    assert_eq!(queue.operators, vec![ann_tab.clone()]);

    // A connection whose record went first is forgotten where it was listed.
    store.remove_connection(&early).await.unwrap();
    store.forget_gone(&t, &early, Some(&read)).await.unwrap();
    let read = store.conversation(&t, &c.id).await.unwrap().unwrap();
    assert!(read.watchers.visitor.is_empty());
}

/// Operators still holding connections but quiet since before a moment:
/// what the sweep takes offline. A ping or a connect keeps one off the list;
/// so does having no connection left.
pub async fn vanished_operators(store: Arc<dyn Store>) {
    let (acme, other) = (tenant("acme"), tenant("other"));
    put_tenant(&*store, &acme, 3).await;
    put_tenant(&*store, &other, 3).await;
    let at = |s: u64| Timestamp(T0 + s * 1000);
    let tab = |name: &str| ConnectionId::parse(name).unwrap();
    let principal = |id: &str| Principal::Operator {
        id: op(id),
        name: id.into(),
        roles: vec![Role::Operator],
    };
    // Ann (two tabs) and Zed in acme, Bob in another tenant, all at 0;
    // Cat connects at 100.
    for (t, who, conn, s) in [
        (&acme, "ann", "ann-1", 0),
        (&acme, "ann", "ann-2", 0),
        (&acme, "zed", "zed-1", 0),
        (&other, "bob", "bob-1", 0),
        (&acme, "cat", "cat-1", 100),
    ] {
        store
            .operator_connected(t, &op(who), who, &[Role::Operator], &tab(conn), at(s))
            .await
            .unwrap();
        store
            .register(&connection(conn, t, principal(who), T0 + 7_200_000))
            .await
            .unwrap();
    }
    // Zed pings at 50; Bob's connection ends properly.
    store
        .operator_seen(&acme, &op("zed"), at(50))
        .await
        .unwrap();
    store.remove_connection(&tab("bob-1")).await.unwrap();
    store
        .operator_disconnected(&other, &op("bob"), &tab("bob-1"), at(20))
        .await
        .unwrap();

    let quiet = |list: Vec<VanishedOperator>| {
        let mut list: Vec<(String, String, Vec<String>)> = list
            .into_iter()
            .map(|v| {
                let mut conns: Vec<String> = v.connections.iter().map(|c| c.to_string()).collect();
                conns.sort();
                (v.tenant.to_string(), v.operator.to_string(), conns)
            })
            .collect();
        list.sort();
        list
    };
    assert_eq!(
        quiet(store.vanished_operators(at(40), 100).await.unwrap()),
        vec![(
            "acme".to_string(),
            "ann".to_string(),
            vec!["ann-1".to_string(), "ann-2".to_string()]
        )],
        "quiet since before 40 s: Ann only (Zed pinged, Bob left, Cat is new)"
    );
    assert_eq!(
        quiet(store.vanished_operators(at(60), 100).await.unwrap()).len(),
        2,
        "by 60 s Zed's ping is old too"
    );
    assert_eq!(store.vanished_operators(at(200), 1).await.unwrap().len(), 1);
    // Ann's tabs forgotten one by one: listed until the last one goes.
    store.remove_connection(&tab("ann-1")).await.unwrap();
    store
        .operator_disconnected(&acme, &op("ann"), &tab("ann-1"), at(70))
        .await
        .unwrap();
    let left = store.vanished_operators(at(40), 100).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].connections, vec![tab("ann-2")]);
    store.remove_connection(&tab("ann-2")).await.unwrap();
    let ann = store
        .operator_disconnected(&acme, &op("ann"), &tab("ann-2"), at(70))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.status, OperatorStatus::Offline);
    assert!(store
        .vanished_operators(at(40), 100)
        .await
        .unwrap()
        .is_empty());
    // Back again: a connect is a sign of life.
    store
        .operator_connected(
            &acme,
            &op("ann"),
            "ann",
            &[Role::Operator],
            &tab("ann-3"),
            at(300),
        )
        .await
        .unwrap();
    let listed = quiet(store.vanished_operators(at(200), 100).await.unwrap());
    assert!(
        listed.iter().all(|(_, who, _)| who != "ann"),
        "reconnected at 300: {listed:?}"
    );
}
