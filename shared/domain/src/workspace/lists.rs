//! Where operators stand with a conversation (its progress), and the lists
//! they work from: open or closed, by progress, mine, unassigned or one
//! colleague's, by channel, newest activity or nearest SLA deadline first.

use crate::{Channel, Conversation, OperatorId};
use serde::{Deserialize, Serialize};

/// Where operators stand with a conversation, apart from its lifecycle
/// status: a client's new message makes it `Unread` until someone marks it
/// `Unresolved` or `Done`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Progress {
    #[default]
    Unread,
    Unresolved,
    Done,
}

impl Progress {
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::Unread => "unread",
            Progress::Unresolved => "unresolved",
            Progress::Done => "done",
        }
    }

    pub fn parse(raw: &str) -> Option<Progress> {
        [Progress::Unread, Progress::Unresolved, Progress::Done]
            .into_iter()
            .find(|p| p.as_str() == raw)
    }
}

/// Whose conversations a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Held (or, closed, last held) by this operator: "mine", or a
    /// colleague's ("Others").
    Operator(OperatorId),
    /// Nobody's: waiting, or closed before anyone took it.
    Unassigned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// Latest activity (a message, a note) first.
    #[default]
    Newest,
    /// Nearest SLA deadline first, those without one last; open lists only.
    SlaDeadline,
}

/// One list's filter. A store answers it from an index over tenant, open
/// or closed, and scope; progress and channel narrow within that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub open: bool,
    pub scope: Scope,
    /// None: every progress ("All").
    pub progress: Option<Progress>,
    pub channel: Option<Channel>,
    pub order: ListOrder,
}

impl ListFilter {
    pub fn matches(&self, c: &Conversation) -> bool {
        let open = c.status != crate::ConversationStatus::Closed;
        let scope = match &self.scope {
            Scope::Operator(op) => c.operator.as_ref() == Some(op),
            Scope::Unassigned => c.operator.is_none(),
        };
        open == self.open
            && scope
            && self.progress.is_none_or(|p| c.progress == p)
            && self.channel.is_none_or(|ch| c.channel == ch)
    }
}

/// The order of [`ListOrder::SlaDeadline`]: the nearest deadline first,
/// none last, then the newest activity.
pub fn by_deadline(a: &Conversation, b: &Conversation) -> std::cmp::Ordering {
    let deadline = |c: &Conversation| {
        c.sla
            .as_ref()
            .and_then(|s| s.deadline)
            .map_or(u64::MAX, |d| d.millis())
    };
    deadline(a)
        .cmp(&deadline(b))
        .then(b.last_activity_at.cmp(&a.last_activity_at))
        .then(a.id.as_str().cmp(b.id.as_str()))
}
