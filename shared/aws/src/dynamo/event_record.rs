//! Timeline entries as stored: each `EVT#` item keeps its entry as JSON in
//! `body`, in the record shapes below, so the domain's event types can change
//! without a data migration.

use super::conversation_record::{corrupt, operator, ClosedByRecord};
use serde::{Deserialize, Serialize};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{
    Assignment, ClosedBy, ConversationId, GroupId, TimelineEvent, TimelineKind, Timestamp,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum EventKindRecord {
    Created,
    Assigned {
        operator: String,
        /// `accepted`, `routed` or `admin`.
        how: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    Transferred {
        from: String,
        to: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    TransferredToGroup {
        from: String,
        group: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    TransferReturned {
        to: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Closed {
        by: ClosedByRecord,
    },
    Reopened,
}

/// One `EVT#` entry, kept as JSON in its `body`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventRecord {
    conversation: String,
    number: u64,
    session: u32,
    at: u64,
    #[serde(flatten)]
    kind: EventKindRecord,
}

impl From<&TimelineEvent> for EventRecord {
    fn from(e: &TimelineEvent) -> Self {
        let kind = match &e.kind {
            TimelineKind::Created => EventKindRecord::Created,
            TimelineKind::Assigned { operator, how, by } => EventKindRecord::Assigned {
                operator: operator.to_string(),
                how: match how {
                    Assignment::Accepted => "accepted".into(),
                    Assignment::Routed => "routed".into(),
                    Assignment::Admin => "admin".into(),
                },
                by: by.as_ref().map(|b| b.to_string()),
            },
            TimelineKind::Transferred { from, to, comment } => EventKindRecord::Transferred {
                from: from.to_string(),
                to: to.to_string(),
                comment: comment.clone(),
            },
            TimelineKind::TransferredToGroup {
                from,
                group,
                comment,
            } => EventKindRecord::TransferredToGroup {
                from: from.to_string(),
                group: group.to_string(),
                comment: comment.clone(),
            },
            TimelineKind::TransferReturned { to, by, reason } => {
                EventKindRecord::TransferReturned {
                    to: to.to_string(),
                    by: by.as_ref().map(|b| b.to_string()),
                    reason: reason.clone(),
                }
            }
            TimelineKind::Closed { by } => EventKindRecord::Closed { by: by.into() },
            TimelineKind::Reopened => EventKindRecord::Reopened,
        };
        EventRecord {
            conversation: e.conversation.to_string(),
            number: e.number,
            session: e.session,
            at: e.at.millis(),
            kind,
        }
    }
}

impl TryFrom<EventRecord> for TimelineEvent {
    type Error = StoreError;
    fn try_from(r: EventRecord) -> StoreResult<Self> {
        let kind = match r.kind {
            EventKindRecord::Created => TimelineKind::Created,
            EventKindRecord::Assigned {
                operator: op,
                how,
                by,
            } => TimelineKind::Assigned {
                operator: operator(op)?,
                how: match how.as_str() {
                    "accepted" => Assignment::Accepted,
                    "routed" => Assignment::Routed,
                    "admin" => Assignment::Admin,
                    other => return Err(corrupt(format!("assignment {other:?}"))),
                },
                by: by.map(operator).transpose()?,
            },
            EventKindRecord::Transferred { from, to, comment } => TimelineKind::Transferred {
                from: operator(from)?,
                to: operator(to)?,
                comment,
            },
            EventKindRecord::TransferredToGroup {
                from,
                group,
                comment,
            } => TimelineKind::TransferredToGroup {
                from: operator(from)?,
                group: GroupId::parse(group).map_err(corrupt)?,
                comment,
            },
            EventKindRecord::TransferReturned { to, by, reason } => {
                TimelineKind::TransferReturned {
                    to: operator(to)?,
                    by: by.map(operator).transpose()?,
                    reason,
                }
            }
            EventKindRecord::Closed { by } => TimelineKind::Closed {
                by: ClosedBy::try_from(by)?,
            },
            EventKindRecord::Reopened => TimelineKind::Reopened,
        };
        Ok(TimelineEvent {
            conversation: ConversationId::parse(r.conversation).map_err(corrupt)?,
            number: r.number,
            session: r.session,
            at: Timestamp(r.at),
            kind,
        })
    }
}
