//! One webhook request, from raw bytes to normalized events, in the order the
//! providers require: route, authenticate, inflate, parse. Nothing here
//! stores or queues; failing any step leaves no trace but the answer.

use super::apple::{self, AppleHeaders};
use super::auth::{self, AuthError, InflateError};
use super::{messenger, vk, whatsapp, ChannelsConfig, ParseError};
use secrecy::ExposeSecret;
use serde_json::Value;
use switchboard_domain::{Channel, ChannelEvent};

/// Largest inflated Apple body accepted. Apple moves big payloads out of band
/// (attachments through MMCS, interactive data over 10 KB by reference), so
/// real bodies are far smaller.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// An HTTP request as the function receives it: the body is the exact bytes
/// (base64 already undone), headers keep their values verbatim.
#[derive(Debug, Clone, Default)]
pub struct WebhookRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WebhookRequest {
    /// Header names are case-insensitive; HTTP API lowercases them anyway.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookReply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl WebhookReply {
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        WebhookReply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("no webhook at this path")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("unauthenticated: {0}")]
    Unauthorized(#[from] AuthError),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("body too large: {0}")]
    TooLarge(String),
    #[error("could not queue the events: {0}")]
    Unavailable(String),
}

impl WebhookError {
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::NotFound => 404,
            WebhookError::MethodNotAllowed => 405,
            WebhookError::Unauthorized(_) => 401,
            WebhookError::Forbidden(_) => 403,
            WebhookError::BadRequest(_) => 400,
            WebhookError::TooLarge(_) => 413,
            WebhookError::Unavailable(_) => 503,
        }
    }

    /// The one place a webhook failure becomes a response. Authentication
    /// failures say no more than the status; a provider's own malformed body
    /// is told what was wrong.
    pub fn reply(&self) -> WebhookReply {
        let body = match self {
            WebhookError::BadRequest(_) | WebhookError::TooLarge(_) => self.to_string(),
            WebhookError::Unavailable(_) => "temporarily unavailable".into(),
            _ => String::new(),
        };
        WebhookReply::text(self.status(), body)
    }
}

impl From<ParseError> for WebhookError {
    fn from(e: ParseError) -> Self {
        WebhookError::BadRequest(e.to_string())
    }
}

impl From<InflateError> for WebhookError {
    fn from(e: InflateError) -> Self {
        match e {
            InflateError::Invalid => WebhookError::BadRequest(e.to_string()),
            InflateError::TooLarge(_) => WebhookError::TooLarge(e.to_string()),
        }
    }
}

/// What an authenticated webhook amounts to.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub events: Vec<ChannelEvent>,
    /// Sent once the events are durably queued.
    pub reply: WebhookReply,
}

fn json(body: &[u8]) -> Result<Value, WebhookError> {
    serde_json::from_slice(body)
        .map_err(|e| WebhookError::BadRequest(format!("body is not JSON: {e}")))
}

/// Routes by path, then authenticates, inflates and parses, in that order.
pub fn receive(config: &ChannelsConfig, req: &WebhookRequest) -> Result<Received, WebhookError> {
    let path = req.path.trim_end_matches('/');
    match (path, req.method.as_str()) {
        ("/webhooks/whatsapp" | "/webhooks/meta", "GET") => meta_handshake(config, req),
        ("/webhooks/whatsapp", "POST") => {
            let payload = meta_payload(config, req)?;
            Ok(ok(whatsapp::normalize(&payload)?))
        }
        ("/webhooks/meta", "POST") => {
            let payload = meta_payload(config, req)?;
            Ok(ok(messenger::normalize(&payload)?))
        }
        ("/webhooks/apple/message", "POST") => apple_message(config, req),
        ("/webhooks/vk", "POST") => vk_callback(config, req),
        (
            "/webhooks/whatsapp" | "/webhooks/meta" | "/webhooks/apple/message" | "/webhooks/vk",
            _,
        ) => Err(WebhookError::MethodNotAllowed),
        _ => Err(WebhookError::NotFound),
    }
}

fn ok(events: Vec<ChannelEvent>) -> Received {
    Received {
        events,
        reply: WebhookReply::text(200, ""),
    }
}

fn meta_handshake(config: &ChannelsConfig, req: &WebhookRequest) -> Result<Received, WebhookError> {
    let meta = config
        .meta
        .as_ref()
        .ok_or(WebhookError::Forbidden("meta channels are not configured"))?;
    let token_ok = req
        .query("hub.verify_token")
        .is_some_and(|t| auth::secret_eq(t, meta.verify_token.expose()));
    match (req.query("hub.mode"), req.query("hub.challenge")) {
        (Some("subscribe"), Some(challenge)) if token_ok => Ok(Received {
            events: Vec::new(),
            reply: WebhookReply::text(200, challenge),
        }),
        _ => Err(WebhookError::Forbidden("verify token does not match")),
    }
}

fn meta_payload(config: &ChannelsConfig, req: &WebhookRequest) -> Result<Value, WebhookError> {
    let Some(meta) = config.meta.as_ref() else {
        // Nothing could verify it, so nothing about it is trusted.
        return Err(AuthError::Invalid("X-Hub-Signature-256").into());
    };
    auth::verify_meta_signature(
        req.header("x-hub-signature-256"),
        &req.body,
        meta.app_secret.expose().as_bytes(),
    )?;
    json(&req.body)
}

fn apple_message(config: &ChannelsConfig, req: &WebhookRequest) -> Result<Received, WebhookError> {
    let (Some(apple), Some(key)) = (
        config.apple.as_ref(),
        config.apple_key.as_ref().map(|k| k.expose_secret()),
    ) else {
        return Err(AuthError::Invalid("Authorization").into());
    };
    auth::verify_apple_token(req.header("authorization"), &apple.msp_id, key)?;
    let destination = req
        .header("destination-id")
        .ok_or(AuthError::Missing("destination-id"))?;
    if !config.is_apple_business(destination) {
        return Err(WebhookError::Forbidden(
            "destination-id is not a configured business",
        ));
    }
    let gzipped = req
        .header("content-encoding")
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("gzip"));
    let inflated;
    let body = if gzipped {
        inflated = auth::gunzip(&req.body, MAX_INFLATED_BYTES)?;
        &inflated[..]
    } else {
        &req.body[..]
    };
    let headers = AppleHeaders {
        id: req.header("id").map(str::to_string),
        source_id: req.header("source-id").map(str::to_string),
        destination_id: Some(destination.to_string()),
        capability_list: req.header("capability-list").map(str::to_string),
        device_agent: req.header("device-agent").map(str::to_string),
    };
    Ok(ok(apple::normalize(&headers, &json(body)?)?))
}

/// VK authenticates with a secret inside the body, so the body is parsed first.
fn vk_callback(config: &ChannelsConfig, req: &WebhookRequest) -> Result<Received, WebhookError> {
    let body = json(&req.body)?;
    let group = vk::group_id(&body).ok_or(WebhookError::Forbidden("unknown VK community"))?;
    let account = config
        .account(Channel::Vk, &group)
        .ok_or(WebhookError::Forbidden("unknown VK community"))?;
    if body.get("type").and_then(Value::as_str) == Some("confirmation") {
        // Sent when the server is added; in some setups it carries no secret.
        return Ok(Received {
            events: Vec::new(),
            reply: WebhookReply::text(200, account.confirmation.clone().unwrap_or_default()),
        });
    }
    let expected = account
        .secret
        .as_ref()
        .map(|s| s.expose())
        .unwrap_or_default();
    let given = body.get("secret").and_then(Value::as_str);
    match given {
        None => return Err(AuthError::Missing("secret").into()),
        Some(s) if !auth::secret_eq(s, expected) => return Err(AuthError::Invalid("secret").into()),
        Some(_) => {}
    }
    Ok(Received {
        events: vk::normalize(&body)?,
        // Anything but the literal `ok` makes VK send again.
        reply: WebhookReply::text(200, "ok"),
    })
}
