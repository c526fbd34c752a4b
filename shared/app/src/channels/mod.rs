//! The messaging channels' wire formats: authenticating and normalizing
//! webhooks, and building and reading the providers' send calls. Pure
//! translation; the use cases that store, queue and push are in
//! `service::channel`.

pub mod apple;
pub mod apple_idr;
pub mod auth;
pub mod config;
pub mod errors;
pub mod messenger;
pub mod outbound;
mod outbound_card;
pub mod source;
pub mod templates;
pub mod vk;
pub mod webhook;
pub mod whatsapp;

pub use config::{AccountBinding, ChannelsConfig, ChannelsConfigError, Secret};
pub use source::{AccountSecrets, ChannelsSource, ChannelsSourceError, PROVIDERS_SECRET};
pub use webhook::{WebhookError, WebhookReply, WebhookRequest};

use serde_json::Value;

/// An authenticated body that is not what the provider documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ParseError {
    pub field: String,
    pub reason: String,
}

impl ParseError {
    pub fn new(field: &str, reason: &str) -> Self {
        ParseError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

pub(crate) fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}
