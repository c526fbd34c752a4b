//! Delivery state only moves forward, whatever order receipts arrive in.

use super::*;

fn delivery(state: DeliveryState, at: u64) -> Delivery {
    Delivery {
        state,
        updated_at: Timestamp(at),
        error: None,
    }
}

pub async fn delivery_receipts(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let mut m = text_message("out-1", T0 + 1);
    m.author = Author::Operator(op("ann"));
    m.delivery = Some(Delivery::queued(Timestamp(T0 + 1)));
    let seq = append(&*store, &t, &c.id, m).await.unwrap().message.seq;

    assert!(store
        .message_by_external_id(&t, &c.id, "wamid.OUT")
        .await
        .unwrap()
        .is_none());
    let sent = store
        .advance_delivery(
            &t,
            &c.id,
            seq,
            delivery(DeliveryState::Sent, T0 + 2),
            Some("wamid.OUT"),
        )
        .await
        .unwrap()
        .expect("queued -> sent advances");
    assert_eq!(sent.external_id.as_deref(), Some("wamid.OUT"));
    let found = store
        .message_by_external_id(&t, &c.id, "wamid.OUT")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.seq, seq);

    // Receipts out of order, concurrently: the state ends at the highest.
    let receipts = [
        DeliveryState::Delivered,
        DeliveryState::Read,
        DeliveryState::Sent,
        DeliveryState::Failed,
    ]
    .into_iter()
    .map(|state| {
        let store = store.clone();
        let (t, id) = (t.clone(), c.id.clone());
        async move {
            store
                .advance_delivery(&t, &id, seq, delivery(state, T0 + 3), None)
                .await
                .unwrap()
        }
    });
    futures::future::join_all(receipts).await;
    for late in [
        DeliveryState::Delivered,
        DeliveryState::Sent,
        DeliveryState::Failed,
    ] {
        assert!(store
            .advance_delivery(&t, &c.id, seq, delivery(late, T0 + 4), None)
            .await
            .unwrap()
            .is_none());
    }
    let stored = store.message(&t, &c.id, seq).await.unwrap().unwrap();
    assert_eq!(stored.delivery.unwrap().state, DeliveryState::Read);
    assert_eq!(stored.external_id.as_deref(), Some("wamid.OUT"));
    assert!(store.message(&t, &c.id, seq + 5).await.unwrap().is_none());
}
