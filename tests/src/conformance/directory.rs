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
        allowed_origins: Vec::new(),
        entries: WidgetEntry::all(),
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
            Timestamp(T0),
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
            Timestamp(T0),
        )
        .await
        .unwrap();
    store
        .set_operator_status(&t, &op("ann"), OperatorStatus::Away, Timestamp(T0))
        .await
        .unwrap();
    let one_left = store
        .operator_disconnected(&t, &op("ann"), &tab_of(&op("ann")), Timestamp(T0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(one_left.status, OperatorStatus::Away);
    let gone = store
        .operator_disconnected(&t, &op("ann"), &tab_of(&op("ann")), Timestamp(T0))
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
            Timestamp(T0),
        )
        .await
        .unwrap();
    assert_eq!(back.status, OperatorStatus::Online);
    assert!(store.operator(&t, &op("zed")).await.unwrap().is_none());
}

pub async fn status_intervals(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let ann = op("ann");
    let tab = |n: &str| ConnectionId::parse(format!("ann-{n}")).unwrap();
    let at = |s: u64| Timestamp(T0 + s * 1000);
    store
        .operator_connected(&t, &ann, "Ann", &[Role::Operator], &tab("1"), at(0))
        .await
        .unwrap();
    // A second tab changes nothing; nor does the same status set again.
    store
        .operator_connected(&t, &ann, "Ann", &[Role::Operator], &tab("2"), at(10))
        .await
        .unwrap();
    store
        .set_operator_status(&t, &ann, OperatorStatus::Away, at(60))
        .await
        .unwrap();
    store
        .set_operator_status(&t, &ann, OperatorStatus::Away, at(70))
        .await
        .unwrap();
    store
        .set_operator_status(&t, &ann, OperatorStatus::Online, at(90))
        .await
        .unwrap();
    store
        .operator_disconnected(&t, &ann, &tab("2"), at(100))
        .await
        .unwrap();
    let gone = store
        .operator_disconnected(&t, &ann, &tab("1"), at(300))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.status, OperatorStatus::Offline);
    let log = store.status_log(&t, &ann).await.unwrap();
    let seen: Vec<(u64, OperatorStatus)> = log
        .iter()
        .map(|c| ((c.at.millis() - T0) / 1000, c.status))
        .collect();
    assert_eq!(
        seen,
        vec![
            (0, OperatorStatus::Online),
            (60, OperatorStatus::Away),
            (90, OperatorStatus::Online),
            (300, OperatorStatus::Offline),
        ]
    );
    let spent = time_in_status(&log, at(0), at(400));
    assert_eq!(
        spent,
        [
            (OperatorStatus::Online, 270_000),
            (OperatorStatus::Away, 30_000),
            (OperatorStatus::Offline, 100_000),
        ]
    );
    // Coming back is logged again.
    store
        .operator_connected(&t, &ann, "Ann", &[Role::Operator], &tab("3"), at(500))
        .await
        .unwrap();
    assert_eq!(store.status_log(&t, &ann).await.unwrap().len(), 5);
    assert!(store
        .status_log(&t, &op("nobody"))
        .await
        .unwrap()
        .is_empty());
}

/// A widget's allowed origins: set in one write for its own tenant only.
pub async fn widget_origins(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let widget = Widget {
        id: WidgetId::parse("w-shop").unwrap(),
        tenant: t.clone(),
        name: "Shop".into(),
        group: None,
        offline_email: Some("shop@acme.example".into()),
        allowed_origins: Vec::new(),
        entries: WidgetEntry::all(),
    };
    store.put_widget(&widget).await.unwrap();
    let origins = vec!["https://shop.example.com".to_string()];
    assert!(
        store
            .set_widget_origins(&tenant("other"), &widget.id, &origins)
            .await
            .unwrap()
            .is_none(),
        "another tenant's widget is not found"
    );
    assert!(store
        .set_widget_origins(&t, &WidgetId::parse("nope").unwrap(), &origins)
        .await
        .unwrap()
        .is_none());
    let saved = store
        .set_widget_origins(&t, &widget.id, &origins)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.allowed_origins, origins);
    assert_eq!(
        saved.offline_email, widget.offline_email,
        "the rest is kept"
    );
    assert_eq!(store.widget(&widget.id).await.unwrap().unwrap(), saved);
    let cleared = store
        .set_widget_origins(&t, &widget.id, &[])
        .await
        .unwrap()
        .unwrap();
    assert!(cleared.allowed_origins.is_empty());
}
