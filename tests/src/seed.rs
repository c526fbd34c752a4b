//! A tenant's worth of history for the benchmarks: conversations a second
//! apart, spread over three channels and `operators` operators, most of them
//! handled and closed, the newest 500 still open.

use std::time::{Duration, Instant};
use switchboard_app::ports::Store;
use switchboard_domain::workspace::Progress;
use switchboard_domain::*;

/// When the first seeded conversation starts (2027-01-15 08:00 UTC).
pub const FIRST: u64 = 1_800_000_000_000;

pub fn operator(i: usize) -> OperatorId {
    OperatorId::parse(format!("op{i:02}")).unwrap()
}

/// Seeds `count` conversations; returns how long it took.
pub async fn conversations(
    store: &dyn Store,
    t: &TenantId,
    count: usize,
    operators: usize,
) -> Duration {
    for i in 0..operators {
        store
            .operator_connected(
                t,
                &operator(i),
                &format!("Operator {i}"),
                &[Role::Operator],
                &ConnectionId::parse(format!("tab{i}")).unwrap(),
                Timestamp(1),
            )
            .await
            .unwrap();
    }
    let seeding = Instant::now();
    for n in 0..count {
        let at = Timestamp(FIRST + n as u64 * 1_000);
        let channel = [Channel::WebChat, Channel::WhatsApp, Channel::Messenger][n % 3];
        let entry = EntryInfo {
            entry_type: EntryType::Chat,
            language: "de".into(),
            browser: String::new(),
            os: String::new(),
            widget: "Shop".into(),
            page_url: String::new(),
            name: Some(format!("Person{} Fam{n}", n % 997)),
            phone: Some(format!("+49 170 {n:07}")),
            email: None,
        };
        let c = Conversation::start(
            ConversationId::parse(format!("c{n:06}")).unwrap(),
            t.clone(),
            VisitorId::parse(format!("v{n:06}")).unwrap(),
            channel,
            entry,
            at,
        );
        let c = store
            .start_conversation(c)
            .await
            .unwrap()
            .conversation()
            .clone();
        // Most are handled and closed; of the newest 500 a quarter are held,
        // the rest wait.
        if n + 500 < count || n % 4 == 0 {
            let who = operator((n / 4) % operators);
            store
                .accept(t, &c.id, &who, Timestamp(at.millis() + 20_000))
                .await
                .unwrap();
            if n + 500 < count {
                store
                    .close(t, &c.id, Some(&who), Timestamp(at.millis() + 300_000))
                    .await
                    .unwrap();
                if n % 4 == 0 {
                    store.set_progress(t, &c.id, Progress::Done).await.unwrap();
                }
            }
        }
    }
    seeding.elapsed()
}
