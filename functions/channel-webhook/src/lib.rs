//! HTTP API function for the channel webhooks (`/webhooks/whatsapp`,
//! `/webhooks/meta`, `/webhooks/apple/message`, `/webhooks/vk`): authenticates,
//! normalizes and queues, and answers 200 only once the events are queued.

use lambda_http::{Body, Request, Response};
use std::sync::Arc;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::channels::{WebhookReply, WebhookRequest};
use switchboard_app::{Adapters, Webhook};

/// The request with its exact body bytes: lambda_http has already undone
/// API Gateway's base64 for binary bodies, and signatures cover these bytes.
pub fn webhook_request(request: Request) -> WebhookRequest {
    let (parts, body) = request.into_parts();
    let query = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let body = match body {
        Body::Empty => Vec::new(),
        Body::Text(text) => text.into_bytes(),
        Body::Binary(bytes) => bytes,
        _ => Vec::new(),
    };
    WebhookRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        headers,
        body,
    }
}

pub fn http_response(reply: WebhookReply) -> Response<Body> {
    let mut response = Response::new(Body::Text(reply.body));
    *response.status_mut() =
        lambda_http::http::StatusCode::from_u16(reply.status).unwrap_or_default();
    response.headers_mut().insert(
        lambda_http::http::header::CONTENT_TYPE,
        lambda_http::http::HeaderValue::from_static(reply.content_type),
    );
    response
}

/// The only port the webhook uses: the inbound channel bus. It touches no table.
pub fn wire(adapters: &dyn Adapters, config: Arc<ChannelsConfig>) -> Webhook {
    Webhook::build(adapters, config)
}

pub async fn handle(webhook: &Webhook, request: Request) -> Response<Body> {
    http_response(webhook.webhook(webhook_request(request)).await)
}
