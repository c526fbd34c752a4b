//! A fake of the providers' send APIs (Graph API for WhatsApp, Messenger and
//! Instagram; Apple's MSP gateway; VK), served on loopback. It records every
//! request and answers as the real API does on success.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

struct Inner {
    tx: mpsc::UnboundedSender<Recorded>,
    counter: AtomicU64,
    /// Apple's download flow: the encrypted blob behind every reference,
    /// and the preDownload and decodePayload calls made (not in `requests`).
    blob: std::sync::Mutex<Vec<u8>>,
    msp_reads: std::sync::Mutex<Vec<Recorded>>,
}

pub struct FakeProvider {
    pub addr: SocketAddr,
    pub requests: mpsc::UnboundedReceiver<Recorded>,
    inner: Arc<Inner>,
}

impl FakeProvider {
    pub async fn start() -> FakeProvider {
        let (tx, requests) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            tx,
            counter: AtomicU64::new(0),
            blob: std::sync::Mutex::new(Vec::new()),
            msp_reads: std::sync::Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/apple/v1/preDownload", get(pre_download))
            .route("/apple/download/blob", get(download))
            .route("/apple/v1/decodePayload", post(decode_payload))
            .route("/graph/{account}/messages", post(graph))
            .route("/graph/{waba}/message_templates", get(templates))
            .route("/apple/v1/message", post(apple))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        FakeProvider {
            addr,
            requests,
            inner,
        }
    }

    /// What Apple's download URL serves: the encrypted payload of every
    /// `interactiveDataRef`.
    pub fn set_apple_blob(&self, encrypted: Vec<u8>) {
        *self.inner.blob.lock().unwrap() = encrypted;
    }

    /// The preDownload and decodePayload calls so far.
    pub fn msp_reads(&self) -> Vec<Recorded> {
        self.inner.msp_reads.lock().unwrap().clone()
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next request the fake received, waiting for it.
    pub async fn next(&mut self) -> Recorded {
        tokio::time::timeout(std::time::Duration::from_secs(10), self.requests.recv())
            .await
            .expect("a provider request within 10 s")
            .expect("fake provider running")
    }
}

async fn graph(
    State(inner): State<Arc<Inner>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    let n = inner.counter.fetch_add(1, Ordering::SeqCst) + 1;
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let _ = inner.tx.send(Recorded {
        path: format!("/graph/{account}/messages"),
        headers,
        body: body.to_vec(),
    });
    if request["messaging_product"] == "whatsapp" {
        Json(json!({"messaging_product": "whatsapp",
                    "contacts": [{"input": request["to"], "wa_id": request["to"]}],
                    "messages": [{"id": format!("wamid.FAKE{n}")}]}))
    } else {
        Json(
            json!({"recipient_id": request["recipient"]["id"], "message_id": format!("m_FAKE{n}")}),
        )
    }
}

/// A WhatsApp Business Account's templates, in two pages as Meta pages
/// them (reads are not recorded).
async fn templates(
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    let template = |name: &str, language: &str, body: &str| {
        json!({"name": name, "language": language, "status": "APPROVED", "category": "UTILITY",
               "id": format!("tpl-{name}-{language}"),
               "components": [{"type": "BODY", "text": body},
                              {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes, continue"}]}]})
    };
    match query.get("after").map(String::as_str) {
        None => Json(json!({
            "data": [template("ticket_followup", "en_US", "Hi {{1}}, your ticket {{2}} is waiting. Continue?")],
            "paging": {"cursors": {"before": "p1b", "after": "page2"},
                       "next": "https://graph.facebook.com/v21.0/310000000000001/message_templates?after=page2"}
        })),
        Some("page2") => Json(json!({
            "data": [template("ticket_followup", "de", "Hallo {{1}}, Ihr Ticket {{2}} wartet. Weiter?")],
            "paging": {"cursors": {"before": "p2b", "after": "p2a"}}
        })),
        Some(_) => Json(json!({"data": []})),
    }
}

async fn pre_download(State(inner): State<Arc<Inner>>, headers: HeaderMap) -> Json<Value> {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    inner.msp_reads.lock().unwrap().push(Recorded {
        path: "/apple/v1/preDownload".into(),
        headers,
        body: Vec::new(),
    });
    Json(json!({"download-url": format!("http://{host}/apple/download/blob")}))
}

async fn download(State(inner): State<Arc<Inner>>) -> Vec<u8> {
    inner.blob.lock().unwrap().clone()
}

/// The real gateway decodes an archive; the fake's payloads are the JSON itself.
async fn decode_payload(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    inner.msp_reads.lock().unwrap().push(Recorded {
        path: "/apple/v1/decodePayload".into(),
        headers,
        body: body.to_vec(),
    });
    Json(serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn apple(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) {
    let _ = inner.tx.send(Recorded {
        path: "/apple/v1/message".into(),
        headers,
        body: body.to_vec(),
    });
}
