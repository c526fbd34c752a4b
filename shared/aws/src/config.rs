//! Function configuration, read once at start-up from the environment the SAM
//! template sets. Anything missing or malformed stops the function before it
//! takes a request, with a message naming the variable.

use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is required")]
    Missing(&'static str),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// The token signing key: in Secrets Manager on a deployed stack (the
/// template generates it), or given inline (tests, other deployments).
#[derive(Debug, Clone)]
pub enum SigningKeySource {
    Inline(TokenService),
    /// The secret's ARN or name.
    Secret(String),
    Missing,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub queue_events_url: String,
    /// Triggers for the queue-assignment function.
    pub assign_queue_url: String,
    /// Offline requests for the mail function.
    pub mail_queue_url: String,
    /// The SES identity mail is sent from; the mail function refuses to
    /// start without it.
    pub mail_from: Option<String>,
    /// Normalized webhook events, to the inbound consumer.
    pub channel_inbound_url: String,
    /// Operators' messages in channel conversations, to the sender.
    pub channel_outbound_url: String,
    /// Clients' card answers from channels, to the hero-card-submit function.
    pub card_submissions_url: String,
    /// The HTTP API's address, for links handed to clients (a card's form);
    /// without it WhatsApp's Edit tap sends no link.
    pub public_http_url: Option<String>,
    /// The WebSocket stage's callback URL for `@connections`.
    pub ws_callback_url: String,
    /// Where the token signing key comes from; read by [`crate::init_tokens`]
    /// in the functions that issue or check tokens.
    pub signing_key: SigningKeySource,
    /// Secrets are named `{prefix}/…` in Secrets Manager: the stack's name.
    pub secrets_prefix: String,
}

fn required(
    name: &'static str,
    get: &impl Fn(&str) -> Option<String>,
) -> Result<String, ConfigError> {
    match get(name) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ConfigError::Missing(name)),
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let ws_callback_url = required("WS_CALLBACK_URL", &get)?;
        if !(ws_callback_url.starts_with("https://") || ws_callback_url.starts_with("http://")) {
            return Err(ConfigError::Invalid {
                name: "WS_CALLBACK_URL",
                reason: "must be an http(s) URL".into(),
            });
        }
        let signing_key =
            match (
                get("TOKEN_SIGNING_KEY").filter(|v| !v.is_empty()),
                get("TOKEN_SIGNING_KEY_SECRET").filter(|v| !v.trim().is_empty()),
            ) {
                (Some(key), _) => SigningKeySource::Inline(
                    TokenService::new(key.into_bytes()).map_err(|reason| ConfigError::Invalid {
                        name: "TOKEN_SIGNING_KEY",
                        reason,
                    })?,
                ),
                (None, Some(secret)) => SigningKeySource::Secret(secret),
                (None, None) => SigningKeySource::Missing,
            };
        Ok(Self {
            table_name: required("TABLE_NAME", &get)?,
            queue_events_url: required("QUEUE_EVENTS_URL", &get)?,
            assign_queue_url: required("ASSIGN_QUEUE_URL", &get)?,
            mail_queue_url: required("MAIL_QUEUE_URL", &get)?,
            mail_from: get("MAIL_FROM").filter(|v| !v.trim().is_empty()),
            channel_inbound_url: required("CHANNEL_INBOUND_QUEUE_URL", &get)?,
            channel_outbound_url: required("CHANNEL_OUTBOUND_QUEUE_URL", &get)?,
            card_submissions_url: required("CARD_SUBMISSIONS_QUEUE_URL", &get)?,
            public_http_url: get("PUBLIC_HTTP_URL")
                .filter(|v| v.starts_with("https://") || v.starts_with("http://")),
            ws_callback_url,
            signing_key,
            secrets_prefix: get("SECRETS_PREFIX")
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| "switchboard".into()),
        })
    }
}

/// The channels document for the webhook and sender functions.
pub fn channels_from_env() -> Result<ChannelsConfig, ConfigError> {
    channels_from_lookup(|k| std::env::var(k).ok())
}

pub fn channels_from_lookup(
    get: impl Fn(&str) -> Option<String>,
) -> Result<ChannelsConfig, ConfigError> {
    let raw = required("CHANNELS_CONFIG", &get)?;
    ChannelsConfig::parse(&raw).map_err(|e| ConfigError::Invalid {
        name: "CHANNELS_CONFIG",
        reason: e.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn names_what_is_missing_or_wrong() {
        let err = Config::from_lookup(env(&[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable WS_CALLBACK_URL is required"
        );
        let err = Config::from_lookup(env(&[
            ("WS_CALLBACK_URL", "https://x"),
            ("TOKEN_SIGNING_KEY", "short"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("TOKEN_SIGNING_KEY is invalid"));
        let from_secret = Config::from_lookup(env(&[
            ("WS_CALLBACK_URL", "https://x/prod"),
            (
                "TOKEN_SIGNING_KEY_SECRET",
                "arn:aws:secretsmanager:eu-west-1:1:secret:s/signing-key",
            ),
            ("TABLE_NAME", "t"),
            ("QUEUE_EVENTS_URL", "https://sqs/q.fifo"),
            ("ASSIGN_QUEUE_URL", "https://sqs/assign"),
            ("MAIL_QUEUE_URL", "https://sqs/mail"),
            ("CHANNEL_INBOUND_QUEUE_URL", "https://sqs/in.fifo"),
            ("CHANNEL_OUTBOUND_QUEUE_URL", "https://sqs/out.fifo"),
            ("CARD_SUBMISSIONS_QUEUE_URL", "https://sqs/cards"),
        ]))
        .unwrap();
        assert!(matches!(
            from_secret.signing_key,
            SigningKeySource::Secret(_)
        ));
        let ok = Config::from_lookup(env(&[
            ("WS_CALLBACK_URL", "https://x/prod"),
            ("TOKEN_SIGNING_KEY", &"k".repeat(32)),
            ("TABLE_NAME", "t"),
            ("QUEUE_EVENTS_URL", "https://sqs/q.fifo"),
            ("ASSIGN_QUEUE_URL", "https://sqs/assign"),
            ("MAIL_QUEUE_URL", "https://sqs/mail"),
            ("CHANNEL_INBOUND_QUEUE_URL", "https://sqs/in.fifo"),
            ("CHANNEL_OUTBOUND_QUEUE_URL", "https://sqs/out.fifo"),
            ("CARD_SUBMISSIONS_QUEUE_URL", "https://sqs/cards"),
        ]));
        assert!(ok.is_ok());
        assert!(channels_from_lookup(env(&[])).is_err());
        assert!(channels_from_lookup(env(&[("CHANNELS_CONFIG", "{\"accounts\":[]}")])).is_ok());
    }
}
