//! Latency through the local stack, printed as a table.
//!
//!     cargo bench -p switchboard-tests --bench local_stack
//!
//! Real WebSocket clients on loopback, the same handlers and adapters the e2e
//! tests use (SQLite store, pushes over HTTP through the API Gateway SDK
//! client). These are local numbers: they show what the code costs, not what
//! API Gateway, Lambda and DynamoDB add on AWS.

use serde_json::json;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_app::ports::MessageStore;
use switchboard_domain::*;
use switchboard_embedded::SqliteStore;
use switchboard_local::Options;
use switchboard_tests::conformance::{put_tenant, waiting_conversation, T0};
use switchboard_tests::ws::Client;

const MESSAGES: usize = 500;
const ACCEPTS: usize = 100;
const STORE_OPS: usize = 2_000;

struct Row {
    name: &'static str,
    samples: Vec<Duration>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn print(rows: &mut [Row]) {
    println!(
        "\n{:<44} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "operation", "n", "p50 µs", "p95 µs", "p99 µs", "max µs"
    );
    for row in rows.iter_mut() {
        row.samples.sort();
        let us = |d: Duration| d.as_micros();
        println!(
            "{:<44} {:>6} {:>9} {:>9} {:>9} {:>9}",
            row.name,
            row.samples.len(),
            us(percentile(&row.samples, 0.50)),
            us(percentile(&row.samples, 0.95)),
            us(percentile(&row.samples, 0.99)),
            us(*row.samples.last().unwrap()),
        );
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

async fn through_the_stack() -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let stack = switchboard_local::start(quiet_consoles_kept(Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    )))
    .await
    .unwrap();
    let url = stack.ws_url();
    let mut operator = Client::connect(&format!("{url}?token={}", stack.seed.admin_token))
        .await
        .unwrap();
    operator.request(json!({"action": "hello"}), "hello").await;
    operator
        .request(json!({"action": "tenant.settings", "maxChats": 10}), "cap")
        .await;

    let mut accept = Vec::new();
    let mut start_to_queue = Vec::new();
    let mut conversation = String::new();
    let mut visitor = None;
    for i in 0..ACCEPTS {
        let mut v = Client::connect(&format!("{url}?widgetId={}", stack.seed.widget))
            .await
            .unwrap();
        let started_at = Instant::now();
        let started = v
            .request(
                json!({"action": "conversation.start", "entry": {
                    "type": "chat", "language": "en", "browser": "b", "os": "o",
                    "widget": "w", "pageUrl": "https://example.com"}}),
                "start",
            )
            .await;
        let id = started["view"]["conversation"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        operator
            .expect_where("queue.updated", |e| {
                switchboard_tests::ws::queue_change(e, "added", Some(id.as_str())).is_some()
            })
            .await;
        start_to_queue.push(started_at.elapsed());
        let t = Instant::now();
        let answer = operator
            .request(
                json!({"action": "conversation.accept", "conversationId": id}),
                &format!("a{i}"),
            )
            .await;
        accept.push(t.elapsed());
        assert_eq!(answer["event"], "conversation.accepted");
        if i + 1 < ACCEPTS {
            operator
                .request(
                    json!({"action": "conversation.close", "conversationId": id}),
                    &format!("c{i}"),
                )
                .await;
            v.close().await;
        } else {
            conversation = id;
            visitor = Some(v);
        }
    }
    let mut visitor = visitor.unwrap();

    let mut round_trip = Vec::new();
    for i in 0..MESSAGES {
        let t = Instant::now();
        visitor
            .send(json!({"action": "message.send", "clientMessageId": format!("m{i}"), "text": "How long does delivery take?"}))
            .await;
        operator.expect("message").await;
        round_trip.push(t.elapsed());
        visitor.expect("message.ack").await;
    }
    let mut ack = Vec::new();
    for i in 0..MESSAGES {
        let t = Instant::now();
        operator
            .request(
                json!({"action": "message.send", "conversationId": conversation, "clientMessageId": format!("o{i}"), "text": "About two days."}),
                &format!("o{i}"),
            )
            .await;
        ack.push(t.elapsed());
        visitor.expect("message").await;
    }
    stack.stop().await;
    vec![
        Row {
            name: "visitor message → operator receives it",
            samples: round_trip,
        },
        Row {
            name: "operator message → ack",
            samples: ack,
        },
        Row {
            name: "start → operators see it (via queue)",
            samples: start_to_queue,
        },
        Row {
            name: "accept → accepted",
            samples: accept,
        },
    ]
}

/// Automatic assignment: the default group routed `auto`, visitors start
/// one after another, and the clock runs from `conversation.start` until
/// both the visitor's socket and the operator's hold `conversation.accepted`.
async fn auto_assignment() -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let stack = switchboard_local::start(quiet_consoles_kept(Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    )))
    .await
    .unwrap();
    let url = stack.ws_url();
    let mut operator = Client::connect(&format!("{url}?token={}", stack.seed.admin_token))
        .await
        .unwrap();
    operator.request(json!({"action": "hello"}), "hello").await;
    operator
        .request(json!({"action": "tenant.settings", "maxChats": 10}), "cap")
        .await;
    let saved = operator
        .request(
            json!({"action": "group.put", "groupId": "default", "name": "Everyone", "policy": "auto"}),
            "auto",
        )
        .await;
    assert_eq!(saved["event"], "group.saved", "{saved}");
    let mut samples = Vec::new();
    for i in 0..ACCEPTS {
        let mut v = Client::connect(&format!("{url}?widgetId={}", stack.seed.widget))
            .await
            .unwrap();
        let t = Instant::now();
        let started = v
            .request(
                json!({"action": "conversation.start", "entry": {
                    "type": "chat", "language": "en", "browser": "b", "os": "o",
                    "widget": "w", "pageUrl": "https://example.com"}}),
                "start",
            )
            .await;
        let id = started["view"]["conversation"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        v.expect("conversation.accepted").await;
        operator
            .expect_where("conversation.accepted", |e| {
                e["event"] == "conversation.accepted"
                    && e["view"]["conversation"]["id"] == id.as_str()
            })
            .await;
        samples.push(t.elapsed());
        operator
            .request(
                json!({"action": "conversation.close", "conversationId": id}),
                &format!("c{i}"),
            )
            .await;
        v.close().await;
    }
    stack.stop().await;
    vec![Row {
        name: "start → both hold accepted (auto)",
        samples,
    }]
}

async fn store_only() -> Vec<Row> {
    let store: Arc<SqliteStore> =
        Arc::new(SqliteStore::open(tempfile::tempdir().unwrap().path()).unwrap());
    let t = TenantId::parse("bench").unwrap();
    put_tenant(&*store, &t, 10).await;
    let c = waiting_conversation(&*store, &t, "c", EntryType::Chat, T0).await;
    let mut append = Vec::new();
    for i in 0..STORE_OPS {
        let m = NewMessage::text(
            ClientMessageId::parse(format!("m{i}")).unwrap(),
            Author::System,
            MessageText::parse("hello").unwrap(),
            Timestamp(T0),
        );
        let start = Instant::now();
        store.append_message(&c, m).await.unwrap();
        append.push(start.elapsed());
    }
    let mut page = Vec::new();
    for i in 0..STORE_OPS {
        let start = Instant::now();
        store
            .messages(&t, &c.id, Some((STORE_OPS - i) as u64), 50)
            .await
            .unwrap();
        page.push(start.elapsed());
    }
    vec![
        Row {
            name: "sqlite: append message (on disk, WAL)",
            samples: append,
        },
        Row {
            name: "sqlite: history page of 50",
            samples: page,
        },
    ]
}

/// Whether a conversation's cost grows with its history: 20 conversations
/// written in turn up to 200 messages each, the first and the last tenth of
/// each conversation's appends side by side, and a page read at the end.
async fn history_growth() -> Vec<Row> {
    const CONVERSATIONS: usize = 20;
    const LENGTH: usize = 200;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let t = TenantId::parse("growth").unwrap();
    put_tenant(&*store, &t, 10).await;
    let mut conversations = Vec::new();
    for i in 0..CONVERSATIONS {
        conversations
            .push(waiting_conversation(&*store, &t, &format!("g{i}"), EntryType::Chat, T0).await);
    }
    let (mut early, mut late, mut pages) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..LENGTH {
        for c in &conversations {
            let m = NewMessage::text(
                ClientMessageId::parse(format!("{}-{n}", c.id)).unwrap(),
                Author::System,
                MessageText::parse("hello").unwrap(),
                Timestamp(T0),
            );
            let start = Instant::now();
            store.append_message(c, m).await.unwrap();
            let took = start.elapsed();
            if n < LENGTH / 10 {
                early.push(took);
            } else if n >= LENGTH - LENGTH / 10 {
                late.push(took);
            }
        }
    }
    for c in &conversations {
        for _ in 0..20 {
            let start = Instant::now();
            store.messages(&t, &c.id, None, 50).await.unwrap();
            pages.push(start.elapsed());
        }
    }
    vec![
        Row {
            name: "sqlite: append, messages 1-20 of 200",
            samples: early,
        },
        Row {
            name: "sqlite: append, messages 181-200 of 200",
            samples: late,
        },
        Row {
            name: "sqlite: newest page of 50, at 200 messages",
            samples: pages,
        },
    ]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut rows = runtime.block_on(through_the_stack());
    rows.extend(runtime.block_on(auto_assignment()));
    rows.extend(runtime.block_on(store_only()));
    rows.extend(runtime.block_on(history_growth()));
    print(&mut rows);
    if let Some(kib) = peak_rss_kib() {
        println!(
            "\npeak RSS of the whole process (stack + clients): {} MiB",
            kib / 1024
        );
    }
}

/// The benchmark's consoles do not ping, and a run can outlast two
/// heartbeats: without the sweep their operators stay online throughout.
fn quiet_consoles_kept(mut options: Options) -> Options {
    options.sweep_every = None;
    options
}
