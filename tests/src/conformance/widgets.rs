//! The widget catalogue: created, replaced, deleted and listed per tenant.

use super::*;

pub async fn widget_catalogue(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    let widget = |tenant: &TenantId, id: &str| Widget {
        id: WidgetId::parse(id).unwrap(),
        tenant: tenant.clone(),
        name: format!("Widget {id}"),
        group: None,
        offline_email: None,
        allowed_origins: vec!["https://acme.example".into()],
        entries: vec![WidgetEntry::Invitation, WidgetEntry::Chat],
    };
    for id in ["w-a", "w-b", "w-c"] {
        assert!(store.create_widget(&widget(&t, id)).await.unwrap());
    }
    // Ids are global: another tenant cannot take one.
    assert!(!store.create_widget(&widget(&other, "w-a")).await.unwrap());
    assert!(store.create_widget(&widget(&other, "w-z")).await.unwrap());
    // Widgets created before the catalogue (put_widget) are listed too.
    store.put_widget(&widget(&t, "w-d")).await.unwrap();

    let first = store.widgets(&t, None, 2).await.unwrap();
    let ids: Vec<_> = first.items.iter().map(|w| w.id.to_string()).collect();
    assert_eq!(ids, ["w-a", "w-b"]);
    let rest = store.widgets(&t, first.next.as_deref(), 10).await.unwrap();
    let ids: Vec<_> = rest.items.iter().map(|w| w.id.to_string()).collect();
    assert_eq!(ids, ["w-c", "w-d"]);
    assert_eq!(rest.next, None);

    // Replace and delete only within the tenant.
    let renamed = Widget {
        name: "Renamed".into(),
        ..widget(&t, "w-a")
    };
    assert!(store.replace_widget(&renamed).await.unwrap());
    assert!(!store
        .replace_widget(&Widget {
            tenant: other.clone(),
            ..renamed.clone()
        })
        .await
        .unwrap());
    assert_eq!(
        store.widget(&renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    assert_eq!(
        store.delete_widget(&other, &renamed.id).await.unwrap(),
        None
    );
    assert_eq!(
        store.delete_widget(&t, &renamed.id).await.unwrap(),
        Some(renamed.clone())
    );
    assert_eq!(store.widget(&renamed.id).await.unwrap(), None);
    assert_eq!(store.widgets(&t, None, 10).await.unwrap().items.len(), 3);
}
