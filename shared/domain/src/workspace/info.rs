//! Additional information: fields a tenant's admins define (text, number,
//! date or a choice, optionally required) and operators fill per contact.
//! Values are checked here and kept in one canonical form, so a report or a
//! text block placeholder reads them the same way whoever typed them.

use crate::{TenantId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A contact's values by field key, each in its field's canonical form.
pub type InfoValues = BTreeMap<String, Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InfoField {
    pub tenant: TenantId,
    /// `[a-z][a-z0-9_]*`, at most 40: what placeholders (`{info.key}`) and
    /// exports name it by.
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub kind: InfoKind,
    #[serde(default)]
    pub required: bool,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum InfoKind {
    Text {
        /// At most this many characters (default 500, at most 2,000).
        #[serde(default, rename = "maxLength", skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Choice {
        options: Vec<String>,
    },
}

/// A definition or a value that cannot be accepted, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InfoError {
    pub field: String,
    pub reason: String,
}

fn fail<T>(field: impl Into<String>, reason: impl Into<String>) -> Result<T, InfoError> {
    Err(InfoError {
        field: field.into(),
        reason: reason.into(),
    })
}

impl InfoField {
    pub const MAX_KEY: usize = 40;
    pub const MAX_LABEL: usize = 80;
    pub const DEFAULT_TEXT: u32 = 500;
    pub const MAX_TEXT: u32 = 2_000;
    pub const MAX_OPTIONS: usize = 50;
    /// How many fields a tenant may define.
    pub const MAX_FIELDS: usize = 100;

    pub fn valid_key(key: &str) -> bool {
        let mut chars = key.chars();
        key.len() <= Self::MAX_KEY
            && chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// Whether the definition can be saved, naming the first bad field.
    pub fn validate(&self) -> Result<(), InfoError> {
        if !Self::valid_key(&self.key) {
            return fail(
                "key",
                "must be a lowercase letter, then up to 39 of a-z, 0-9 and _",
            );
        }
        let label = self.label.trim();
        if label.is_empty() || label.chars().count() > Self::MAX_LABEL {
            return fail(
                "label",
                format!("must be 1 to {} characters", Self::MAX_LABEL),
            );
        }
        match &self.kind {
            InfoKind::Text { max_length } => {
                if max_length.is_some_and(|m| m == 0 || m > Self::MAX_TEXT) {
                    return fail("maxLength", format!("must be 1 to {}", Self::MAX_TEXT));
                }
            }
            InfoKind::Number { min, max, .. } => {
                if min.is_some_and(|m| !m.is_finite()) {
                    return fail("min", "must be a finite number");
                }
                if max.is_some_and(|m| !m.is_finite()) {
                    return fail("max", "must be a finite number");
                }
                if let (Some(lo), Some(hi)) = (min, max) {
                    if lo > hi {
                        return fail("max", "must not be below min");
                    }
                }
            }
            InfoKind::Date => {}
            InfoKind::Choice { options } => {
                if options.is_empty() || options.len() > Self::MAX_OPTIONS {
                    return fail("options", format!("must be 1 to {}", Self::MAX_OPTIONS));
                }
                let mut seen = std::collections::BTreeSet::new();
                for (i, option) in options.iter().enumerate() {
                    let trimmed = option.trim();
                    if trimmed.is_empty() || trimmed.chars().count() > Self::MAX_LABEL {
                        return fail(
                            format!("options[{i}]"),
                            format!("must be 1 to {} characters", Self::MAX_LABEL),
                        );
                    }
                    if !seen.insert(super::fold(trimmed)) {
                        return fail(format!("options[{i}]"), "is listed twice");
                    }
                }
            }
        }
        Ok(())
    }

    /// The value in its canonical form, or why it does not fit the field.
    pub fn check(&self, value: &Value) -> Result<Value, String> {
        match &self.kind {
            InfoKind::Text { max_length } => {
                let text = value.as_str().ok_or("must be text")?.trim();
                let max = max_length.unwrap_or(Self::DEFAULT_TEXT) as usize;
                if text.is_empty() || text.chars().count() > max {
                    return Err(format!("must be 1 to {max} characters"));
                }
                Ok(Value::from(text))
            }
            InfoKind::Number { min, max, integer } => {
                let n = value.as_f64().ok_or("must be a number")?;
                if *integer && n.fract() != 0.0 {
                    return Err("must be a whole number".into());
                }
                if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                    return Err(format!(
                        "must be within {} to {}",
                        min.map_or("any".into(), |m| m.to_string()),
                        max.map_or("any".into(), |m| m.to_string())
                    ));
                }
                Ok(if *integer {
                    Value::from(n as i64)
                } else {
                    Value::from(n)
                })
            }
            InfoKind::Date => {
                let text = value.as_str().ok_or("must be a date, YYYY-MM-DD")?;
                let date: jiff::civil::Date =
                    text.parse().map_err(|_| "must be a date, YYYY-MM-DD")?;
                Ok(Value::from(date.to_string()))
            }
            InfoKind::Choice { options } => {
                let text = value.as_str().ok_or("must be one of the options")?;
                let folded = super::fold(text.trim());
                options
                    .iter()
                    .find(|o| super::fold(o.trim()) == folded)
                    .map(|o| Value::from(o.trim()))
                    .ok_or_else(|| format!("must be one of: {}", options.join(", ")))
            }
        }
    }

    /// The value as text shows it (a placeholder, a transcript).
    pub fn display(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

/// What a change of a contact's values writes: canonical values to set, and
/// keys to remove (a null value removes). Refused whole, naming the field,
/// when a key is unknown, a value does not fit, or a required field would
/// be left empty.
pub fn change(
    fields: &[InfoField],
    current: &InfoValues,
    values: &BTreeMap<String, Value>,
) -> Result<(InfoValues, Vec<String>), InfoError> {
    let mut set = InfoValues::new();
    let mut remove = Vec::new();
    for (key, value) in values {
        let at = format!("values.{key}");
        let Some(field) = fields.iter().find(|f| &f.key == key) else {
            return fail(at, "no such field");
        };
        if value.is_null() {
            if field.required {
                return fail(at, "is required");
            }
            remove.push(key.clone());
            continue;
        }
        let canonical = field
            .check(value)
            .map_err(|reason| InfoError { field: at, reason })?;
        set.insert(key.clone(), canonical);
    }
    for field in fields.iter().filter(|f| f.required) {
        if !set.contains_key(&field.key) && !current.contains_key(&field.key) {
            return fail(format!("values.{}", field.key), "is required");
        }
    }
    Ok((set, remove))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(key: &str, kind: Value, required: bool) -> InfoField {
        let mut raw = json!({"tenant": "acme", "key": key, "label": key, "required": required, "updatedAt": 0});
        raw.as_object_mut()
            .unwrap()
            .extend(kind.as_object().unwrap().clone());
        serde_json::from_value(raw).unwrap()
    }

    #[test]
    fn values_are_checked_and_made_canonical() {
        let age = field(
            "age",
            json!({"type": "number", "min": 0, "max": 150, "integer": true}),
            false,
        );
        assert_eq!(age.check(&json!(42.0)), Ok(json!(42)));
        assert!(age.check(&json!(4.5)).is_err());
        assert!(age.check(&json!(200)).is_err());
        assert!(age.check(&json!("42")).is_err());
        let born = field("born", json!({"type": "date"}), false);
        assert_eq!(born.check(&json!("1990-02-28")), Ok(json!("1990-02-28")));
        assert!(born.check(&json!("1990-02-30")).is_err());
        let plan = field(
            "plan",
            json!({"type": "choice", "options": ["Gold", "Silver"]}),
            false,
        );
        assert_eq!(plan.check(&json!(" gold ")), Ok(json!("Gold")));
        assert!(plan.check(&json!("Bronze")).is_err());
        let note = field("note", json!({"type": "text", "maxLength": 5}), false);
        assert!(note.check(&json!("too long")).is_err());
        assert_eq!(note.check(&json!(" ok ")), Ok(json!("ok")));
    }

    #[test]
    fn a_change_is_refused_whole() {
        let fields = vec![
            field("plan", json!({"type": "choice", "options": ["Gold"]}), true),
            field("age", json!({"type": "number"}), false),
        ];
        let none = InfoValues::new();
        let values = |v: Value| serde_json::from_value::<BTreeMap<String, Value>>(v).unwrap();
        let err = change(&fields, &none, &values(json!({"age": 3}))).unwrap_err();
        assert_eq!(err.field, "values.plan");
        let err = change(&fields, &none, &values(json!({"plan": "Gold", "x": 1}))).unwrap_err();
        assert_eq!(err.field, "values.x");
        let (set, remove) = change(
            &fields,
            &none,
            &values(json!({"plan": "gold", "age": null})),
        )
        .unwrap();
        assert_eq!(set, values(json!({"plan": "Gold"})));
        assert_eq!(remove, vec!["age".to_string()]);
        let err = change(&fields, &set, &values(json!({"plan": null}))).unwrap_err();
        assert_eq!(err.reason, "is required");
    }

    #[test]
    fn definitions_are_validated() {
        assert!(field("Bad Key", json!({"type": "date"}), false)
            .validate()
            .is_err());
        let dup = field(
            "p",
            json!({"type": "choice", "options": ["Gold", "gold"]}),
            false,
        );
        assert_eq!(dup.validate().unwrap_err().field, "options[1]");
        let range = field("n", json!({"type": "number", "min": 5, "max": 1}), false);
        assert_eq!(range.validate().unwrap_err().field, "max");
    }
}
