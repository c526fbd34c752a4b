//! Offline requests: stored once, read back, mailed once.

use super::*;

pub fn request(t: &TenantId, id: &str) -> OfflineRequest {
    OfflineRequest {
        id: id.into(),
        tenant: t.clone(),
        widget: WidgetId::parse("w").unwrap(),
        group: GroupId::default_group(),
        entry_type: EntryType::Callback,
        name: Some("Ada".into()),
        email: Some("ada@example.com".into()),
        phone: None,
        message: "Please call me back about my order".into(),
        mail_to: "support@acme.example".into(),
        created_at: Timestamp(T0),
    }
}

pub async fn offline_requests(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let r = request(&t, "offline_1");
    store.put_offline_request(&r).await.unwrap();
    // Storing the same id again changes nothing.
    let mut again = r.clone();
    again.message = "something else".into();
    store.put_offline_request(&again).await.unwrap();
    assert_eq!(
        store.offline_request(&t, "offline_1").await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(
        store
            .offline_request(&tenant("globex"), "offline_1")
            .await
            .unwrap(),
        None
    );
    // Claimed once, of many at once; released, claimable again.
    let claims = (0..6).map(|_| {
        let (store, t) = (store.clone(), t.clone());
        tokio::spawn(async move {
            store
                .claim_mailing(&t, "offline_1", Timestamp(T0))
                .await
                .unwrap()
        })
    });
    let won = join_all(claims)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    store.release_mailing(&t, "offline_1").await.unwrap();
    assert!(store
        .claim_mailing(&t, "offline_1", Timestamp(T0 + 1))
        .await
        .unwrap());
    assert!(!store
        .claim_mailing(&t, "offline_1", Timestamp(T0 + 2))
        .await
        .unwrap());
}
