//! Channel contacts merged under concurrency.

use super::*;

fn contact(t: &TenantId, last_inbound: Option<u64>) -> Contact {
    Contact {
        tenant: t.clone(),
        visitor: VisitorId::parse("wa-contact").unwrap(),
        channel: Channel::WhatsApp,
        account_id: "420000000000002".into(),
        contact_id: "447700900123".into(),
        profile: ContactProfile::default(),
        last_inbound_at: last_inbound.map(Timestamp),
    }
}

pub async fn contacts_merge(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let mut first = contact(&t, Some(T0 + 50));
    first.profile.contact_name = Some("Amélie".into());
    store.save_contact(&first).await.unwrap();
    let mut later = contact(&t, Some(T0 + 10));
    later.profile.locale = Some("fr_FR".into());
    let merged = store.save_contact(&later).await.unwrap();
    assert_eq!(merged.profile.contact_name.as_deref(), Some("Amélie"));
    assert_eq!(merged.profile.locale.as_deref(), Some("fr_FR"));
    assert_eq!(
        merged.last_inbound_at,
        Some(Timestamp(T0 + 50)),
        "never moves back"
    );

    // Concurrent saves: the latest inbound time wins whatever the interleaving.
    let saves = (0..12u64).map(|i| {
        let store = store.clone();
        let c = contact(&t, Some(T0 + 100 + i));
        async move { store.save_contact(&c).await.unwrap() }
    });
    futures::future::join_all(saves).await;
    let stored = store.contact(&t, &first.visitor).await.unwrap().unwrap();
    assert_eq!(stored.last_inbound_at, Some(Timestamp(T0 + 111)));
    assert_eq!(stored.profile.contact_name.as_deref(), Some("Amélie"));
    assert!(store
        .contact(&tenant("other"), &first.visitor)
        .await
        .unwrap()
        .is_none());
}

/// Clients' tags: added and removed in one write each, read back sorted,
/// many clients at once, tenants apart.
pub async fn client_tags(store: Arc<dyn Store>) {
    let (t, other) = (tenant("acme"), tenant("other"));
    let (ada, bea) = (
        VisitorId::parse("vis-ada").unwrap(),
        VisitorId::parse("vis-bea").unwrap(),
    );
    let tags = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        store
            .tag_client(&t, &ada, &tags(&["vip", "b2b"]), true)
            .await
            .unwrap(),
        tags(&["b2b", "vip"])
    );
    assert_eq!(
        store
            .tag_client(&t, &ada, &tags(&["vip", "churn risk"]), true)
            .await
            .unwrap(),
        tags(&["b2b", "churn risk", "vip"]),
        "adding a tag twice keeps one"
    );
    assert_eq!(
        store
            .tag_client(&t, &ada, &tags(&["b2b", "never"]), false)
            .await
            .unwrap(),
        tags(&["churn risk", "vip"])
    );
    store
        .tag_client(&other, &bea, &tags(&["theirs"]), true)
        .await
        .unwrap();
    let read = store
        .client_tags(&t, &[ada.clone(), bea.clone()])
        .await
        .unwrap();
    assert_eq!(read.get(&ada), Some(&tags(&["churn risk", "vip"])));
    assert_eq!(read.get(&bea), None, "another tenant's client");
    assert_eq!(
        store.tag_client(&t, &bea, &[], true).await.unwrap(),
        Vec::<String>::new()
    );
}
