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

/// What the sender and a receipt read in one go: the message with its
/// conversation (and watchers) and contact, whether the job names the client
/// or comes from before jobs did; and the message a provider's id names, in
/// the client's current conversation.
pub async fn outbound_and_receipt_targets(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 3).await;
    let visitor = VisitorId::parse("vis-c1").unwrap();
    let tab = ConnectionId::parse("vis-tab").unwrap();
    store
        .register(&Connection {
            id: tab.clone(),
            tenant: t.clone(),
            principal: Principal::Visitor {
                group: None,
                id: visitor.clone(),
                widget: WidgetId::parse("w").unwrap(),
                entries: WidgetEntry::all(),
            },
            connected_at: Timestamp(T0),
            expires_at: Timestamp(T0 + 7_200_000),
            conversation: None,
        })
        .await
        .unwrap();
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    store
        .save_contact(&Contact {
            tenant: t.clone(),
            visitor: visitor.clone(),
            channel: Channel::WhatsApp,
            account_id: "420000000000002".into(),
            contact_id: "447700900123".into(),
            profile: ContactProfile::default(),
            last_inbound_at: Some(Timestamp(T0)),
        })
        .await
        .unwrap();
    let mut m = text_message("out-1", T0 + 1);
    m.author = Author::Operator(op("ann"));
    m.delivery = Some(Delivery::queued(Timestamp(T0 + 1)));
    let seq = append(&*store, &t, &c.id, m).await.unwrap().message.seq;

    let job = OutboundJob {
        tenant: t.clone(),
        conversation: c.id.clone(),
        seq,
        visitor: Some(visitor.clone()),
    };
    for job in [
        job.clone(),
        OutboundJob {
            visitor: None,
            ..job.clone()
        },
    ] {
        let read = store.outbound(&job).await.unwrap().expect("the message");
        assert_eq!(read.message.client_id.as_str(), "out-1");
        assert_eq!(read.conversation.id, c.id);
        assert_eq!(read.conversation.watchers.visitor, vec![tab.clone()]);
        assert_eq!(
            read.contact.map(|c| c.contact_id).as_deref(),
            Some("447700900123")
        );
    }
    let missing = OutboundJob {
        seq: seq + 1,
        ..job.clone()
    };
    assert!(store.outbound(&missing).await.unwrap().is_none());

    assert!(store
        .receipt_target(&t, &visitor, "wamid.OUT")
        .await
        .unwrap()
        .is_none());
    store
        .advance_delivery(
            &t,
            &c.id,
            seq,
            delivery(DeliveryState::Sent, T0 + 2),
            Some("wamid.OUT"),
        )
        .await
        .unwrap();
    let target = store
        .receipt_target(&t, &visitor, "wamid.OUT")
        .await
        .unwrap()
        .expect("the provider's id names it");
    assert_eq!((target.conversation.id, target.seq), (c.id.clone(), seq));
    assert_eq!(target.conversation.watchers.visitor, vec![tab]);
    let stranger = VisitorId::parse("someone-else").unwrap();
    assert!(store
        .receipt_target(&t, &stranger, "wamid.OUT")
        .await
        .unwrap()
        .is_none());
}
