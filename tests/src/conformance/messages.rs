//! One copy per client message id, in one gapless order.

use super::*;

pub async fn idempotent_messages(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    let first = append(&*store, &t, &c.id, text_message("m1", T0 + 1))
        .await
        .unwrap();
    assert!(!first.duplicate);
    assert_eq!(first.message.seq, 1);
    // The same client id, resent three times, concurrently.
    let again =
        join_all((0..3).map(|i| append(&*store, &t, &c.id, text_message("m1", T0 + 2 + i)))).await;
    for a in again {
        let a = a.unwrap();
        assert!(a.duplicate);
        assert_eq!(a.message, first.message);
    }
    assert_eq!(
        store
            .messages(&t, &c.id, None, 50)
            .await
            .unwrap()
            .messages
            .len(),
        1
    );
    assert_eq!(
        store
            .message_by_client_id(&t, &c.id, &ClientMessageId::parse("m1").unwrap())
            .await
            .unwrap(),
        Some(first.message)
    );
    store
        .close(&t, &c.id, None, Timestamp(T0 + 9))
        .await
        .unwrap();
    assert!(matches!(
        append(&*store, &t, &c.id, text_message("m2", T0 + 10)).await,
        Err(ConversationError::Transition(
            TransitionError::AlreadyClosed
        ))
    ));
    // A resend that arrives after the close is still recognised, not refused.
    let late = append(&*store, &t, &c.id, text_message("m1", T0 + 11))
        .await
        .unwrap();
    assert!(late.duplicate);
    assert_eq!(late.message.seq, 1);
}

pub async fn ordered_history(store: Arc<dyn Store>) {
    let t = tenant("acme");
    let c = waiting_conversation(&*store, &t, "c1", EntryType::Chat, T0).await;
    // Concurrent writers still get 1..=n with no gaps and no repeats.
    let results = join_all(
        (0..20).map(|i| append(&*store, &t, &c.id, text_message(&format!("m{i}"), T0 + i))),
    )
    .await;
    let mut seqs: Vec<u64> = results
        .into_iter()
        .map(|r| r.unwrap().message.seq)
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    for i in 20..25 {
        append(&*store, &t, &c.id, text_message(&format!("m{i}"), T0 + i))
            .await
            .unwrap();
    }
    let newest = store.messages(&t, &c.id, None, 10).await.unwrap();
    assert_eq!(
        newest.messages.iter().map(|m| m.seq).collect::<Vec<_>>(),
        (16..=25).collect::<Vec<_>>()
    );
    assert!(newest.has_more);
    let older = store.messages(&t, &c.id, Some(16), 10).await.unwrap();
    assert_eq!(older.messages.first().map(|m| m.seq), Some(6));
    assert_eq!(older.messages.last().map(|m| m.seq), Some(15));
    assert!(older.has_more);
    let oldest = store.messages(&t, &c.id, Some(6), 10).await.unwrap();
    assert_eq!(oldest.messages.len(), 5);
    assert!(!oldest.has_more);
    assert_eq!(
        store
            .conversation(&t, &c.id)
            .await
            .unwrap()
            .unwrap()
            .last_seq,
        25
    );
}
