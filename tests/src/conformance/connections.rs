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
