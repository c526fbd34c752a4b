//! Invitations: put unless live under the same digest, used once, expired;
//! guess counters.

use super::*;

fn invitation(t: &TenantId, digest: &str, operator: &str, expires: u64) -> Invitation {
    Invitation {
        tenant: t.clone(),
        digest: digest.into(),
        operator: op(operator),
        expires_at: Timestamp(expires),
    }
}

pub async fn invitations(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let other = tenant("globex");
    let now = Timestamp(T0);
    let live = invitation(&t, "d1", "ann", T0 + 60_000);
    assert!(store.put_invitation(&live, now).await.unwrap());
    // A live code under the same digest is not overwritten.
    let clash = invitation(&t, "d1", "bob", T0 + 60_000);
    assert!(!store.put_invitation(&clash, now).await.unwrap());
    // Another tenant's code is another code.
    assert!(store
        .put_invitation(&invitation(&other, "d1", "zed", T0 + 60_000), now)
        .await
        .unwrap());

    // Used once.
    assert_eq!(
        store.consume_invitation(&t, "d1", now).await.unwrap(),
        Some(op("ann"))
    );
    assert_eq!(store.consume_invitation(&t, "d1", now).await.unwrap(), None);
    assert_eq!(
        store.consume_invitation(&t, "nope", now).await.unwrap(),
        None
    );
    // A used digest may be handed out again.
    assert!(store.put_invitation(&clash, now).await.unwrap());
    // Expired at its instant.
    assert_eq!(
        store
            .consume_invitation(&t, "d1", Timestamp(T0 + 60_000))
            .await
            .unwrap(),
        None
    );
    assert!(store
        .put_invitation(
            &invitation(&t, "d1", "cid", T0 + 120_000),
            Timestamp(T0 + 60_000)
        )
        .await
        .unwrap());
    // Of concurrent uses exactly one wins.
    let tries = (0..8).map(|_| {
        let (store, t) = (store.clone(), t.clone());
        tokio::spawn(async move {
            store
                .consume_invitation(&t, "d1", Timestamp(T0 + 61_000))
                .await
                .unwrap()
        })
    });
    let won: Vec<_> = join_all(tries)
        .await
        .into_iter()
        .filter_map(|r| r.unwrap())
        .collect();
    assert_eq!(won, vec![op("cid")]);

    // Counters.
    let keys = vec!["C#conn".to_string(), "W#w#1".to_string()];
    assert_eq!(store.attempt_counts(&keys, now).await.unwrap(), vec![0, 0]);
    let expiring = vec![
        ("C#conn".to_string(), Timestamp(T0 + 10_000)),
        ("W#w#1".to_string(), Timestamp(T0 + 5_000)),
    ];
    store.count_attempt(&expiring).await.unwrap();
    store.count_attempt(&expiring).await.unwrap();
    assert_eq!(store.attempt_counts(&keys, now).await.unwrap(), vec![2, 2]);
    assert_eq!(
        store
            .attempt_counts(&keys, Timestamp(T0 + 5_000))
            .await
            .unwrap(),
        vec![2, 0]
    );
}
