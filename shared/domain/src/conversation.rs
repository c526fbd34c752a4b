use crate::ids::{ConnectionId, ConversationId, GroupId, OperatorId, TenantId, VisitorId};
use crate::time::Timestamp;
use crate::timeline::{ClosedBy, Session};
use serde::{Deserialize, Serialize};

pub use crate::entry::{Channel, EntryInfo, EntryType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConversationStatus {
    Waiting,
    Active,
    Closed,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Waiting => "waiting",
            ConversationStatus::Active => "active",
            ConversationStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "waiting" => Some(Self::Waiting),
            "active" => Some(Self::Active),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: ConversationId,
    pub tenant: TenantId,
    pub visitor: VisitorId,
    pub channel: Channel,
    pub entry: EntryInfo,
    /// The group whose queue it waits in (conversations from before groups
    /// are the default group's).
    #[serde(default)]
    pub group: GroupId,
    pub status: ConversationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<OperatorId>,
    /// Never changes: when the visitor first wrote.
    pub created_at: Timestamp,
    /// The current session's: when it last entered the waiting queue (the
    /// queue is ordered by this). Past sessions keep their own in `sessions`.
    pub enqueued_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// Sequence number of the newest stored message (0 = none yet).
    pub last_seq: u64,
    /// Every session, oldest first; the last is the current one. Only ever
    /// appended to, or the current one filled in.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// Number of the newest timeline event (0 = none yet).
    #[serde(default)]
    pub last_event: u64,
    /// What the SLA rules gave it on entering the queue (None: normal
    /// priority, no deadline, or not yet looked at). Kept once it is
    /// accepted, so the deadline can be checked; entering a queue again
    /// starts it afresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<crate::sla::Sla>,
    /// While waiting for one operator's answer to a transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_transfer: Option<crate::transfer::PendingTransfer>,
    /// Where operators stand with it: a client's new message makes it
    /// unread again.
    #[serde(default)]
    pub progress: crate::workspace::Progress,
    /// Operators' tags on this conversation (normalized, sorted); the
    /// client's own are on their contact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The latest item written in it (a message, a note), or its start:
    /// what "newest first" lists sort by.
    #[serde(default)]
    pub last_activity_at: Timestamp,
    /// The contact this conversation's client was merged into (Unite):
    /// their tags, information and name are that contact's now. None: the
    /// conversation's own visitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<VisitorId>,
    /// How many contacts are merged into this conversation's client; one
    /// with any cannot itself be merged away until those are undone.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub absorbed: u32,
    /// Who to push to. Filled by the store on reading, never sent or stored
    /// as part of the conversation.
    #[serde(skip)]
    pub watchers: Watchers,
}

/// The open connections that follow a conversation: the client's tabs and,
/// while it is assigned, the operator's. A store keeps them where a push
/// finds them without another lookup; they may name a connection that has
/// closed since, which a push then reports gone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watchers {
    pub visitor: Vec<ConnectionId>,
    pub operator: Vec<ConnectionId>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("conversation is {0:?}, not waiting")]
    NotWaiting(ConversationStatus),
    #[error("conversation is {0:?}, not active")]
    NotActive(ConversationStatus),
    #[error("conversation is assigned to another operator")]
    NotAssignedTo,
    #[error("conversation is already closed")]
    AlreadyClosed,
    #[error("conversation is {0:?}, only a closed one can reopen")]
    NotClosed(ConversationStatus),
    #[error("conversation is being transferred to another operator")]
    AddressedToAnother,
    #[error("an operator cannot transfer a conversation to themselves")]
    TransferToSelf,
    #[error("conversation has no transfer awaiting an answer")]
    NoTransfer,
    #[error("conversation already waits in that group")]
    AlreadyInGroup,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Conversation {
    /// Whose tags, information and browsing this conversation shows: the
    /// contact its client was merged into, or its own visitor.
    pub fn client_id(&self) -> &VisitorId {
        self.client.as_ref().unwrap_or(&self.visitor)
    }

    pub fn start(
        id: ConversationId,
        tenant: TenantId,
        visitor: VisitorId,
        channel: Channel,
        entry: EntryInfo,
        now: Timestamp,
    ) -> Self {
        Conversation {
            id,
            tenant,
            visitor,
            channel,
            entry,
            group: GroupId::default_group(),
            status: ConversationStatus::Waiting,
            operator: None,
            created_at: now,
            enqueued_at: now,
            accepted_at: None,
            closed_at: None,
            last_seq: 0,
            sessions: vec![Session {
                number: 1,
                enqueued_at: now,
                operator: None,
                accepted_at: None,
                closed_at: None,
                closed_by: None,
                first_seq: 1,
                first_response_at: None,
            }],
            last_event: 0,
            sla: None,
            pending_transfer: None,
            progress: crate::workspace::Progress::Unread,
            tags: Vec::new(),
            last_activity_at: now,
            client: None,
            absorbed: 0,
            watchers: Watchers::default(),
        }
    }

    pub fn accept(&mut self, operator: &OperatorId, now: Timestamp) -> Result<(), TransitionError> {
        if self.status != ConversationStatus::Waiting {
            return Err(TransitionError::NotWaiting(self.status));
        }
        if let Some(pending) = &self.pending_transfer {
            if &pending.to != operator {
                return Err(TransitionError::AddressedToAnother);
            }
        }
        self.pending_transfer = None;
        self.status = ConversationStatus::Active;
        self.operator = Some(operator.clone());
        self.accepted_at = Some(now);
        let session = self.current_session();
        session.operator = Some(operator.clone());
        session.accepted_at = Some(now);
        Ok(())
    }

    /// Closing by an operator requires it to be theirs; a visitor (None) may
    /// close a waiting or active conversation of their own.
    pub fn close(
        &mut self,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<(), TransitionError> {
        match (self.status, by_operator) {
            (ConversationStatus::Closed, _) => return Err(TransitionError::AlreadyClosed),
            (ConversationStatus::Waiting, Some(_)) => {
                return Err(TransitionError::NotActive(self.status))
            }
            (ConversationStatus::Active, Some(op)) if self.operator.as_ref() != Some(op) => {
                return Err(TransitionError::NotAssignedTo)
            }
            _ => {}
        }
        self.status = ConversationStatus::Closed;
        self.closed_at = Some(now);
        let session = self.current_session();
        session.closed_at = Some(now);
        session.closed_by = Some(match by_operator {
            Some(op) => ClosedBy::Operator(op.clone()),
            None => ClosedBy::Visitor,
        });
        Ok(())
    }

    /// An item was written in it at `at`: the newest activity moves, and a
    /// client's message makes it unread for operators.
    pub fn wrote(&mut self, at: Timestamp, by_client: bool) {
        self.last_activity_at = self.last_activity_at.max(at);
        if by_client {
            self.progress = crate::workspace::Progress::Unread;
        }
    }

    /// An operator wrote in it at `at`: the current session's first
    /// response, unless it had one.
    pub fn responded(&mut self, at: Timestamp) {
        let session = self.current_session();
        if session.first_response_at.is_none() {
            session.first_response_at = Some(at);
        }
    }

    /// A closed conversation comes back to the queue, history intact, when its
    /// client writes again. The previous operator is forgotten: whoever is free takes it.
    pub fn reopen(&mut self, now: Timestamp) -> Result<(), TransitionError> {
        if self.status != ConversationStatus::Closed {
            return Err(TransitionError::NotClosed(self.status));
        }
        self.status = ConversationStatus::Waiting;
        self.operator = None;
        self.accepted_at = None;
        self.closed_at = None;
        self.enqueued_at = now;
        self.sla = None;
        self.progress = crate::workspace::Progress::Unread;
        self.last_activity_at = self.last_activity_at.max(now);
        let number = self.session() + 1;
        let first_seq = self.last_seq + 1;
        self.sessions.push(Session {
            number,
            enqueued_at: now,
            operator: None,
            accepted_at: None,
            closed_at: None,
            closed_by: None,
            first_seq,
            first_response_at: None,
        });
        Ok(())
    }

    /// A client starting again reopens their closed conversation with what
    /// the new start brought: its entry, its group, and an invitation's
    /// address to one operator.
    pub fn reopen_for(&mut self, start: &Conversation) -> Result<(), TransitionError> {
        self.reopen(start.created_at)?;
        self.entry = start.entry.clone();
        self.group = start.group.clone();
        self.pending_transfer = start.pending_transfer.clone();
        Ok(())
    }

    /// Routes the conversation to a group's queue.
    pub fn in_group(mut self, group: GroupId) -> Self {
        self.group = group;
        self
    }

    pub fn is_video(&self) -> bool {
        self.entry.entry_type == EntryType::Video
    }
}

#[cfg(test)]
#[path = "conversation_tests.rs"]
pub(crate) mod tests;
