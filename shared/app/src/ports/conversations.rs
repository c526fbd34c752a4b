//! Conversations: their lifecycle (waiting → active → closed → waiting again),
//! the waiting queue and each operator's share of it.

use super::OperatorSnapshot;
use super::{Page, StoreError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::workspace::{ListFilter, Progress, SearchQuery};
use switchboard_domain::{
    AcceptRefusal, Assignment, Capacity, ConnectionId, Conversation, ConversationId,
    ConversationStatus, GroupId, Operator, OperatorId, PendingTransfer, Sla, TenantId,
    TimelineEvent, Timestamp, TransferComment, TransferTarget, TransitionError, VisitorId,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    Created(Conversation),
    /// The visitor already had an open conversation; starting again resumes it.
    Existing(Conversation),
    /// The visitor's conversation was closed and is waiting again, history kept.
    Reopened(Conversation),
}

impl StartOutcome {
    pub fn conversation(&self) -> &Conversation {
        match self {
            StartOutcome::Created(c) | StartOutcome::Existing(c) | StartOutcome::Reopened(c) => c,
        }
    }
}

/// An operator right after an accept or close took or gave back a slot: what
/// their consoles are shown, read in the same round trip as the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorLoad {
    pub operator: Operator,
    /// The tenant's limit the accept was checked against.
    pub max_chats: u32,
    /// The operator's open connections (may name one that has closed since).
    pub connections: Vec<ConnectionId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub conversation: Conversation,
    pub operator: OperatorLoad,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub conversation: Conversation,
    pub previous: ConversationStatus,
    /// The operator who held it, with the slot given back; None unless it was active.
    pub operator: Option<OperatorLoad>,
}

/// A transfer as written: the conversation waiting again, the holder with
/// their slot given back, and for a transfer to an operator, that operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transferred {
    /// As it is now; its watchers are the client's tabs.
    pub conversation: Conversation,
    /// The holder's tabs, who are told it left them.
    pub from: OperatorLoad,
    /// The operator it is offered to, with their tabs.
    pub to: Option<OperatorLoad>,
}

/// A waiting conversation redirected: as it is now, the group it waited
/// in, and for a redirect to an operator, that operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirected {
    pub conversation: Conversation,
    /// The queue it left (the same as its group now when offered to one
    /// operator, who may send it back there).
    pub from_group: GroupId,
    pub to: Option<OperatorLoad>,
}

/// A transfer to one operator that came back to its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub conversation: Conversation,
    pub transfer: PendingTransfer,
}

/// The waiting queue as the queue function pushes it, read in as few round
/// trips as the store allows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaitingQueue {
    /// Every waiting conversation, oldest first, with their watchers.
    pub waiting: Vec<Conversation>,
    /// The current state of the conversations asked about (the ones the
    /// changes being pushed were about); a missing one does not exist.
    pub touched: Vec<Conversation>,
    /// The tenant's operator connections, who are shown the queue (may name
    /// one that has closed since).
    pub operators: Vec<ConnectionId>,
}

/// Why a lifecycle change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    #[error("conversation not found")]
    NotFound,
    #[error("operator not found")]
    OperatorNotFound,
    /// A transfer's target operator is not one of the tenant's.
    #[error("no such operator to transfer to")]
    UnknownTarget,
    /// A transfer's target operator is not online (away, or no open tab).
    #[error("the operator to transfer to is not online")]
    TargetOffline,
    #[error("conversation was already taken by another operator")]
    AlreadyTaken { by: OperatorId },
    /// An operator accepting a conversation that waits in a group they are
    /// not a member of ([`Conversation::accept_needs_membership`]).
    #[error("the operator is not a member of the conversation's group")]
    NotInGroup,
    /// An assignment decided on a read found the conversation or the
    /// operator changed since: read again and decide again.
    #[error("conversation or operator changed since they were read")]
    Moved,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Refused(#[from] AcceptRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Conversations and the waiting queue.
#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// Atomically: if the visitor has an open conversation it is returned, if the
    /// latest is closed it reopens (taking the new entry info), otherwise
    /// `candidate` is stored. A visitor never ends up with two open conversations.
    async fn start_conversation(&self, candidate: Conversation) -> StoreResult<StartOutcome>;
    async fn conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>>;
    /// The visitor's latest conversation, open or closed.
    async fn visitor_conversation(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Conversation>>;
    /// Waiting conversations of every group, each group's oldest first.
    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>>;
    /// One group's waiting conversations in queue order, with their watchers.
    async fn group_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>>;
    /// A group's whole waiting queue, the current state of `touched`, and
    /// who is shown the queue. `waiting` agrees with `touched`: an index that
    /// lags behind a change does not show through.
    async fn waiting_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
    ) -> StoreResult<WaitingQueue>;
    /// Gives a waiting conversation the SLA its rules decided, moving it to
    /// its place in the queue, if it still waits where it was seen
    /// (`seen`'s group and arrival, not addressed to one operator). Returns
    /// whether it did; a conversation that moved on is left alone.
    async fn set_sla(&self, seen: &Conversation, sla: &Sla) -> StoreResult<bool>;
    /// 1-based place of a waiting conversation in its group's queue; None once
    /// it no longer waits.
    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>>;
    /// Marks where operators stand with it (a client's next message makes
    /// it unread again); the conversation after.
    ///
    /// # Errors
    /// `NotFound`.
    async fn set_progress(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        progress: Progress,
    ) -> Result<Conversation, ConversationError>;
    /// Removes `remove`, then adds `add` (both normalized by the caller),
    /// on the conversation's tags; the tags after, sorted.
    ///
    /// # Errors
    /// `NotFound`.
    async fn tag_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>, ConversationError>;
    /// One page of a list, `limit` at most, from the cursor a previous page
    /// gave. Newest activity first, or (open lists) nearest SLA deadline
    /// first. Read from an index over tenant, open or closed, and scope,
    /// never a scan.
    async fn list_conversations(
        &self,
        tenant: &TenantId,
        filter: &ListFilter,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Conversation>>;
    /// Conversations whose client's name or phone the query names
    /// ([`SearchQuery`]), newest activity first, at most `limit`. Indexed
    /// when a conversation starts or reopens, in the same write.
    async fn search_conversations(
        &self,
        tenant: &TenantId,
        query: &SearchQuery,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>>;
    /// The operator's active conversations.
    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>>;
    /// Atomically moves a waiting conversation to the operator and takes one of
    /// their slots, or changes nothing. Exactly one of concurrent accepts wins;
    /// the capacity rule of [`switchboard_domain::Operator::may_accept`], with
    /// the tenant's `max_chats`, holds under any concurrency.
    ///
    /// # Errors
    /// `NotFound`; `AlreadyTaken` naming the winner (which may be the caller,
    /// for a replayed accept); `Transition` if it is not waiting; `Refused`,
    /// `NotInGroup` or `OperatorNotFound` when the operator may not take it.
    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError>;
    /// An admin's assignment: [`accept`](Self::accept) on the operator's
    /// behalf, with its rules and atomicity, recorded in the timeline as the
    /// admin's.
    async fn assign_by_admin(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        admin: &OperatorId,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError>;
    /// The accept's transaction on a decision already made: `seen` goes to
    /// `operator` if neither changed since they were read, else nothing
    /// changes and the answer is `Moved`. Automatic routing reads the queue
    /// and the operators once for many assignments; this is what keeps the
    /// capacity rule whole under that.
    ///
    /// # Errors
    /// `Moved`; `Refused` if the operator as read may not take it.
    async fn assign(
        &self,
        seen: &Conversation,
        operator: &OperatorSnapshot,
        max_chats: Capacity,
        how: Assignment,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError>;
    /// Atomically: the active conversation leaves `from` (their slot given
    /// back) and waits again, addressed to one online operator for the
    /// tenant's transfer timeout or in a group's queue, and the timeline
    /// records it with the comment.
    ///
    /// # Errors
    /// `NotFound`; `Transition` (not active, not `from`'s, to themselves);
    /// `UnknownTarget`, `TargetOffline`.
    async fn transfer(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        from: &OperatorId,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Transferred, ConversationError>;
    /// A waiting conversation nobody took is sent to one operator (who
    /// must be online) or another group, keeping its arrival
    /// ([`Conversation::redirect`]), with the timeline entry, in one write
    /// under the state read. `from_groups` are the queues `by` may redirect
    /// from (the ones they see); None: any (an admin).
    ///
    /// # Errors
    /// `NotFound` (also when it waits in a queue not in `from_groups`);
    /// `Transition` (not waiting, already offered to someone, to
    /// themselves, to its own group); `UnknownTarget`, `TargetOffline`.
    #[allow(clippy::too_many_arguments)]
    async fn redirect(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: &OperatorId,
        from_groups: Option<&[GroupId]>,
        target: &TransferTarget,
        comment: Option<&TransferComment>,
        now: Timestamp,
    ) -> Result<Redirected, ConversationError>;
    /// A transfer to one operator goes back to its group's queue: declined
    /// by `by` with a reason, or (`by` None) unanswered past its deadline.
    ///
    /// # Errors
    /// `NotFound`; `Transition(NoTransfer)` when none is pending (or not yet
    /// due); `Transition(NotAssignedTo)` when it is addressed to someone else.
    async fn return_transfer(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by: Option<&OperatorId>,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<Returned, ConversationError>;
    /// Transfers to one operator unanswered at `now`, oldest deadline first.
    async fn due_transfers(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<(TenantId, ConversationId)>>;
    /// Atomically closes the conversation and frees the operator's slot.
    /// `by_operator` None means the visitor closed it.
    ///
    /// # Errors
    /// `NotFound`; `Transition(AlreadyClosed)` when closed before; other
    /// `Transition`s when an operator may not close it.
    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError>;
    /// The conversation's log, oldest first. Every lifecycle change above
    /// writes its entry in the same transaction as the change (created,
    /// assigned, closed, reopened), so the log and the state never disagree.
    async fn timeline(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Vec<TimelineEvent>>;
    /// A closed conversation goes back to the queue.
    ///
    /// # Errors
    /// `NotFound`; `Transition(NotClosed)` if it is open (someone reopened it first).
    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError>;
}
