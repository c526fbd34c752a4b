//! What reports read: each session indexed by when it entered a queue, in
//! the write that started or reopened it, read a page at a time; an
//! operator's first response kept per session; the tenant's time zone.

use super::*;
use switchboard_domain::{Author, ClientMessageId, MessageText};

fn operator_message(id: &str, at: u64) -> NewMessage {
    NewMessage::text(
        ClientMessageId::parse(id).unwrap(),
        Author::Operator(op("ann")),
        MessageText::parse("hello").unwrap(),
        Timestamp(at),
    )
}

pub async fn session_index(store: Arc<dyn Store>) {
    let t = tenant("acme");
    put_tenant(&*store, &t, 5).await;
    let mut zoned = store.tenant(&t).await.unwrap().unwrap();
    assert_eq!(zoned.timezone, None);
    zoned.timezone = Some("Europe/Prague".into());
    store.put_tenant(&zoned).await.unwrap();
    assert_eq!(
        store.tenant(&t).await.unwrap().unwrap().timezone.as_deref(),
        Some("Europe/Prague")
    );
    store
        .operator_connected(
            &t,
            &op("ann"),
            "Ann",
            &[Role::Operator],
            &tab_of(&op("ann")),
            Timestamp(T0),
        )
        .await
        .unwrap();
    for i in 0..5u64 {
        waiting_conversation(
            &*store,
            &t,
            &format!("c{i}"),
            EntryType::Chat,
            T0 + i * 1000,
        )
        .await;
    }
    waiting_conversation(&*store, &tenant("globex"), "g1", EntryType::Chat, T0).await;
    let c1 = ConversationId::parse("c1").unwrap();
    store
        .accept(&t, &c1, &op("ann"), Timestamp(T0 + 1500))
        .await
        .unwrap();
    append(&*store, &t, &c1, text_message("v1", T0 + 1600))
        .await
        .unwrap();
    append(&*store, &t, &c1, operator_message("o1", T0 + 1700))
        .await
        .unwrap();
    append(&*store, &t, &c1, operator_message("o2", T0 + 1800))
        .await
        .unwrap();
    store
        .close(&t, &c1, Some(&op("ann")), Timestamp(T0 + 2000))
        .await
        .unwrap();
    let reopened = store.reopen(&t, &c1, Timestamp(T0 + 9000)).await.unwrap();
    assert_eq!(reopened.sessions[1].first_seq, 4);
    let c1_now = store.conversation(&t, &c1).await.unwrap().unwrap();
    assert_eq!(
        c1_now.sessions[0].first_response_at,
        Some(Timestamp(T0 + 1700))
    );
    assert_eq!(c1_now.sessions[0].first_seq, 1);
    assert_eq!(c1_now.sessions[1].first_response_at, None);

    // [T0 + 1000, T0 + 9001): c1..c4's first sessions and c1's second.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .sessions_between(
                &t,
                Timestamp(T0 + 1000),
                Timestamp(T0 + 9001),
                after.as_deref(),
                2,
            )
            .await
            .unwrap();
        assert!(page.sessions.len() <= 2);
        seen.extend(page.sessions.iter().map(|(n, c)| (c.id.to_string(), *n)));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    let expected: Vec<(String, u32)> = vec![
        ("c1".into(), 1),
        ("c2".into(), 1),
        ("c3".into(), 1),
        ("c4".into(), 1),
        ("c1".into(), 2),
    ];
    assert_eq!(seen, expected, "oldest first, each once");
    let end_excluded = store
        .sessions_between(&t, Timestamp(T0), Timestamp(T0 + 1000), None, 10)
        .await
        .unwrap();
    assert_eq!(
        end_excluded.sessions.len(),
        1,
        "the end of a period is not in it"
    );
    assert!(store
        .sessions_between(
            &tenant("other"),
            Timestamp(0),
            Timestamp(u64::MAX / 4),
            None,
            10
        )
        .await
        .unwrap()
        .sessions
        .is_empty());
}
