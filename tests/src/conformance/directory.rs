//! Tenants, widgets, operators and their presence.

use super::*;

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
                ..Default::default()
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
        group: None,
        offline_email: None,
        id: WidgetId::parse("w-1").unwrap(),
        tenant: t.clone(),
        name: "Shop".into(),
    };
    store.put_widget(&w).await.unwrap();
    assert_eq!(store.widget(&w.id).await.unwrap(), Some(w));

    // Two tabs, then away, then both closed.
    let a = store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&op("ann")),
        )
        .await
        .unwrap();
    assert_eq!((a.status, a.active_chats), (OperatorStatus::Online, 0));
    store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&op("ann")),
        )
        .await
        .unwrap();
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away)
        .await
        .unwrap();
    let one_left = store
        .operator_disconnected(&t, &op("ann"), &tab_of(&op("ann")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one_left.status, OperatorStatus::Away);
    let gone = store
        .operator_disconnected(&t, &op("ann"), &tab_of(&op("ann")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, OperatorStatus::Offline);
    let back = store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&op("ann")),
        )
        .await
        .unwrap();
    assert_eq!(back.status, OperatorStatus::Online);
    assert!(store.operator(&t, &op("zed")).await.unwrap().is_none());
}
