//! The admin's reports over 100,000 conversations, through the local
//! stack's admin API as a client downloads them, printed as a table: time
//! to the whole file, its size, and how far the process's resident memory
//! rose above what it was before the download.
//!
//!     cargo bench -p switchboard-tests --bench reports
//!
//! SQLite in a data directory, as the local stack keeps it; the period is
//! the whole seeded history (a conversation a second: about 28 hours).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_tests::admin::{access, admin_of, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::seed::{conversations, FIRST};

const CONVERSATIONS: usize = 100_000;
const OPERATORS: usize = 20;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Samples resident memory until stopped; the highest seen.
fn sampler() -> (Arc<AtomicBool>, Arc<AtomicU64>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(rss_kib()));
    let (s, p) = (stop.clone(), peak.clone());
    let handle = std::thread::spawn(move || {
        while !s.load(Ordering::SeqCst) {
            p.fetch_max(rss_kib(), Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    (stop, peak, handle)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(FIRST - 60_000));
    let stack = switchboard_tests::local::start_for_admin(dir.path(), clock.clone(), None).await;
    let api = Api::new(&stack);
    let http = reqwest::Client::new();
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let t = switchboard_domain::TenantId::parse("acme").unwrap();
    {
        use switchboard_app::ports::DirectoryStore;
        let settings = switchboard_domain::TenantSettings {
            max_chats: switchboard_domain::Capacity::new(10).unwrap(),
            ..Default::default()
        };
        stack
            .store
            .set_tenant_settings(&t, &settings)
            .await
            .unwrap();
    }
    let seeded = conversations(&*stack.store, &t, CONVERSATIONS, OPERATORS).await;
    println!(
        "Reports over {CONVERSATIONS} conversations ({OPERATORS} operators) through the admin API; seeding took {:.0} s",
        seeded.as_secs_f64()
    );
    println!();
    println!("| report | rows | MiB | seconds | rows/s | RSS rise MiB |");
    println!("|---|---|---|---|---|---|");
    // The seeded history spans 2027-01-15 and 16; the period is four weeks.
    let period = "from=2027-01-15&to=2027-02-12";
    for report in ["conversations", "kpis", "operator-status"] {
        let before = rss_kib();
        let (stop, peak, handle) = sampler();
        let started = Instant::now();
        // Read as it arrives and counted, never held, so the client's
        // memory does not hide the server's.
        let mut response = http
            .get(format!("{}/admin/reports/{report}?{period}", api.base))
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let (mut size, mut rows) = (0usize, 0usize);
        while let Some(chunk) = response.chunk().await.unwrap() {
            size += chunk.len();
            rows += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let rows = rows - 1;
        let took = started.elapsed();
        stop.store(true, Ordering::SeqCst);
        handle.join().unwrap();
        let rise = peak.load(Ordering::SeqCst).saturating_sub(before);
        println!(
            "| {report} | {rows} | {:.1} | {:.2} | {:.0} | {:.1} |",
            size as f64 / 1_048_576.0,
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64(),
            rise as f64 / 1024.0
        );
    }
    stack.stop().await;
}
