//! Building a provider's send call for one of our messages, and reading its
//! answer. The sender use case owns retries and state; this owns the formats.

use super::errors::{http_error, messenger_error, vk_error, whatsapp_error};
use super::{apple, messenger, whatsapp, AccountBinding, ChannelsConfig};
use crate::digest::{hex_prefix, sha256_parts as digest};
use crate::ports::{HttpCall, HttpReply};
use secrecy::ExposeSecret;
use serde_json::Value;
use switchboard_domain::cards::CardInstance;
use switchboard_domain::{
    Channel, Contact, Content, DeliveryError, Message, SystemLine, Timestamp, Visibility,
};

/// What the provider made of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted; the provider's id for the message (what receipts will name).
    Sent { external_id: String },
    /// Worth trying again (429, 5xx, throttling codes).
    Retry(DeliveryError),
    /// Will not go through as it is; the operator has to act.
    Rejected(DeliveryError),
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("channel {0:?} cannot send")]
    Unsupported(Channel),
    /// The channel cannot carry this kind of content (yet).
    #[error("{kind} content cannot be sent through {channel:?}")]
    Cannot {
        kind: &'static str,
        channel: Channel,
    },
    /// Operators-only content must never reach a channel.
    #[error("{0} content is for operators only and is never sent")]
    Internal(&'static str),
    #[error("channel account {0} has no credentials configured")]
    NoCredentials(String),
    #[error("could not sign the request: {0}")]
    Signing(String),
}

/// Ties a provider's echo or receipt back to our message.
pub fn correlation(message: &Message) -> String {
    correlation_of(&message.conversation, message.seq)
}

/// [`correlation`] for a message not stored yet (a preview's placeholder).
pub fn correlation_of(conversation: &switchboard_domain::ConversationId, seq: u64) -> String {
    format!("sb:{conversation}:{seq}")
}

/// Apple's message id is ours to choose: derived from the message, so a retry
/// carries the same id.
pub fn apple_message_id(tenant: &str, message: &Message) -> String {
    let d = digest(&[
        tenant,
        message.conversation.as_str(),
        &message.seq.to_string(),
    ]);
    let hex = hex_prefix(&d, 16);
    format!(
        "{}-{}-5{}-a{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// VK's `random_id` makes `messages.send` idempotent; the same message gets the same one.
pub fn vk_random_id(tenant: &str, message: &Message) -> i32 {
    let d = digest(&[
        tenant,
        message.conversation.as_str(),
        &message.seq.to_string(),
    ]);
    i32::from_be_bytes([d[0] & 0x7f, d[1], d[2], d[3]])
}

pub(super) fn token(account: &AccountBinding) -> Result<&str, BuildError> {
    account
        .access_token
        .as_ref()
        .map(|t| t.expose())
        .ok_or_else(|| BuildError::NoCredentials(account.account_id.clone()))
}

pub(super) fn json_call(url: String, bearer: &str, body: &Value) -> HttpCall {
    HttpCall {
        method: "POST",
        url,
        headers: vec![
            ("authorization".into(), format!("Bearer {bearer}")),
            ("content-type".into(), "application/json".into()),
        ],
        body: body.to_string().into_bytes(),
    }
}

/// The provider call for `message`; a card message needs its sent card.
pub fn build(
    config: &ChannelsConfig,
    account: &AccountBinding,
    contact: &Contact,
    message: &Message,
    card: Option<&CardInstance>,
    now: Timestamp,
) -> Result<HttpCall, BuildError> {
    let text = match (&message.content, message.visibility()) {
        (_, Visibility::Operators) => return Err(BuildError::Internal(message.content.kind())),
        (Content::Text { text }, _) => text.as_str(),
        // A card's outcome line reaches a channel client as text.
        (
            Content::System {
                event: SystemLine::CardOutcome { text, .. },
            },
            _,
        ) if !text.is_empty() => text.as_str(),
        (Content::Template { template }, _) if contact.channel == Channel::WhatsApp => {
            let parameters = switchboard_domain::cards::TemplateParameters {
                header: template.header_parameters.clone(),
                body: template.parameters.clone(),
            };
            return Ok(json_call(
                format!("{}/{}/messages", config.endpoints.graph, account.account_id),
                token(account)?,
                &switchboard_domain::cards::template::message(
                    &template.name,
                    &template.language,
                    &parameters,
                    &contact.contact_id,
                    &correlation(message),
                ),
            ));
        }
        (Content::Card { .. }, _) => {
            let card = card.ok_or(BuildError::Cannot {
                kind: "card",
                channel: contact.channel,
            })?;
            return super::outbound_card::build(config, account, contact, message, card, now);
        }
        (other, _) => {
            return Err(BuildError::Cannot {
                kind: other.kind(),
                channel: contact.channel,
            })
        }
    };
    let base = &config.endpoints;
    match contact.channel {
        Channel::WhatsApp => Ok(json_call(
            format!("{}/{}/messages", base.graph, account.account_id),
            token(account)?,
            &whatsapp::text_message(&contact.contact_id, text, &correlation(message)),
        )),
        Channel::Messenger | Channel::Instagram => Ok(json_call(
            format!("{}/{}/messages", base.graph, account.account_id),
            token(account)?,
            &messenger::text_message(&contact.contact_id, text, &correlation(message)),
        )),
        Channel::Apple => {
            let (Some(cfg), Some(key)) = (
                config.apple.as_ref(),
                config.apple_key.as_ref().map(|k| k.expose_secret()),
            ) else {
                return Err(BuildError::NoCredentials(account.account_id.clone()));
            };
            let jwt = apple::outbound_token(&cfg.msp_id, key, now)
                .map_err(|e| BuildError::Signing(e.to_string()))?;
            let id = apple_message_id(contact.tenant.as_str(), message);
            let mut call = json_call(
                format!("{}/v1/message", base.apple),
                &jwt,
                &apple::text_message(&id, &account.account_id, &contact.contact_id, text),
            );
            call.headers.extend([
                ("id".to_string(), id),
                ("source-id".to_string(), account.account_id.clone()),
                ("destination-id".to_string(), contact.contact_id.clone()),
            ]);
            Ok(call)
        }
        Channel::Vk => {
            let form: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("peer_id", &contact.contact_id)
                .append_pair("message", text)
                .append_pair(
                    "random_id",
                    &vk_random_id(contact.tenant.as_str(), message).to_string(),
                )
                .append_pair("v", &base.vk_version)
                .finish();
            Ok(HttpCall {
                method: "POST",
                url: format!("{}/messages.send", base.vk),
                headers: vec![
                    (
                        "authorization".into(),
                        format!("Bearer {}", token(account)?),
                    ),
                    (
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ),
                ],
                body: form.into_bytes(),
            })
        }
        Channel::WebChat => Err(BuildError::Unsupported(Channel::WebChat)),
    }
}

fn graph_error(body: &Value) -> Option<(i64, Option<i64>, Option<String>)> {
    let e = body.get("error")?;
    Some((
        e.get("code").and_then(Value::as_i64)?,
        e.get("error_subcode").and_then(Value::as_i64),
        e.pointer("/error_data/details")
            .or_else(|| e.get("message"))
            .and_then(Value::as_str)
            .map(str::to_string),
    ))
}

/// Reads a provider's answer to [`build`]'s call.
pub fn classify(channel: Channel, apple_id: Option<&str>, reply: &HttpReply) -> SendOutcome {
    let body: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    let success = (200..300).contains(&reply.status);
    let by_retryable = |e: DeliveryError| {
        if e.retryable {
            SendOutcome::Retry(e)
        } else {
            SendOutcome::Rejected(e)
        }
    };
    let fallback = || by_retryable(http_error(reply.status));
    match channel {
        Channel::WhatsApp => match body.pointer("/messages/0/id").and_then(Value::as_str) {
            Some(id) if success => SendOutcome::Sent {
                external_id: id.into(),
            },
            _ => match graph_error(&body) {
                Some((code, _, msg)) if reply.status != 429 => {
                    by_retryable(whatsapp_error(code, msg))
                }
                _ => fallback(),
            },
        },
        Channel::Messenger | Channel::Instagram => {
            match body.get("message_id").and_then(Value::as_str) {
                Some(id) if success => SendOutcome::Sent {
                    external_id: id.into(),
                },
                _ => match graph_error(&body) {
                    Some((code, sub, msg)) if reply.status != 429 => {
                        by_retryable(messenger_error(code, sub, msg))
                    }
                    _ => fallback(),
                },
            }
        }
        // Apple answers 200 with an empty body; the id is the one we chose.
        Channel::Apple if success => SendOutcome::Sent {
            external_id: apple_id.unwrap_or_default().to_string(),
        },
        // VK answers 200 even for errors, with an `error` object.
        Channel::Vk if success => match (body.get("response"), body.get("error")) {
            (Some(r), None) => SendOutcome::Sent {
                external_id: format!("vk-out:{r}"),
            },
            (_, Some(e)) => by_retryable(vk_error(
                e.get("error_code")
                    .and_then(Value::as_i64)
                    .unwrap_or_default(),
                e.get("error_msg")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )),
            _ => by_retryable(http_error(502)),
        },
        _ => fallback(),
    }
}

#[cfg(test)]
#[path = "outbound_tests.rs"]
mod tests;
