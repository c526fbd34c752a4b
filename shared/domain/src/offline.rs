//! The offline form: when no operator of a widget's group is online, or the
//! group is closed, a client leaves their contact and a message instead,
//! which is stored and e-mailed to the widget's address.

use crate::conversation::EntryType;
use crate::ids::{GroupId, TenantId, WidgetId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Why the service is offline for a start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfflineReason {
    /// Outside the group's business hours (or a closed date).
    Closed,
    /// Nobody of the group is online with an open console.
    NoOperator,
}

/// A client's offline request as stored and mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineRequest {
    pub id: String,
    pub tenant: TenantId,
    pub widget: WidgetId,
    pub group: GroupId,
    pub entry_type: EntryType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub message: String,
    /// The widget's address at the time, so a later change does not
    /// redirect a request already made.
    pub mail_to: String,
    pub created_at: Timestamp,
}

/// What is wrong with a submitted form; each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfflineFormError {
    #[error("{field} is not a valid e-mail address")]
    InvalidEmail { field: &'static str },
    #[error("phone is not a valid phone number (7 to 15 digits, optionally +)")]
    InvalidPhone,
    #[error("message is required")]
    MissingMessage,
    #[error("give an e-mail address or a phone number to be reached at")]
    MissingContact,
    #[error("{field} has at most {max} characters")]
    TooLong { field: &'static str, max: usize },
}

impl OfflineFormError {
    pub fn field(&self) -> &'static str {
        match self {
            OfflineFormError::InvalidEmail { field } | OfflineFormError::TooLong { field, .. } => {
                field
            }
            OfflineFormError::InvalidPhone => "phone",
            OfflineFormError::MissingMessage => "message",
            OfflineFormError::MissingContact => "email",
        }
    }
}

pub const MAX_NAME: usize = 200;
pub const MAX_EMAIL: usize = 254;
pub const MAX_PHONE: usize = 40;
pub const MAX_MESSAGE: usize = 4000;

/// An e-mail address as a form takes it: one `@`, a local part of at most
/// 64 characters, a dotted domain, no spaces or control characters. (The
/// domain crate carries no mail library; the mail adapter parses it again.)
pub fn is_email(raw: &str) -> bool {
    if raw.len() > MAX_EMAIL || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = raw.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// A phone number as people type it: an optional leading `+`, digits, and
/// spaces, dashes, dots or brackets between; 7 to 15 digits (E.164's most).
pub fn is_phone(raw: &str) -> bool {
    let body = raw.strip_prefix('+').unwrap_or(raw);
    let digits = body.chars().filter(|c| c.is_ascii_digit()).count();
    body.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
        && (7..=15).contains(&digits)
}

/// The submitted fields, trimmed and checked.
pub struct OfflineForm {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub message: String,
}

fn trimmed(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn bounded(
    value: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<(), OfflineFormError> {
    match value {
        Some(v) if v.chars().count() > max => Err(OfflineFormError::TooLong { field, max }),
        _ => Ok(()),
    }
}

impl OfflineForm {
    pub fn parse(
        name: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
        message: Option<&str>,
    ) -> Result<Self, OfflineFormError> {
        let form = OfflineForm {
            name: trimmed(name),
            email: trimmed(email),
            phone: trimmed(phone),
            message: trimmed(message).ok_or(OfflineFormError::MissingMessage)?,
        };
        bounded(&form.name, "name", MAX_NAME)?;
        bounded(&form.email, "email", MAX_EMAIL)?;
        bounded(&form.phone, "phone", MAX_PHONE)?;
        bounded(&Some(form.message.clone()), "message", MAX_MESSAGE)?;
        if form.email.as_deref().is_some_and(|e| !is_email(e)) {
            return Err(OfflineFormError::InvalidEmail { field: "email" });
        }
        if form.phone.as_deref().is_some_and(|p| !is_phone(p)) {
            return Err(OfflineFormError::InvalidPhone);
        }
        if form.email.is_none() && form.phone.is_none() {
            return Err(OfflineFormError::MissingContact);
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_numbers() {
        for ok in ["ada@example.com", "a.b+c@mail.example.co.uk", "x@ü.de"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "a@b@c.d",
            "ada@.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        for ok in ["+49 170 1234567", "(030) 123-4567", "0301234567"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "",
            "123",
            "+49 170 12345678901234",
            "call me",
            "+49-170-abc",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn a_form_names_what_is_wrong() {
        let parse = |e: Option<&str>, p: Option<&str>, m: Option<&str>| {
            OfflineForm::parse(Some("Ada"), e, p, m).map(|_| ())
        };
        assert_eq!(
            parse(Some("a@b.de"), None, None),
            Err(OfflineFormError::MissingMessage)
        );
        assert_eq!(
            parse(Some("a@b.de"), None, Some("  ")),
            Err(OfflineFormError::MissingMessage)
        );
        assert_eq!(
            parse(None, None, Some("hi")),
            Err(OfflineFormError::MissingContact)
        );
        assert_eq!(
            parse(Some("nope"), None, Some("hi")),
            Err(OfflineFormError::InvalidEmail { field: "email" })
        );
        assert_eq!(
            parse(None, Some("12"), Some("hi")),
            Err(OfflineFormError::InvalidPhone)
        );
        let long = "x".repeat(MAX_MESSAGE + 1);
        assert_eq!(
            parse(Some("a@b.de"), None, Some(&long)),
            Err(OfflineFormError::TooLong {
                field: "message",
                max: MAX_MESSAGE
            })
        );
        assert!(parse(None, Some("+44 20 7946 0000"), Some("Call me back")).is_ok());
    }
}

/// Asks the mail function to send one stored request: what the bus carries.
/// Sending is claimed once per request, so a job delivered twice mails once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MailJob {
    pub tenant: TenantId,
    pub request: String,
}
