//! What happened to a conversation, kept for reports, KPIs and the preview's
//! past sessions. Sessions are the stretches between entering the queue and
//! closing; events are an append-only log written in the same transaction as
//! the state change they record. Neither is ever rewritten.

use crate::conversation::Conversation;
use crate::ids::{ConversationId, GroupId, OperatorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One stretch of a conversation: waiting from `enqueued_at`, handled by
/// `operator` from `accepted_at`, until `closed_at`. A reopen starts the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// 1 for the first, counting up.
    pub number: u32,
    pub enqueued_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<ClosedBy>,
    /// The sequence number of the first message that can be in it (the
    /// conversation's `lastSeq + 1` when it began; 0: from before this was
    /// kept).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub first_seq: u64,
    /// An operator's first message in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_response_at: Option<Timestamp>,
}

/// Who ended a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum ClosedBy {
    Visitor,
    Operator(OperatorId),
}

/// How a conversation came to an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Assignment {
    /// The operator took it from the waiting queue.
    Accepted,
    /// The queue-assignment function gave it to the operator.
    Routed,
    /// A tenant admin gave it to the operator (`by` names them).
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineKind {
    Created,
    Assigned {
        operator: OperatorId,
        how: Assignment,
        /// The admin, when an admin assigned it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<OperatorId>,
    },
    Transferred {
        from: OperatorId,
        to: OperatorId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// Handed to a group's queue.
    TransferredToGroup {
        from: OperatorId,
        group: GroupId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// A transfer to one operator came back to its group: declined (`by`,
    /// with their reason) or unanswered in time (`by` None).
    TransferReturned {
        to: OperatorId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<OperatorId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Closed {
        by: ClosedBy,
    },
    Reopened,
}

/// One entry of a conversation's log. `number` is its place in the log: 1, 2,
/// 3, ... with no gaps, claimed with the state change it records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    pub conversation: ConversationId,
    pub number: u64,
    pub session: u32,
    pub at: Timestamp,
    #[serde(flatten)]
    pub kind: TimelineKind,
}

/// A conversation's log: its sessions, and the numbered entries each state
/// change writes with it.
impl Conversation {
    /// Conversations stored before sessions existed have none; their one
    /// session is what the current fields say. Stores call this on reading.
    pub fn with_sessions(mut self) -> Self {
        if self.sessions.is_empty() {
            self.sessions.push(Session {
                number: 1,
                enqueued_at: self.enqueued_at,
                operator: self.operator.clone(),
                accepted_at: self.accepted_at,
                closed_at: self.closed_at,
                closed_by: None,
                first_seq: 1,
                first_response_at: None,
            });
        }
        self
    }

    /// The session now running (or the last, once closed).
    pub fn session(&self) -> u32 {
        self.sessions.last().map(|s| s.number).unwrap_or(1)
    }

    pub(crate) fn current_session(&mut self) -> &mut Session {
        if self.sessions.is_empty() {
            *self = self.clone().with_sessions();
        }
        let last = self.sessions.len() - 1;
        &mut self.sessions[last]
    }

    /// The next entry of the log, numbered; the store writes it with the
    /// state change that produced it.
    pub fn record(&mut self, kind: TimelineKind, at: Timestamp) -> TimelineEvent {
        self.last_event += 1;
        TimelineEvent {
            conversation: self.id.clone(),
            number: self.last_event,
            session: self.session(),
            at,
            kind,
        }
    }

    /// The log entry for an accept just applied.
    pub fn assigned_event(&mut self, operator: &OperatorId, now: Timestamp) -> TimelineEvent {
        self.assigned_event_by(operator, Assignment::Accepted, None, now)
    }

    /// The log entry for an assignment just applied, saying how it came
    /// about and, for an admin's, who did it.
    pub fn assigned_event_by(
        &mut self,
        operator: &OperatorId,
        how: Assignment,
        by: Option<&OperatorId>,
        now: Timestamp,
    ) -> TimelineEvent {
        self.record(
            TimelineKind::Assigned {
                operator: operator.clone(),
                how,
                by: by.cloned(),
            },
            now,
        )
    }

    /// The log entry for a close just applied.
    pub fn closed_event(&mut self, now: Timestamp) -> TimelineEvent {
        let by = self
            .sessions
            .last()
            .and_then(|s| s.closed_by.clone())
            .unwrap_or(ClosedBy::Visitor);
        self.record(TimelineKind::Closed { by }, now)
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
