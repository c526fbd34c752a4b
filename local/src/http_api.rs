//! The HTTP API's routes on the local stack, as their Lambda integrations
//! receive them: the channel webhooks and the Hero Card routes (an answer,
//! the card, its form page).

use crate::gateway::Inner;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The HTTP API's Lambda proxy integration: the request as lambda_http hands
/// it to the webhook function, body bytes untouched.
pub(crate) async fn webhook(
    State(inner): State<Arc<Inner>>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_WEBHOOK_BYTES).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let lambda_request =
        lambda_http::Request::from_parts(parts, lambda_http::Body::Binary(bytes.to_vec()));
    let response = channel_webhook::handle(&inner.functions.webhook, lambda_request).await;
    let (parts, body) = response.into_parts();
    let bytes = match body {
        lambda_http::Body::Text(t) => t.into_bytes(),
        lambda_http::Body::Binary(b) => b,
        _ => Vec::new(),
    };
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The HTTP API's card route, as its Lambda integration receives it; the
/// widget posts cross-origin, so the answer (and a preflight) carry CORS
/// headers as the HTTP API's CORS configuration adds them on AWS.
pub(crate) async fn card_submit(
    State(inner): State<Arc<Inner>>,
    axum::extract::Path(instance): axum::extract::Path<String>,
    request: axum::extract::Request,
) -> Response {
    let cors = [
        ("access-control-allow-origin", "*"),
        (
            "access-control-allow-headers",
            "authorization, content-type",
        ),
        ("access-control-allow-methods", "POST, OPTIONS"),
    ];
    match request.method().as_str() {
        "OPTIONS" => return (StatusCode::NO_CONTENT, cors).into_response(),
        "POST" => {}
        _ => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes =
        match axum::body::to_bytes(request.into_body(), hero_card_submit::MAX_BODY_BYTES).await {
            Ok(b) => b,
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        };
    let reply = hero_card_submit::submit(
        &inner.functions.cards,
        &instance,
        authorization.as_deref(),
        &bytes,
    )
    .await;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [("content-type", "application/json")],
        cors,
        reply.body,
    )
        .into_response()
}

/// The card's form page, as the HTTP API serves it.
pub(crate) async fn card_form(
    axum::extract::Path(instance): axum::extract::Path<String>,
) -> Response {
    match hero_card_submit::form_page(&instance) {
        Some(page) => (
            StatusCode::OK,
            [("content-type", "text/html; charset=utf-8")],
            page,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The card as its client sees it, for the form page.
pub(crate) async fn card_view(
    State(inner): State<Arc<Inner>>,
    axum::extract::Path(instance): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let reply =
        hero_card_submit::card(&inner.functions.cards, &instance, authorization.as_deref()).await;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [("content-type", "application/json")], reply.body).into_response()
}

/// API Gateway's payload limit for HTTP APIs.
const MAX_WEBHOOK_BYTES: usize = 10 * 1024 * 1024;
