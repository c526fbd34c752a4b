//! A WebSocket gateway with API Gateway's semantics, for the local stack:
//! - every connection gets an id, and `$connect` runs before the upgrade is
//!   accepted (a non-2xx answer refuses it with that status);
//! - frames are routed on `$request.body.action`, falling back to `$default`;
//! - client frames over 32 KB are refused, and messages over 128 KB close the
//!   connection with 1009, as API Gateway does;
//! - `POST/GET/DELETE /{stage}/@connections/{id}` is the Management API, with
//!   410 GoneException for unknown ids and 413 over 128 KB;
//! - `$disconnect` runs when a connection ends, from either side.

use crate::live::{LiveConnections, Outgoing};
use crate::Functions;
use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use aws_lambda_events::encodings::Body as LambdaBody;
use aws_lambda_events::query_map::QueryMap;
use axum::body::Bytes;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::serve::ListenerExt;
use axum::Router;
use base64::Engine;
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_app::protocol::{MAX_FRAME_BYTES, MAX_MESSAGE_BYTES};
use tokio::sync::{mpsc, watch};

/// Route keys this API defines besides `$connect`/`$disconnect`. Like the SAM
/// template, everything goes to the message function through `$default`.
const ROUTES: &[&str] = &["$default"];
const CLOSE_TOO_BIG: u16 = 1009;
const READ_BUFFER_BYTES: usize = 16 * 1024;
const CLOSE_GOING_AWAY: u16 = 1001;

pub(crate) struct Inner {
    pub(crate) functions: Functions,
    connections: Arc<LiveConnections>,
    sessions: watch::Sender<usize>,
    stop: watch::Receiver<bool>,
}

#[derive(Clone)]
pub struct Gateway {
    functions: Functions,
    connections: Arc<LiveConnections>,
}

impl Gateway {
    pub fn new(functions: Functions, connections: Arc<LiveConnections>) -> Self {
        Self {
            functions,
            connections,
        }
    }

    pub async fn serve(self, listener: tokio::net::TcpListener, stop: watch::Receiver<bool>) {
        let (sessions, _) = watch::channel(0usize);
        let inner = Arc::new(Inner {
            functions: self.functions,
            connections: self.connections,
            sessions,
            stop: stop.clone(),
        });
        let router = Router::new()
            .route("/{stage}", get(upgrade))
            .route(
                "/{stage}/@connections/{id}",
                post(post_to_connection)
                    .get(get_connection)
                    .delete(delete_connection),
            )
            // The HTTP API's routes, on its default stage (no stage in the path).
            .route("/webhooks/{*rest}", any(crate::http_api::webhook))
            .route(
                "/cards/{instance}/submit",
                any(crate::http_api::card_submit),
            )
            .route("/cards/{instance}/form", get(crate::http_api::card_form))
            .route("/cards/{instance}", get(crate::http_api::card_view))
            .with_state(inner.clone())
            // The admin API: the function's own router, as lambda_http runs it.
            .merge(admin_api::router(inner.functions.admin.clone()))
            // The web clients, as the admin function serves them on AWS.
            .merge(admin_api::site::router(
                admin_api::site::Gateway::SameHost {
                    stage: crate::STAGE,
                },
            ));
        let mut stop_signal = stop.clone();
        // Without TCP_NODELAY, events pushed back to back on one socket wait ~40 ms
        // for a delayed ACK (Nagle); API Gateway does not add such a delay.
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "could not set TCP_NODELAY");
            }
        });
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stop_signal.wait_for(|s| *s).await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "gateway stopped with an error");
        }
        // Upgraded sockets outlive the HTTP server; wait for their $disconnect.
        let mut sessions = inner.sessions.subscribe();
        let _ = sessions.wait_for(|n| *n == 0).await;
    }
}

fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// API Gateway's connection ids are short URL-safe base64 strings like `L0SM9cOFvHcCIhw=`.
fn new_connection_id() -> String {
    let bytes: [u8; 11] = rand::random();
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

fn event(route: &str, event_type: &str, connection_id: &str) -> ApiGatewayWebsocketProxyRequest {
    let mut e = ApiGatewayWebsocketProxyRequest::default();
    let now = now_millis() as i64;
    e.request_context.route_key = Some(route.to_string());
    e.request_context.event_type = Some(event_type.to_string());
    e.request_context.connection_id = Some(connection_id.to_string());
    e.request_context.stage = Some(crate::STAGE.to_string());
    e.request_context.apiid = Some("local".to_string());
    e.request_context.message_direction = Some("IN".to_string());
    e.request_context.request_time_epoch = now;
    e.request_context.connected_at = now;
    e
}

/// `$request.body.action` route selection. With no route but `$default`
/// there is nothing to choose, and the frame is parsed once, by the function.
fn select_route(body: &str) -> &'static str {
    if ROUTES == ["$default"] {
        return "$default";
    }
    let action = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("action").and_then(|a| a.as_str()).map(str::to_string));
    action
        .and_then(|a| ROUTES.iter().find(|r| **r == a).copied())
        .unwrap_or("$default")
}

async fn upgrade(
    State(inner): State<Arc<Inner>>,
    Path(stage): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if stage != crate::STAGE {
        return (StatusCode::FORBIDDEN, "unknown stage").into_response();
    }
    let Ok(ws) = ws else {
        return (StatusCode::UPGRADE_REQUIRED, "WebSocket upgrade required").into_response();
    };
    let id = new_connection_id();
    let mut connect = event("$connect", "CONNECT", &id);
    connect.query_string_parameters = QueryMap::from(query);
    for (name, value) in headers.iter() {
        connect.headers.insert(name.clone(), value.clone());
    }
    let answer = ws_connect::handle(&inner.functions.connect, connect).await;
    if !(200..300).contains(&answer.status_code) {
        let status = StatusCode::from_u16(answer.status_code as u16)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = match answer.body {
            Some(LambdaBody::Text(t)) => t,
            _ => String::new(),
        };
        return (status, body).into_response();
    }
    // tungstenite zeroes the free part of its read buffer on every read; at
    // the default 128 KB that was a tenth of the stack's CPU under load, for
    // frames that are at most 32 KB.
    ws.read_buffer_size(READ_BUFFER_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        // Larger than API Gateway's 128 KB so the gateway itself can answer 1009.
        .max_message_size(MAX_MESSAGE_BYTES * 2)
        .on_upgrade(move |socket| session(inner, id, socket))
}

/// Counts a live session for the lifetime of the value.
struct SessionGuard(Arc<Inner>);

impl SessionGuard {
    fn new(inner: Arc<Inner>) -> Self {
        inner.sessions.send_modify(|n| *n += 1);
        Self(inner)
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.0.sessions.send_modify(|n| *n = n.saturating_sub(1));
    }
}

fn is_capacity_error(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(tungstenite::Error::Capacity(_)) = e.downcast_ref::<tungstenite::Error>() {
            return true;
        }
        source = e.source();
    }
    false
}

async fn session(inner: Arc<Inner>, id: String, socket: WebSocket) {
    let _guard = SessionGuard::new(inner.clone());
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Outgoing>();
    inner.connections.insert(&id, tx.clone(), now_millis());
    let writer = tokio::spawn(async move {
        while let Some(out) = rx.recv().await {
            let sent = match out {
                Outgoing::Text(t) => sink.send(Message::Text(t.into())).await,
                Outgoing::Close(code, reason) => {
                    let _ = sink
                        .send(Message::Close(Some(CloseFrame {
                            code,
                            reason: reason.into(),
                        })))
                        .await;
                    break;
                }
            };
            if sent.is_err() {
                break;
            }
        }
    });

    let mut stop = inner.stop.clone();
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            _ = stop.wait_for(|s| *s) => {
                let _ = tx.send(Outgoing::Close(CLOSE_GOING_AWAY, "Going away"));
                break;
            }
        };
        let body = match frame {
            Some(Ok(Message::Text(t))) => t.to_string(),
            Some(Ok(Message::Binary(b))) => String::from_utf8_lossy(&b).into_owned(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Close(_))) | None => break,
            Some(Err(e)) => {
                if is_capacity_error(&e) {
                    let _ = tx.send(Outgoing::Close(CLOSE_TOO_BIG, "Message too big"));
                }
                break;
            }
        };
        if body.len() > MAX_MESSAGE_BYTES {
            let _ = tx.send(Outgoing::Close(CLOSE_TOO_BIG, "Message too big"));
            break;
        }
        let route = select_route(&body);
        let mut message = event(route, "MESSAGE", &id);
        message.body = Some(body);
        // One frame at a time per connection keeps a client's own frames in order.
        let answer = ws_message::handle(&inner.functions.message, message).await;
        if answer.status_code >= 500 {
            tracing::warn!(connection = %id, "message handler failed");
        }
    }

    inner.connections.remove(&id);
    drop(tx);
    let _ = writer.await;
    let disconnect = event("$disconnect", "DISCONNECT", &id);
    ws_disconnect::handle(&inner.functions.disconnect, disconnect).await;
}

fn api_error(status: StatusCode, kind: &str, message: &str) -> Response {
    (
        status,
        [
            ("x-amzn-errortype", kind.to_string()),
            ("content-type", "application/json".to_string()),
        ],
        serde_json::json!({ "message": message }).to_string(),
    )
        .into_response()
}

async fn post_to_connection(
    State(inner): State<Arc<Inner>>,
    Path((stage, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if stage != crate::STAGE {
        return api_error(StatusCode::FORBIDDEN, "ForbiddenException", "unknown stage");
    }
    if body.len() > MAX_MESSAGE_BYTES {
        return api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLargeException",
            "payload exceeds 128 KB",
        );
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let delivered = inner.connections.deliver(&id, Outgoing::Text(text));
    if delivered {
        StatusCode::OK.into_response()
    } else {
        api_error(StatusCode::GONE, "GoneException", "connection is gone")
    }
}

async fn get_connection(
    State(inner): State<Arc<Inner>>,
    Path((_stage, id)): Path<(String, String)>,
) -> Response {
    let connected_at = inner.connections.connected_at(&id);
    match connected_at {
        Some(ms) => {
            let seconds = ms as f64 / 1000.0;
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                serde_json::json!({
                    "connectedAt": seconds,
                    "lastActiveAt": seconds,
                    "identity": { "sourceIp": "127.0.0.1", "userAgent": "" }
                })
                .to_string(),
            )
                .into_response()
        }
        None => api_error(StatusCode::GONE, "GoneException", "connection is gone"),
    }
}

async fn delete_connection(
    State(inner): State<Arc<Inner>>,
    Path((_stage, id)): Path<(String, String)>,
) -> Response {
    let closed = inner.connections.deliver(&id, Outgoing::Close(1000, ""));
    if closed {
        StatusCode::NO_CONTENT.into_response()
    } else {
        api_error(StatusCode::GONE, "GoneException", "connection is gone")
    }
}
