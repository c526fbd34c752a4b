//! A card's fields and the values a client or operator gives them. Values
//! travel as JSON and are stored normalized: text and choices as strings,
//! numbers as JSON numbers, dates as `YYYY-MM-DD`, times as `HH:MM`, yes/no
//! as booleans.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Values by field id.
pub type CardValues = BTreeMap<String, Value>;

/// The longest text a field takes: a form answer, not a document.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Field ids become WhatsApp Flow data keys and Apple item identifiers.
pub const MAX_FIELD_ID: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Time,
    YesNo,
    Choice { options: Vec<ChoiceOption> },
}

impl FieldKind {
    pub fn name(&self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Time => "time",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice { .. } => "choice",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardField {
    pub id: String,
    pub label: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

/// A value that does not fit its field, or a field the card does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValueError {
    /// Where, as the request names it: `values.date`.
    pub field: String,
    pub reason: String,
}

impl CardField {
    /// The value in its stored form, or why it does not fit.
    pub fn check(&self, raw: &Value) -> Result<Value, String> {
        match (&self.kind, raw) {
            (FieldKind::Text, Value::String(s)) => {
                let trimmed = s.trim();
                let n = trimmed.chars().count();
                if n > MAX_TEXT_CHARS {
                    return Err(format!("at most {MAX_TEXT_CHARS} characters, got {n}"));
                }
                Ok(Value::String(trimmed.to_string()))
            }
            (FieldKind::Number, Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() && x.abs() < 1e15 => Ok(raw.clone()),
                _ => Err("is not a number in range".into()),
            },
            (FieldKind::Number, Value::String(s)) => match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && x.abs() < 1e15 => serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .ok_or_else(|| "is not a number".to_string()),
                _ => Err("is not a number".into()),
            },
            (FieldKind::Date, Value::String(s)) => s
                .trim()
                .parse::<jiff::civil::Date>()
                .map(|d| Value::String(d.to_string()))
                .map_err(|_| "is not a date (YYYY-MM-DD)".into()),
            (FieldKind::Time, Value::String(s)) => s
                .trim()
                .parse::<jiff::civil::Time>()
                .map(|t| Value::String(format!("{:02}:{:02}", t.hour(), t.minute())))
                .map_err(|_| "is not a time (HH:MM)".into()),
            (FieldKind::YesNo, Value::Bool(_)) => Ok(raw.clone()),
            // Channels answer in words (an Apple form's item values).
            (FieldKind::YesNo, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                _ => Err("must be yes or no".into()),
            },
            (FieldKind::Choice { options }, Value::String(s)) => {
                if options.iter().any(|o| &o.id == s) {
                    Ok(raw.clone())
                } else {
                    Err(format!("{s:?} is not one of the options"))
                }
            }
            (kind, _) => Err(format!("must be a {} value", kind.name())),
        }
    }

    /// How the value reads to a person: a choice's label, yes/no in words.
    pub fn display(&self, value: &Value) -> String {
        match (&self.kind, value) {
            (FieldKind::Choice { options }, Value::String(id)) => options
                .iter()
                .find(|o| &o.id == id)
                .map(|o| o.label.clone())
                .unwrap_or_else(|| id.clone()),
            (FieldKind::YesNo, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    }
}

/// Checks `given` against `fields` and returns them normalized. Unknown
/// fields and unfit values are refused naming `values.<id>`; `null` clears
/// a value. With `complete`, every required field must end up with a value
/// once laid over `base` (what the card already holds).
pub fn check_values(
    fields: &[CardField],
    base: &CardValues,
    given: &CardValues,
    complete: bool,
) -> Result<CardValues, ValueError> {
    let mut out = base.clone();
    for (id, raw) in given {
        let field = fields
            .iter()
            .find(|f| &f.id == id)
            .ok_or_else(|| ValueError {
                field: format!("values.{id}"),
                reason: "the card has no such field".into(),
            })?;
        if raw.is_null() {
            out.remove(id);
            continue;
        }
        let value = field.check(raw).map_err(|reason| ValueError {
            field: format!("values.{id}"),
            reason,
        })?;
        if value.as_str().is_some_and(str::is_empty) {
            out.remove(id);
        } else {
            out.insert(id.clone(), value);
        }
    }
    if complete {
        if let Some(missing) = fields
            .iter()
            .find(|f| f.required && !out.contains_key(&f.id))
        {
            return Err(ValueError {
                field: format!("values.{}", missing.id),
                reason: "is required".into(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(id: &str, kind: FieldKind, required: bool) -> CardField {
        CardField {
            id: id.into(),
            label: id.into(),
            kind,
            required,
            default: None,
        }
    }

    fn fields() -> Vec<CardField> {
        vec![
            field("name", FieldKind::Text, true),
            field("guests", FieldKind::Number, false),
            field("day", FieldKind::Date, true),
            field("at", FieldKind::Time, false),
            field("terrace", FieldKind::YesNo, false),
            field(
                "menu",
                FieldKind::Choice {
                    options: vec![
                        ChoiceOption {
                            id: "veg".into(),
                            label: "Vegetarian".into(),
                        },
                        ChoiceOption {
                            id: "fish".into(),
                            label: "Fish".into(),
                        },
                    ],
                },
                false,
            ),
        ]
    }

    fn values(v: Value) -> CardValues {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn values_are_normalized_by_type() {
        let got = check_values(
            &fields(),
            &CardValues::new(),
            &values(json!({"name": "  Ada ", "guests": "4", "day": "2026-12-24",
                           "at": "19:30", "terrace": true, "menu": "veg"})),
            true,
        )
        .unwrap();
        assert_eq!(got["name"], "Ada");
        assert_eq!(got["guests"], json!(4.0));
        assert_eq!(got["day"], "2026-12-24");
        assert_eq!(got["at"], "19:30");
        assert_eq!(fields()[5].display(&got["menu"]), "Vegetarian");
    }

    #[test]
    fn wrong_types_unknown_fields_missing_and_oversize_are_named() {
        let refused = |v: Value, complete: bool| {
            check_values(&fields(), &CardValues::new(), &values(v), complete)
                .unwrap_err()
                .field
        };
        assert_eq!(refused(json!({"guests": true}), false), "values.guests");
        assert_eq!(refused(json!({"day": "24.12.2026"}), false), "values.day");
        assert_eq!(refused(json!({"at": "25:00"}), false), "values.at");
        assert_eq!(refused(json!({"menu": "beef"}), false), "values.menu");
        assert_eq!(refused(json!({"wine": "red"}), false), "values.wine");
        assert_eq!(
            refused(json!({"name": "x".repeat(1001)}), false),
            "values.name"
        );
        assert_eq!(refused(json!({"name": "Ada"}), true), "values.day");
        assert_eq!(
            refused(json!({"name": "  ", "day": "2026-12-24"}), true),
            "values.name"
        );
    }

    #[test]
    fn given_values_lay_over_the_prefills_and_null_clears() {
        let base = values(json!({"name": "Ada", "day": "2026-12-24", "menu": "fish"}));
        let got = check_values(
            &fields(),
            &base,
            &values(json!({"menu": null, "guests": 2})),
            true,
        )
        .unwrap();
        assert_eq!(
            got,
            values(json!({"name": "Ada", "day": "2026-12-24", "guests": 2}))
        );
    }
}
