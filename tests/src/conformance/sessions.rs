//! Sign-in sessions (refresh-token families) and one-time links.

use super::*;
use switchboard_app::ports::{Grant, Rotation};

fn grant(t: &TenantId, o: &str, family: &str, expires: u64) -> Grant {
    Grant {
        tenant: t.clone(),
        operator: op(o),
        family: family.into(),
        expires_at: Timestamp(expires),
    }
}

pub async fn sessions_and_links(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let now = Timestamp(T0);
    let later = T0 + 3_600_000;
    store
        .start_session("r1", &grant(&t, "ann", "f1", later))
        .await
        .unwrap();
    // Rotation spends the old token.
    match store
        .rotate("r1", "r2", Timestamp(later), now)
        .await
        .unwrap()
    {
        Rotation::Rotated(g) => assert_eq!((g.operator, g.family), (op("ann"), "f1".to_string())),
        other => panic!("{other:?}"),
    }
    match store
        .rotate("r2", "r3", Timestamp(later), now)
        .await
        .unwrap()
    {
        Rotation::Rotated(_) => {}
        other => panic!("{other:?}"),
    }
    // Presenting a spent one is reuse, and ends the family: r3 is dead too.
    assert!(matches!(
        store
            .rotate("r1", "r4", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert!(matches!(
        store
            .rotate("r3", "r5", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert_eq!(
        store
            .rotate("nope", "r6", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Unknown
    );
    // Expired tokens are unknown.
    store
        .start_session("e1", &grant(&t, "ann", "f2", T0 + 10))
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate("e1", "e2", Timestamp(later), Timestamp(T0 + 10))
            .await
            .unwrap(),
        Rotation::Unknown
    );

    // Racing rotations of one token: exactly one wins.
    store
        .start_session("x1", &grant(&t, "bob", "f3", later))
        .await
        .unwrap();
    let results = join_all((0..6).map(|i| {
        let store = store.clone();
        async move {
            store
                .rotate("x1", &format!("x1-{i}"), Timestamp(later), now)
                .await
                .unwrap()
        }
    }))
    .await;
    let won = results
        .iter()
        .filter(|r| matches!(r, Rotation::Rotated(_)))
        .count();
    assert_eq!(won, 1, "{results:?}");

    // Sign-out ends a family; ending every family of an operator.
    store
        .start_session("s1", &grant(&t, "cy", "f4", later))
        .await
        .unwrap();
    store
        .start_session("s2", &grant(&t, "cy", "f5", later))
        .await
        .unwrap();
    assert_eq!(
        store.end_session("s1").await.unwrap().map(|g| g.family),
        Some("f4".into())
    );
    assert!(matches!(
        store
            .rotate("s1", "s1b", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    store.end_sessions_of(&t, &op("cy")).await.unwrap();
    assert!(matches!(
        store
            .rotate("s2", "s2b", Timestamp(later), now)
            .await
            .unwrap(),
        Rotation::Reused(_)
    ));
    assert_eq!(store.end_session("unknown").await.unwrap(), None);

    // One-time links: peeked freely, taken once even under a race.
    let link = OneTimeLink {
        purpose: LinkPurpose::Invitation,
        tenant: t.clone(),
        operator: op("ann"),
        expires_at: Timestamp(later),
    };
    store.put_link("l1", &link).await.unwrap();
    assert_eq!(store.peek_link("l1").await.unwrap(), Some(link.clone()));
    let takes = join_all((0..5).map(|_| {
        let store = store.clone();
        async move { store.take_link("l1").await.unwrap() }
    }))
    .await;
    assert_eq!(takes.iter().filter(|t| t.is_some()).count(), 1);
    assert_eq!(store.peek_link("l1").await.unwrap(), None);
}
