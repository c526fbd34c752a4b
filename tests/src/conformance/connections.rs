//! The registry of open connections.

use super::*;

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
