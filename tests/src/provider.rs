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
}

pub struct FakeProvider {
    pub addr: SocketAddr,
    pub requests: mpsc::UnboundedReceiver<Recorded>,
}

impl FakeProvider {
    pub async fn start() -> FakeProvider {
        let (tx, requests) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            tx,
            counter: AtomicU64::new(0),
        });
        let router = Router::new()
            .route("/graph/{account}/messages", post(graph))
            .route("/graph/{waba}/message_templates", get(templates))
            .route("/apple/v1/message", post(apple))
            .with_state(inner);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        FakeProvider { addr, requests }
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

async fn apple(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) {
    let _ = inner.tx.send(Recorded {
        path: "/apple/v1/message".into(),
        headers,
        body: body.to_vec(),
    });
}
