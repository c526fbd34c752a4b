//! Groups and widget routes: defined, replaced, routed to and deleted.

use super::routing::{connect, group};
use super::*;
use switchboard_app::ports::RoutingError;

pub async fn groups_and_widget_routes(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    put_tenant(&*store, &t, 3).await;
    put_tenant(&*store, &other, 3).await;
    connect(&*store, &t, &["ann", "bob"]).await;

    // Before anything is configured: the default group alone, manual.
    let groups = store.groups(&t).await.unwrap();
    assert_eq!(groups, vec![Group::default_for(t.clone())]);
    assert!(store.auto_routed_tenants().await.unwrap().is_empty());

    let sales = group(&t, "sales", &["ann", "bob"], RoutingPolicy::Auto);
    store.put_group(&sales).await.unwrap();
    // A member who is no operator of the tenant: refused, nothing written.
    let bad = group(&t, "support", &["ann", "zed"], RoutingPolicy::Manual);
    match store.put_group(&bad).await {
        Err(RoutingError::UnknownOperator(o)) => assert_eq!(o, op("zed")),
        other => panic!("expected unknown operator, got {other:?}"),
    }
    // Another tenant's operator is unknown here too.
    connect(&*store, &other, &["carl"]).await;
    assert!(matches!(
        store
            .put_group(&group(&t, "support", &["carl"], RoutingPolicy::Manual))
            .await,
        Err(RoutingError::UnknownOperator(_))
    ));
    let groups = store.groups(&t).await.unwrap();
    let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, vec!["default", "sales"]);
    assert_eq!(groups[1], sales);
    assert_eq!(store.auto_routed_tenants().await.unwrap(), vec![t.clone()]);

    // Replacing a group keeps one; going manual leaves the sweep's list.
    let mut manual = sales.clone();
    manual.policy = RoutingPolicy::Manual;
    manual.members = vec![op("bob")];
    store.put_group(&manual).await.unwrap();
    assert_eq!(store.groups(&t).await.unwrap()[1], manual);
    assert!(store.auto_routed_tenants().await.unwrap().is_empty());

    // Widgets route to a group of their own tenant that exists.
    let w = WidgetId::parse("w-acme").unwrap();
    store
        .put_widget(&Widget {
            id: w.clone(),
            tenant: t.clone(),
            name: "Site".into(),
            group: None,
            offline_email: None,
            allowed_origins: Vec::new(),
            entries: WidgetEntry::all(),
        })
        .await
        .unwrap();
    let routed = store
        .route_widget(&t, &w, &sales.id, Some("sales@acme.example"))
        .await
        .unwrap();
    assert_eq!(routed.offline_email.as_deref(), Some("sales@acme.example"));
    assert_eq!(routed.group, Some(sales.id.clone()));
    assert_eq!(
        store.widget(&w).await.unwrap().unwrap().group,
        Some(sales.id.clone())
    );
    assert!(matches!(
        store
            .route_widget(&t, &w, &GroupId::parse("nope").unwrap(), None)
            .await,
        Err(RoutingError::UnknownGroup)
    ));
    assert!(matches!(
        store
            .route_widget(&other, &w, &GroupId::default_group(), None)
            .await,
        Err(RoutingError::UnknownWidget)
    ));
    assert!(matches!(
        store
            .route_widget(&t, &WidgetId::parse("w-none").unwrap(), &sales.id, None)
            .await,
        Err(RoutingError::UnknownWidget)
    ));
    // Nothing refused changed the route.
    assert_eq!(
        store.widget(&w).await.unwrap().unwrap().group,
        Some(sales.id.clone())
    );
    let back = store
        .route_widget(&t, &w, &GroupId::default_group(), None)
        .await
        .unwrap();
    assert_eq!(back.group, None);
}

pub async fn group_deletion(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    put_tenant(&*store, &t, 3).await;
    put_tenant(&*store, &other, 3).await;
    connect(&*store, &t, &["ann"]).await;
    connect(&*store, &other, &["carl"]).await;
    let sales = group(&t, "sales", &["ann"], RoutingPolicy::Auto);
    let theirs = group(&other, "sales", &["carl"], RoutingPolicy::Manual);
    store.put_group(&sales).await.unwrap();
    store.put_group(&theirs).await.unwrap();

    // The deleted group comes back as it was; the other tenant's of the
    // same id stays, and the sweep no longer visits the tenant.
    assert_eq!(
        store.delete_group(&t, &sales.id).await.unwrap(),
        Some(sales.clone())
    );
    assert_eq!(
        store.groups(&t).await.unwrap(),
        vec![Group::default_for(t.clone())]
    );
    assert_eq!(store.groups(&other).await.unwrap()[1], theirs);
    assert_eq!(
        store.auto_routed_tenants().await.unwrap(),
        Vec::<TenantId>::new()
    );
    // Deleting again, or what never was: nothing.
    assert_eq!(store.delete_group(&t, &sales.id).await.unwrap(), None);
    let nope = GroupId::parse("nope").unwrap();
    assert_eq!(store.delete_group(&t, &nope).await.unwrap(), None);
}
