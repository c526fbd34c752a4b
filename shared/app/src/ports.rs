//! Ports: what the use cases need from the outside world. Adapters live in
//! `switchboard-embedded` (local) and `switchboard-aws` (Lambda).
//!
//! Store methods state their atomicity as part of the contract, because the
//! promises (no double accept, capacity never overshot, no duplicate message)
//! rest on them, and the conformance suite checks every adapter against them.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use switchboard_domain::{
    AcceptRefusal, Capacity, ClientMessageId, ConnectionId, Contact, Conversation, ConversationId,
    ConversationStatus, Delivery, InboundEnvelope, Message, NewMessage, Operator, OperatorId,
    OperatorStatus, OutboundJob, Role, Tenant, TenantId, TenantSettings, Timestamp,
    TransitionError, VisitorId, Widget, WidgetId,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend failed: {0}")]
    Backend(String),
    #[error("stored record is unreadable: {0}")]
    Corrupt(String),
    #[error("gave up after {0} attempts under write contention")]
    Contention(u32),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Who holds a WebSocket connection, as established at `$connect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Principal {
    Operator {
        id: OperatorId,
        name: String,
        roles: Vec<Role>,
    },
    Visitor {
        id: VisitorId,
        widget: WidgetId,
    },
}

impl Principal {
    pub fn key(&self) -> PrincipalRef {
        match self {
            Principal::Operator { id, .. } => PrincipalRef::Operator(id.clone()),
            Principal::Visitor { id, .. } => PrincipalRef::Visitor(id.clone()),
        }
    }
}

/// Enough to find a principal's connections.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalRef {
    Operator(OperatorId),
    Visitor(VisitorId),
}

impl PrincipalRef {
    /// Stable text form used in storage keys.
    pub fn storage_key(&self) -> String {
        match self {
            PrincipalRef::Operator(id) => format!("op:{id}"),
            PrincipalRef::Visitor(id) => format!("vis:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: ConnectionId,
    pub tenant: TenantId,
    pub principal: Principal,
    pub connected_at: Timestamp,
    /// API Gateway closes a connection after two hours; past this the record is dead
    /// even if `$disconnect` never arrived.
    pub expires_at: Timestamp,
}

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

#[derive(Debug, Clone, PartialEq)]
pub struct Appended {
    pub message: Message,
    /// The client message id was seen before: `message` is the stored original.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub conversation: Conversation,
    pub previous: ConversationStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MessagePage {
    /// Oldest first.
    pub messages: Vec<Message>,
    /// Older messages exist before the first one returned.
    pub has_more: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    #[error("conversation not found")]
    NotFound,
    #[error("operator not found")]
    OperatorNotFound,
    #[error("conversation was already taken by another operator")]
    AlreadyTaken { by: OperatorId },
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Refused(#[from] AcceptRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Tenants, widgets and operators.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    async fn put_tenant(&self, tenant: &Tenant) -> StoreResult<()>;
    async fn tenant(&self, id: &TenantId) -> StoreResult<Option<Tenant>>;
    async fn set_tenant_settings(
        &self,
        id: &TenantId,
        settings: &TenantSettings,
    ) -> StoreResult<Option<Tenant>>;
    async fn put_widget(&self, widget: &Widget) -> StoreResult<()>;
    async fn widget(&self, id: &WidgetId) -> StoreResult<Option<Widget>>;

    async fn operator(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Operator>>;
    /// Creates the operator on first sight; counts one more open connection and
    /// brings an offline operator online (an away one stays away).
    async fn operator_connected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
    ) -> StoreResult<Operator>;
    /// Counts one connection fewer; the last one going takes the operator offline.
    async fn operator_disconnected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Option<Operator>>;
    async fn set_operator_status(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        status: OperatorStatus,
    ) -> StoreResult<Option<Operator>>;
}

/// Conversations and their messages.
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
    /// Waiting conversations, oldest first.
    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>>;
    /// 1-based place of a waiting conversation in its tenant's queue.
    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>>;
    /// The operator's active conversations.
    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>>;
    /// Atomically moves a waiting conversation to the operator and takes one of
    /// their slots, or changes nothing. Exactly one of concurrent accepts wins;
    /// the capacity rule of [`Operator::may_accept`] holds under any concurrency.
    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        capacity: Capacity,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError>;
    /// Atomically closes the conversation and frees the operator's slot.
    /// `by_operator` None means the visitor closed it.
    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError>;
    /// A closed conversation goes back to the queue.
    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError>;
    /// Stores the message as the next in the conversation's order, once per
    /// client message id. Refused on a closed conversation.
    async fn append_message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        message: NewMessage,
    ) -> Result<Appended, ConversationError>;
    /// Up to `limit` messages with `seq < before` (or the newest), oldest first.
    async fn messages(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<MessagePage>;
    /// Looks up a message by the id its client gave it.
    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>>;
    async fn message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>>;
    /// Moves a message's delivery state forward, never back: if the stored
    /// state already ranks at or above `delivery.state`, nothing changes and
    /// None is returned. With `external_id`, the provider's id is recorded on
    /// the message and indexed for [`Self::message_by_external_id`].
    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>>;
    /// The message we sent that a channel now knows by `external_id`.
    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>>;
}

/// People who write through messaging channels.
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Creates the contact or merges what is new into it ([`Contact::merge`]),
    /// atomically, and returns the result. `last_inbound_at` only moves forward.
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact>;
    async fn contact(&self, tenant: &TenantId, visitor: &VisitorId)
        -> StoreResult<Option<Contact>>;
}

/// Open WebSocket connections.
#[async_trait]
pub trait ConnectionRegistry: Send + Sync {
    async fn register(&self, connection: &Connection) -> StoreResult<()>;
    /// None if unknown or expired at `now`.
    async fn connection(
        &self,
        id: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Connection>>;
    /// Removes the record and returns what it was, if it existed.
    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>>;
    async fn principal_connections(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>>;
    /// Every live operator connection of the tenant (for queue fan-out).
    async fn operator_connections(
        &self,
        tenant: &TenantId,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>>;
}

pub trait Store: DirectoryStore + ConversationStore + ConnectionRegistry + ContactStore {}
impl<T: DirectoryStore + ConversationStore + ConnectionRegistry + ContactStore> Store for T {}

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("could not publish: {0}")]
    Publish(String),
    #[error("could not encode event: {0}")]
    Encode(String),
}

/// Carries queue changes to the fan-out function (SQS on AWS).
#[async_trait]
pub trait QueueBus: Send + Sync {
    async fn publish(&self, event: &switchboard_domain::QueueEvent) -> Result<(), BusError>;
}

/// Carries channel traffic between functions (SQS FIFO on AWS): normalized
/// webhook events to the inbound consumer, operators' messages to the sender.
#[async_trait]
pub trait ChannelBus: Send + Sync {
    /// All or nothing from the caller's view: Ok only once every envelope is
    /// durably queued, which is when the webhook may answer 200.
    async fn publish_inbound(&self, envelopes: &[InboundEnvelope]) -> Result<(), BusError>;
    async fn publish_outbound(&self, job: &OutboundJob) -> Result<(), BusError>;
}

/// One HTTP request to a channel provider's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
#[error("request did not complete: {0}")]
pub struct TransportError(pub String);

/// Sends requests to channel providers (reqwest on Lambda and locally).
#[async_trait]
pub trait HttpTransport: Send + Sync {
    async fn execute(&self, call: HttpCall) -> Result<HttpReply, TransportError>;
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("connection is gone")]
    Gone,
    #[error("payload exceeds the gateway's message limit")]
    TooLarge,
    #[error("push failed: {0}")]
    Failed(String),
}

/// Sends a frame to one WebSocket connection (API Gateway `@connections` on AWS).
#[async_trait]
pub trait Push: Send + Sync {
    async fn send(&self, connection: &ConnectionId, payload: &[u8]) -> Result<(), PushError>;
}

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        Timestamp(millis)
    }
}

pub trait IdGen: Send + Sync {
    /// A new unique id with a readable prefix, e.g. `conv_01J...`.
    fn new_id(&self, prefix: &str) -> String;
}

/// ULIDs: unique across Lambda instances without coordination, and sortable by time.
#[derive(Debug, Default)]
pub struct UlidIds;

impl IdGen for UlidIds {
    fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", ulid::Ulid::new())
    }
}
