//! `#` search over 5,000 text blocks, printed as a table.
//!
//!     cargo bench -p switchboard-tests --bench text_blocks
//!
//! Through the local stack: an operator's `textblock.search` frame over a
//! real WebSocket to the answer, against SQLite, first with the tenant's
//! blocks read and folded (the first search, or the first after an admin's
//! change), then from the function's cache. The ranking alone is timed too.

use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_app::ports::TextBlockStore;
use switchboard_domain::workspace::{TextBlock, TextBlockIndex};
use switchboard_domain::{TenantId, Timestamp};
use switchboard_tests::admin::{access, admin_of, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_chat, start_for_admin, visitor_on};

const BLOCKS: usize = 5_000;
const SEARCHES: usize = 500;
const WORDS: &[&str] = &[
    "Rückgabe",
    "Versand",
    "Lieferung",
    "Rechnung",
    "Zahlung",
    "Garantie",
    "Größe",
    "Farbe",
    "Öffnungszeiten",
    "Konto",
    "Passwort",
    "Gutschein",
    "Rabatt",
    "Umtausch",
    "Reparatur",
    "Abholung",
    "Bestellung",
    "Storno",
    "Kündigung",
    "Vertrag",
    "Tarif",
    "Störung",
    "Termin",
    "Café",
    "Crème",
    "Entschuldigung",
    "Danke",
    "Hallo",
    "Willkommen",
    "Adresse",
];

fn block(tenant: &TenantId, i: usize) -> TextBlock {
    let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
    TextBlock {
        id: format!("b{i:05}"),
        tenant: tenant.clone(),
        language: if i % 3 == 0 { "en" } else { "de" }.into(),
        name: format!("{} {} {i}", w(0), w(1)),
        text: format!(
            "Hallo {{contact.name}}, zu {} und {}: {} {} {}. Ihr {{operator.name}}",
            w(2),
            w(3),
            w(4),
            w(5),
            w(6)
        ),
        updated_at: Timestamp(0),
    }
}

fn queries() -> Vec<String> {
    (0..SEARCHES)
        .map(|i| {
            let word = WORDS[i % WORDS.len()].to_lowercase();
            let len = 2 + i % 4;
            word.chars().take(len).collect()
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "| {what:<44} | {:>5} | {:>8.3} | {:>8.3} |",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let tenant = TenantId::parse("acme").unwrap();
    let blocks: Vec<TextBlock> = (0..BLOCKS).map(|i| block(&tenant, i)).collect();
    let queries = queries();

    let start = Instant::now();
    let index = TextBlockIndex::new(blocks.clone());
    let folding = start.elapsed();
    let ranking: Vec<Duration> = queries
        .iter()
        .map(|q| {
            let start = Instant::now();
            std::hint::black_box(index.search(q, Some("de-AT"), 10));
            start.elapsed()
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(
        dir.path(),
        Arc::new(FixedClock::at(1_800_000_000_000)),
        None,
    )
    .await;
    let api = Api::new(&stack);
    let token = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    for b in &blocks {
        stack.store.put_text_block(b).await.unwrap();
    }
    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", Some(&token), Some(shop))
            .await
            .0,
        201
    );
    let (mut console, _) = operator(&stack, &token).await;
    let mut visitor = visitor_on(&stack, "shop").await;
    let chat = start_chat(&mut visitor, "Grace", "de-AT").await;

    let search =
        |q: &str| json!({"action": "textblock.search", "query": q, "conversationId": chat["id"]});
    let start = Instant::now();
    let first = console.request(search("rück"), "first").await;
    let cold = start.elapsed();
    assert_eq!(first["event"], "textblock.results", "{first}");
    assert!(!first["blocks"].as_array().unwrap().is_empty(), "{first}");
    let mut warm = Vec::with_capacity(SEARCHES);
    for q in &queries {
        let frame = search(q);
        let start = Instant::now();
        let answer = console.request(frame, "q").await;
        warm.push(start.elapsed());
        assert_eq!(answer["event"], "textblock.results", "{answer}");
    }

    println!("`#` search over {BLOCKS} text blocks (German and English), 10 results");
    println!();
    println!("| what | n | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    row("fold the tenant's blocks (once per version)", vec![folding]);
    row("rank in memory", ranking);
    row("search frame, blocks read from SQLite", vec![cold]);
    row("search frame, cached (every later keystroke)", warm);
    stack.stop().await;
}
