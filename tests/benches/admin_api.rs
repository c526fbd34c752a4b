//! Sign-in and admin API latency through the local stack, printed as a table.
//!
//!     cargo bench -p switchboard-tests --bench admin_api
//!
//! Sign-in runs with the argon2id parameters the functions use (19 MiB, 5
//! passes, 1 lane), so its figure is mostly the hash; the hash alone is
//! timed too. Reads and writes are HTTP round trips on loopback against
//! SQLite: what the code costs, not what API Gateway and DynamoDB add.

use serde_json::json;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use switchboard_app::usecases::admin::Passwords;
use switchboard_local::Options;
use switchboard_tests::admin::{access, admin_of, Api, PASSWORD};

const SIGN_INS: usize = 60;
const CALLS: usize = 400;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "| {what:<34} | {:>5} | {:>8.2} | {:>8.2} |",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3
    );
}

async fn timed<F, Fut>(n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        f(i).await;
        out.push(start.elapsed());
    }
    out
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let passwords = Passwords::recommended().unwrap();
    let hash = passwords.hash(PASSWORD).unwrap();
    let hashing = (0..SIGN_INS)
        .map(|_| {
            let start = Instant::now();
            assert!(passwords.verify(PASSWORD, Some(&hash)));
            start.elapsed()
        })
        .collect();

    let dir = tempfile::tempdir().unwrap();
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    );
    options.sweep_every = None;
    options.passwords = Some(passwords);
    let stack = switchboard_local::start(options).await.unwrap();
    let api = Api::new(&stack);
    let token = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let t = Some(token.as_str());

    let sign_ins = timed(SIGN_INS, |_| async {
        assert_eq!(api.sign_in("ann@acme.example", PASSWORD).await.0, 200);
    })
    .await;
    let creates = timed(CALLS, |i| {
        let api = api.clone();
        async move {
            let (status, _) = api
                .call("POST", "/admin/widgets", t,
                    Some(json!({"id": format!("w{i:04}"), "name": "W", "allowedOrigins": ["https://shop.example"]})))
                .await;
            assert_eq!(status, 201);
        }
    })
    .await;
    let reads = timed(CALLS, |i| {
        let api = api.clone();
        async move {
            assert_eq!(
                api.call("GET", &format!("/admin/widgets/w{i:04}"), t, None)
                    .await
                    .0,
                200
            );
        }
    })
    .await;
    let lists = timed(CALLS, |_| async {
        assert_eq!(
            api.call("GET", "/admin/widgets?limit=50", t, None).await.0,
            200
        );
    })
    .await;
    let updates = timed(CALLS, |i| {
        let api = api.clone();
        async move {
            let (status, _) = api
                .call(
                    "PUT",
                    &format!("/admin/widgets/w{i:04}"),
                    t,
                    Some(json!({"name": "Renamed"})),
                )
                .await;
            assert_eq!(status, 200);
        }
    })
    .await;

    println!("argon2id m=19456 KiB, t=5, p=1; local stack on loopback, SQLite");
    println!(
        "| {:<34} | {:>5} | {:>8} | {:>8} |",
        "action", "n", "p50 ms", "p99 ms"
    );
    println!("|{:-<36}|{:-<7}|{:-<10}|{:-<10}|", "", "", "", "");
    row("argon2id verify (one core)", hashing);
    row("POST /admin/session (sign-in)", sign_ins);
    row("POST /admin/widgets (create)", creates);
    row("GET /admin/widgets/{id}", reads);
    row("GET /admin/widgets?limit=50", lists);
    row("PUT /admin/widgets/{id}", updates);
    stack.stop().await;
}
