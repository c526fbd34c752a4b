//! A tenant's card definitions, and the limits of the channels they are
//! shown in. A card that a channel could not render is refused when it is
//! saved, naming the field, rather than failing when an operator sends it.

use super::fields::{check_values, CardField, CardValues, FieldKind, MAX_FIELD_ID};
use crate::conversation::Channel;
use crate::ids::TenantId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The channel types a card is written for: the three that render a form.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum CardChannel {
    Webchat,
    Apple,
    Whatsapp,
}

impl CardChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            CardChannel::Webchat => "webchat",
            CardChannel::Apple => "apple",
            CardChannel::Whatsapp => "whatsapp",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "webchat" => Some(CardChannel::Webchat),
            "apple" => Some(CardChannel::Apple),
            "whatsapp" => Some(CardChannel::Whatsapp),
            _ => None,
        }
    }

    /// The card type a conversation's channel shows; None where cards are
    /// not offered (Messenger, Instagram, VK).
    pub fn of(channel: Channel) -> Option<Self> {
        match channel {
            Channel::WebChat => Some(CardChannel::Webchat),
            Channel::Apple => Some(CardChannel::Apple),
            Channel::WhatsApp => Some(CardChannel::Whatsapp),
            _ => None,
        }
    }

    fn limits(self) -> Limits {
        match self {
            CardChannel::Webchat => Limits {
                title: 120,
                text: 4000,
                fields: 20,
                label: 100,
                options: 50,
                option_label: 100,
                button: 40,
            },
            // Apple: a form's pages and a list picker's items; titles as
            // the Messages sheet shows them without truncation.
            CardChannel::Apple => Limits {
                title: 60,
                text: 1024,
                fields: 10,
                label: 60,
                options: 12,
                option_label: 60,
                button: 24,
            },
            // WhatsApp without a Flow: reply buttons (title ≤ 20, body ≤ 1024,
            // header ≤ 60) and one list per choice (≤ 10 rows, row title ≤ 24).
            CardChannel::Whatsapp => Limits {
                title: 60,
                text: 1024,
                fields: 10,
                label: 30,
                options: 10,
                option_label: 24,
                button: 20,
            },
        }
    }
}

struct Limits {
    title: usize,
    text: usize,
    fields: usize,
    label: usize,
    options: usize,
    option_label: usize,
    button: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardDefinition {
    pub id: String,
    pub tenant: TenantId,
    pub name: String,
    /// A language tag: `de`, `pt-BR`.
    pub language: String,
    pub channel: CardChannel,
    pub title: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default)]
    pub fields: Vec<CardField>,
    /// Button titles; the conversation language's words when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_label: Option<String>,
    /// WhatsApp: a published Flow that shows the fields natively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp_flow_id: Option<String>,
    /// How long a sent card waits for an answer before it expires.
    #[serde(default = "default_expiry")]
    pub expires_after_seconds: u64,
    pub updated_at: Timestamp,
}

fn default_expiry() -> u64 {
    CardDefinition::DEFAULT_EXPIRY_SECONDS
}

/// A definition that cannot be saved, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct CardDefinitionError {
    pub field: String,
    pub reason: String,
}

impl CardDefinition {
    pub const MAX_NAME: usize = 100;
    pub const DEFAULT_EXPIRY_SECONDS: u64 = 24 * 3600;
    pub const EXPIRY_RANGE: std::ops::RangeInclusive<u64> = 60..=7 * 24 * 3600;

    /// Whether the card can be shown in its channel, naming the first field
    /// that cannot.
    pub fn validate(&self) -> Result<(), CardDefinitionError> {
        let limits = self.channel.limits();
        let channel = self.channel.as_str();
        let fail = |field: String, reason: String| Err(CardDefinitionError { field, reason });
        let too_long = |field: &str, got: &str, max: usize| {
            let n = got.chars().count();
            (n > max).then(|| CardDefinitionError {
                field: field.to_string(),
                reason: format!("at most {max} characters in {channel}, got {n}"),
            })
        };
        let blank = |field: &str, got: &str| {
            got.trim().is_empty().then(|| CardDefinitionError {
                field: field.to_string(),
                reason: "is required".into(),
            })
        };
        for (field, got, max) in [
            ("name", &self.name, Self::MAX_NAME),
            ("title", &self.title, limits.title),
            ("text", &self.text, limits.text),
        ] {
            if let Some(e) = blank(field, got).or_else(|| too_long(field, got, max)) {
                return Err(e);
            }
        }
        let language_ok = (2..=35).contains(&self.language.len())
            && self
                .language
                .split(['-', '_'])
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !language_ok {
            return fail(
                "language".into(),
                "is not a language tag such as de or pt-BR".into(),
            );
        }
        if let Some(url) = &self.image_url {
            if !url.starts_with("https://") || url.len() > 2000 || url.contains(char::is_whitespace)
            {
                return fail("imageUrl".into(), "must be an https URL".into());
            }
        }
        for (field, label) in [
            ("confirmLabel", &self.confirm_label),
            ("cancelLabel", &self.cancel_label),
        ] {
            if let Some(label) = label {
                if let Some(e) =
                    blank(field, label).or_else(|| too_long(field, label, limits.button))
                {
                    return Err(e);
                }
            }
        }
        if self.whatsapp_flow_id.is_some() && self.channel != CardChannel::Whatsapp {
            return fail(
                "whatsappFlowId".into(),
                "only WhatsApp cards show a Flow".into(),
            );
        }
        if let Some(flow) = &self.whatsapp_flow_id {
            if flow.is_empty()
                || flow.len() > 64
                || !flow.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return fail("whatsappFlowId".into(), "is not a Flow id".into());
            }
        }
        if !Self::EXPIRY_RANGE.contains(&self.expires_after_seconds) {
            return fail(
                "expiresAfterSeconds".into(),
                format!(
                    "must be {} to {} seconds",
                    Self::EXPIRY_RANGE.start(),
                    Self::EXPIRY_RANGE.end()
                ),
            );
        }
        if self.fields.len() > limits.fields {
            return fail(
                "fields".into(),
                format!(
                    "at most {} fields in {channel}, got {}",
                    limits.fields,
                    self.fields.len()
                ),
            );
        }
        // WhatsApp without a Flow shows each choice as one list message.
        let mut rows = 0;
        for (i, f) in self.fields.iter().enumerate() {
            let at = |name: &str| format!("fields[{i}].{name}");
            let id_ok = !f.id.is_empty()
                && f.id.len() <= MAX_FIELD_ID
                && f.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !id_ok {
                return fail(at("id"), format!("1 to {MAX_FIELD_ID} of a-z, 0-9 and _"));
            }
            if self.fields[..i].iter().any(|g| g.id == f.id) {
                return fail(at("id"), format!("{:?} is used twice", f.id));
            }
            if let Some(e) = blank(&at("label"), &f.label)
                .or_else(|| too_long(&at("label"), &f.label, limits.label))
            {
                return Err(e);
            }
            if let FieldKind::Choice { options } = &f.kind {
                if options.is_empty() {
                    return fail(at("options"), "a choice needs options".into());
                }
                if options.len() > limits.options {
                    return fail(
                        at("options"),
                        format!(
                            "{channel} shows at most {} options, got {}",
                            limits.options,
                            options.len()
                        ),
                    );
                }
                rows += options.len();
                for (j, o) in options.iter().enumerate() {
                    let oat = |name: &str| format!("fields[{i}].options[{j}].{name}");
                    if o.id.is_empty() || o.id.len() > MAX_FIELD_ID || o.id.contains(':') {
                        return fail(oat("id"), format!("1 to {MAX_FIELD_ID} characters, no ':'"));
                    }
                    if options[..j].iter().any(|p| p.id == o.id) {
                        return fail(oat("id"), format!("{:?} is used twice", o.id));
                    }
                    if let Some(e) = blank(&oat("label"), &o.label)
                        .or_else(|| too_long(&oat("label"), &o.label, limits.option_label))
                    {
                        return Err(e);
                    }
                }
            }
            if let Some(default) = &f.default {
                if let Err(reason) = f.check(default) {
                    return fail(at("default"), reason);
                }
            }
        }
        if self.channel == CardChannel::Whatsapp && self.whatsapp_flow_id.is_none() && rows > 10 {
            return fail(
                "fields".into(),
                format!("a WhatsApp list shows at most 10 rows in all, the choices have {rows}"),
            );
        }
        Ok(())
    }

    /// The fields' defaults, as a card is sent when the operator fills in
    /// nothing.
    pub fn defaults(&self) -> CardValues {
        self.fields
            .iter()
            .filter_map(|f| {
                let v = f.default.as_ref()?;
                Some((f.id.clone(), f.check(v).ok()?))
            })
            .collect()
    }

    /// The operator's prefills laid over the defaults, checked.
    pub fn prefill(&self, given: &CardValues) -> Result<CardValues, super::fields::ValueError> {
        check_values(&self.fields, &self.defaults(), given, false)
    }
}
