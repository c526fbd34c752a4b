//! The timeline's system lines in a message's stored form: assigned,
//! transferred, a card's outcome, closed, reopened.

use super::conversation_record::ClosedByRecord;
use serde::{Deserialize, Serialize};
use switchboard_app::ports::StoreError;
use switchboard_domain::cards::CardSide;
use switchboard_domain::{CardOutcome, ClosedBy, OperatorId, SystemLine};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn operator(raw: String) -> Result<OperatorId, StoreError> {
    OperatorId::parse(raw).map_err(corrupt)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum SystemLineRecord {
    Assigned {
        operator: String,
    },
    Transferred {
        from: String,
        to: String,
    },
    CardOutcome {
        #[serde(default)]
        instance: String,
        definition: String,
        outcome: String,
        #[serde(default)]
        by: Option<String>,
        #[serde(default)]
        text: String,
    },
    Closed {
        by: ClosedByRecord,
    },
    Reopened,
}

impl From<&SystemLine> for SystemLineRecord {
    fn from(event: &SystemLine) -> Self {
        match event {
            SystemLine::Assigned { operator } => SystemLineRecord::Assigned {
                operator: operator.to_string(),
            },
            SystemLine::Transferred { from, to } => SystemLineRecord::Transferred {
                from: from.to_string(),
                to: to.to_string(),
            },
            SystemLine::CardOutcome {
                instance,
                definition,
                outcome,
                by,
                text,
            } => SystemLineRecord::CardOutcome {
                instance: instance.clone(),
                definition: definition.clone(),
                outcome: match outcome {
                    CardOutcome::Confirmed => "confirmed",
                    CardOutcome::Cancelled => "cancelled",
                }
                .into(),
                by: Some(
                    match by {
                        CardSide::Client => "client",
                        CardSide::Operator => "operator",
                    }
                    .into(),
                ),
                text: text.clone(),
            },
            SystemLine::Closed { by } => SystemLineRecord::Closed { by: by.into() },
            SystemLine::Reopened => SystemLineRecord::Reopened,
        }
    }
}

impl TryFrom<SystemLineRecord> for SystemLine {
    type Error = StoreError;
    fn try_from(event: SystemLineRecord) -> Result<Self, StoreError> {
        Ok(match event {
            SystemLineRecord::Assigned { operator: o } => SystemLine::Assigned {
                operator: operator(o)?,
            },
            SystemLineRecord::Transferred { from, to } => SystemLine::Transferred {
                from: operator(from)?,
                to: operator(to)?,
            },
            SystemLineRecord::CardOutcome {
                instance,
                definition,
                outcome,
                by,
                text,
            } => SystemLine::CardOutcome {
                instance,
                definition,
                outcome: match outcome.as_str() {
                    "confirmed" => CardOutcome::Confirmed,
                    "cancelled" => CardOutcome::Cancelled,
                    other => return Err(corrupt(format!("card outcome {other:?}"))),
                },
                by: match by.as_deref() {
                    None | Some("client") => CardSide::Client,
                    Some("operator") => CardSide::Operator,
                    Some(other) => return Err(corrupt(format!("card side {other:?}"))),
                },
                text,
            },
            SystemLineRecord::Closed { by } => SystemLine::Closed {
                by: ClosedBy::try_from(by)?,
            },
            SystemLineRecord::Reopened => SystemLine::Reopened,
        })
    }
}
