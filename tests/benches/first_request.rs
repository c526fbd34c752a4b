//! What the first request over HTTPS costs a fresh process, against the next
//! ones: the functions' SDK client set-up (`switchboard_aws::sdk_http_client`'s
//! settings: hyper, rustls, ring) calling a local TLS endpoint that answers
//! as DynamoDB would.
//!
//!     cargo bench -p switchboard-tests --bench first_request
//!
//! Each run is a new process (this binary, started again), as a cold Lambda
//! execution environment is: it builds the client, then times three GetItem
//! calls. The TLS handshake, the crypto provider's first use and the
//! connection pool's first connection all fall on the first. `RUNS` sets how
//! many processes (default 20).

use aws_sdk_dynamodb::config::{Credentials, Region};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider, TlsContext, TrustStore};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CHILD: &str = "FIRST_REQUEST_ENDPOINT";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/tls/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Answers every request on every connection with an empty JSON object, as
/// DynamoDB answers a GetItem for a missing item.
async fn tls_endpoint() -> String {
    let certs = CertificateDer::pem_slice_iter(&fixture("localhost.cert.pem"))
        .collect::<Result<Vec<_>, _>>()
        .expect("certificate");
    let key = PrivateKeyDer::from_pem_slice(&fixture("localhost.key.pem")).expect("key");
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // One request: headers, then the body its length names.
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < end + 4 + length {
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + 4 + length);
                    let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\n\r\n{}";
                    if tls.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("https://localhost:{port}")
}

/// One cold process: client set-up, then three calls.
async fn child(endpoint: &str) {
    let started = Instant::now();
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .tls_context(
            TlsContext::builder()
                .with_trust_store(
                    TrustStore::empty().with_pem_certificate(fixture("localhost.cert.pem")),
                )
                .build()
                .expect("tls context"),
        )
        .build_https();
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("a", "b", None, None, "bench"))
        .endpoint_url(endpoint)
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let built = started.elapsed();
    let mut calls = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        client
            .get_item()
            .table_name("t")
            .key("PK", aws_sdk_dynamodb::types::AttributeValue::S("k".into()))
            .send()
            .await
            .expect("get item");
        calls.push(t.elapsed());
    }
    println!(
        "{} {} {} {}",
        built.as_micros(),
        calls[0].as_micros(),
        calls[1].as_micros(),
        calls[2].as_micros()
    );
}

fn median(mut v: Vec<u128>) -> Duration {
    v.sort();
    Duration::from_micros(v[v.len() / 2] as u64)
}

#[tokio::main]
async fn main() {
    if let Ok(endpoint) = std::env::var(CHILD) {
        child(&endpoint).await;
        return;
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let endpoint = tls_endpoint().await;
    let exe = std::env::current_exe().expect("own path");
    let mut columns: [Vec<u128>; 4] = Default::default();
    for _ in 0..runs {
        let endpoint = endpoint.clone();
        let exe = exe.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(exe)
                .env(CHILD, endpoint)
                .output()
                .expect("child runs")
        })
        .await
        .expect("child");
        let line = String::from_utf8_lossy(&out.stdout);
        let values: Vec<u128> = line
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        assert_eq!(
            values.len(),
            4,
            "child said {line:?}, {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for (column, value) in columns.iter_mut().zip(values) {
            column.push(value);
        }
    }
    let [built, first, second, third] = columns.map(median);
    println!("\nfirst request over HTTPS, a new process each run ({runs} runs), medians:");
    println!(
        "{:<40} {:>10.2} ms",
        "SDK config and client built",
        built.as_secs_f64() * 1e3
    );
    println!(
        "{:<40} {:>10.2} ms",
        "first GetItem (handshake included)",
        first.as_secs_f64() * 1e3
    );
    println!(
        "{:<40} {:>10.2} ms",
        "second GetItem",
        second.as_secs_f64() * 1e3
    );
    println!(
        "{:<40} {:>10.2} ms",
        "third GetItem",
        third.as_secs_f64() * 1e3
    );
    println!(
        "{:<40} {:>10.2} ms",
        "first minus second",
        (first.as_secs_f64() - second.as_secs_f64()) * 1e3
    );
}
