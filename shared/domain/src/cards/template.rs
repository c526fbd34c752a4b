//! WhatsApp Template Messages: the tenant's approved templates, the only
//! thing WhatsApp delivers outside the 24-hour window. A template's text
//! has numbered placeholders (`{{1}}`, `{{2}}`) the operator fills; a send
//! must fill every one and no more.

use crate::ids::TenantId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WhatsAppTemplate {
    pub tenant: TenantId,
    pub name: String,
    /// WhatsApp's language code: `en_US`, `de`.
    pub language: String,
    /// `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// As Meta reports it; only `APPROVED` templates are offered.
    #[serde(default = "approved")]
    pub status: String,
    pub components: Vec<TemplateComponent>,
    pub updated_at: Timestamp,
}

fn approved() -> String {
    "APPROVED".into()
}

/// A header, body, footer or the buttons, as the Graph API describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateComponent {
    /// `HEADER`, `BODY`, `FOOTER` or `BUTTONS`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<TemplateButton>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateButton {
    /// `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `FLOW`...
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
}

/// What the operator fills in: the header's and the body's placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TemplateParameters {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct TemplateError {
    pub field: String,
    pub reason: String,
}

/// The highest `{{n}}` in `text`: how many parameters it takes.
fn placeholders(text: &str) -> usize {
    let mut max = 0;
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                if let Ok(n) = after[..end].trim().parse::<usize>() {
                    max = max.max(n);
                }
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    max
}

/// Longest parameter WhatsApp takes in a body (its limit is on the whole
/// body, 1,024 characters; one parameter cannot be more).
const MAX_PARAMETER_CHARS: usize = 1024;

impl WhatsAppTemplate {
    fn component(&self, kind: &str) -> Option<&TemplateComponent> {
        self.components
            .iter()
            .find(|c| c.kind.eq_ignore_ascii_case(kind))
    }

    /// How many parameters the header and the body take.
    pub fn parameter_counts(&self) -> (usize, usize) {
        let count = |kind| {
            self.component(kind)
                .and_then(|c| c.text.as_deref())
                .map_or(0, placeholders)
        };
        (count("HEADER"), count("BODY"))
    }

    pub fn validate(&self) -> Result<(), TemplateError> {
        let fail = |field: &str, reason: &str| {
            Err(TemplateError {
                field: field.into(),
                reason: reason.into(),
            })
        };
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 512
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            return fail(
                "name",
                "lowercase letters, digits and _, as WhatsApp names templates",
            );
        }
        let language_ok = (2..=15).contains(&self.language.len())
            && self
                .language
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '_');
        if !language_ok {
            return fail("language", "a WhatsApp language code such as en_US or de");
        }
        if self
            .component("BODY")
            .and_then(|c| c.text.as_deref())
            .is_none()
        {
            return fail("components", "a template needs a BODY with text");
        }
        Ok(())
    }

    /// Whether `given` fills every placeholder and no more, each within
    /// WhatsApp's limits; the error names the list and the count.
    pub fn check(&self, given: &TemplateParameters) -> Result<(), TemplateError> {
        let (header, body) = self.parameter_counts();
        for (field, want, got) in [
            ("parameters.header", header, &given.header),
            ("parameters.body", body, &given.body),
        ] {
            if got.len() != want {
                return Err(TemplateError {
                    field: field.into(),
                    reason: format!("the template takes {want}, got {}", got.len()),
                });
            }
            if let Some(i) = got
                .iter()
                .position(|p| p.trim().is_empty() || p.chars().count() > MAX_PARAMETER_CHARS)
            {
                return Err(TemplateError {
                    field: format!("{field}[{i}]"),
                    reason: format!("1 to {MAX_PARAMETER_CHARS} characters"),
                });
            }
        }
        Ok(())
    }

    /// The body as the client will read it.
    pub fn text(&self, given: &TemplateParameters) -> String {
        let fill = |text: &str, params: &[String]| {
            params
                .iter()
                .enumerate()
                .fold(text.to_string(), |t, (i, p)| {
                    t.replace(&format!("{{{{{}}}}}", i + 1), p)
                })
        };
        let header = self
            .component("HEADER")
            .and_then(|c| c.text.as_deref())
            .map(|h| fill(h, &given.header));
        let body = self
            .component("BODY")
            .and_then(|c| c.text.as_deref())
            .map(|b| fill(b, &given.body))
            .unwrap_or_default();
        match header {
            Some(h) => format!("{h}\n{body}"),
            None => body,
        }
    }
}

/// The Cloud API send body of a template (reference §3.2). Quick-reply
/// buttons carry `payload` = `{correlation}:{index}` back when tapped.
pub fn message(
    name: &str,
    language: &str,
    given: &TemplateParameters,
    to: &str,
    correlation: &str,
) -> Value {
    let text = |params: &[String]| -> Vec<Value> {
        params
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect()
    };
    let mut components = Vec::new();
    if !given.header.is_empty() {
        components.push(json!({"type": "header", "parameters": text(&given.header)}));
    }
    if !given.body.is_empty() {
        components.push(json!({"type": "body", "parameters": text(&given.body)}));
    }
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
        "biz_opaque_callback_data": correlation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn followup() -> WhatsAppTemplate {
        serde_json::from_value(json!({
            "tenant": "acme", "name": "ticket_followup", "language": "en_US", "category": "UTILITY",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Ticket {{1}}"},
                {"type": "BODY", "text": "Hi {{1}}, your ticket {{2}} is waiting. Continue?"},
                {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes, continue"}]}
            ],
            "updatedAt": 0
        }))
        .unwrap()
    }

    #[test]
    fn every_placeholder_is_filled_and_no_more() {
        let t = followup();
        t.validate().unwrap();
        assert_eq!(t.parameter_counts(), (1, 2));
        let good = TemplateParameters {
            header: vec!["4411".into()],
            body: vec!["Amélie".into(), "4411".into()],
        };
        t.check(&good).unwrap();
        assert_eq!(
            t.text(&good),
            "Ticket 4411\nHi Amélie, your ticket 4411 is waiting. Continue?"
        );
        let missing = TemplateParameters {
            header: vec!["4411".into()],
            body: vec!["Amélie".into()],
        };
        assert_eq!(t.check(&missing).unwrap_err().field, "parameters.body");
        let extra = TemplateParameters {
            header: vec!["4411".into(), "x".into()],
            body: good.body.clone(),
        };
        assert_eq!(t.check(&extra).unwrap_err().field, "parameters.header");
        let blank = TemplateParameters {
            header: good.header.clone(),
            body: vec!["Amélie".into(), " ".into()],
        };
        assert_eq!(t.check(&blank).unwrap_err().field, "parameters.body[1]");
    }

    #[test]
    fn the_send_body_follows_the_reference() {
        let body = message(
            "ticket_followup",
            "en_US",
            &TemplateParameters {
                header: vec![],
                body: vec!["4411".into()],
            },
            "447700900123",
            "sb:c:3",
        );
        assert_eq!(body["type"], "template");
        assert_eq!(body["template"]["language"]["code"], "en_US");
        assert_eq!(
            body["template"]["components"][0],
            json!({"type": "body", "parameters": [{"type": "text", "text": "4411"}]})
        );
    }

    #[test]
    fn malformed_templates_are_refused() {
        let mut t = followup();
        t.name = "Ticket Followup".into();
        assert_eq!(t.validate().unwrap_err().field, "name");
        let mut t = followup();
        t.components.retain(|c| c.kind != "BODY");
        assert_eq!(t.validate().unwrap_err().field, "components");
    }
}
