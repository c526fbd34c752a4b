//! Conversation lists over 100,000 conversations of one tenant, printed as
//! a table.
//!
//!     cargo bench -p switchboard-tests --bench lists
//!
//! On SQLite in a data directory (as the local stack keeps it): 20
//! operators, each holding a few open chats and thousands of closed ones,
//! a queue of waiting ones; every list the console offers, first page and
//! a page deep, timed through the store port.

use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_app::ports::Store;
use switchboard_domain::workspace::{ListFilter, ListOrder, Progress, Scope};
use switchboard_domain::*;
use switchboard_embedded::SqliteStore;

const CONVERSATIONS: usize = 100_000;
const OPERATORS: usize = 20;
const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "| {what:<52} | {:>4} | {:>7.3} | {:>7.3} |",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );
}

use switchboard_tests::seed::operator as op;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let t = TenantId::parse("acme").unwrap();
    store
        .put_tenant(&Tenant {
            timezone: None,
            id: t.clone(),
            name: "Acme".into(),
            settings: TenantSettings {
                max_chats: Capacity::new(10).unwrap(),
                ..TenantSettings::default()
            },
        })
        .await
        .unwrap();
    let seeded =
        switchboard_tests::seed::conversations(&*store, &t, CONVERSATIONS, OPERATORS).await;

    let lists = [
        (
            "open, mine, unread (the default)",
            true,
            Scope::Operator(op(3)),
            Some(Progress::Unread),
            None,
            ListOrder::Newest,
        ),
        (
            "open, unassigned, all, by SLA deadline",
            true,
            Scope::Unassigned,
            None,
            None,
            ListOrder::SlaDeadline,
        ),
        (
            "closed, mine, all",
            false,
            Scope::Operator(op(3)),
            None,
            None,
            ListOrder::Newest,
        ),
        (
            "closed, mine, done",
            false,
            Scope::Operator(op(3)),
            Some(Progress::Done),
            None,
            ListOrder::Newest,
        ),
        (
            "closed, mine, WhatsApp",
            false,
            Scope::Operator(op(3)),
            None,
            Some(Channel::WhatsApp),
            ListOrder::Newest,
        ),
    ];
    println!(
        "Lists over {CONVERSATIONS} conversations ({OPERATORS} operators), 20 per page; seeding took {:.0} s",
        seeded.as_secs_f64()
    );
    println!();
    println!("| list | n | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for (name, open, scope, progress, channel, order) in lists {
        let filter = ListFilter {
            open,
            scope,
            progress,
            channel,
            order,
        };
        let mut first = Vec::with_capacity(RUNS);
        let mut deeper = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            let page = store
                .list_conversations(&t, &filter, None, 20)
                .await
                .unwrap();
            first.push(start.elapsed());
            let mut cursor = page.next;
            for _ in 0..9 {
                let Some(c) = cursor else { break };
                let start = Instant::now();
                let page = store
                    .list_conversations(&t, &filter, Some(&c), 20)
                    .await
                    .unwrap();
                deeper.push(start.elapsed());
                cursor = page.next;
            }
        }
        row(&format!("{name}: first page"), first);
        if !deeper.is_empty() {
            row(&format!("{name}: pages 2 to 10"), deeper);
        }
    }
    for (name, make) in [
        ("search a surname prefix (fam + 3 digits, ~11 hits)", 0usize),
        ("search a first name (person + 3 digits, ~100 hits)", 1),
        (
            "search a phone prefix (+49 170 00 + 3 digits, ~100 hits)",
            2,
        ),
    ] {
        let mut samples = Vec::with_capacity(RUNS);
        for i in 0..RUNS {
            let q = match make {
                0 => format!("fam{}", 100 + (i * 37) % 900),
                1 => format!("person{}", 100 + (i * 13) % 897),
                _ => format!("+49 170 00{:03}", (i * 41) % 1_000),
            };
            let query = switchboard_domain::workspace::SearchQuery::parse(&q).unwrap();
            let start = Instant::now();
            let found = store.search_conversations(&t, &query, 20).await.unwrap();
            samples.push(start.elapsed());
            std::hint::black_box(found);
        }
        row(name, samples);
    }
}
