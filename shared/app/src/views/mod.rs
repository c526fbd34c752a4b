//! Server events: everything the gateway pushes to widgets and consoles.

mod cards;
mod client;
mod lists;
mod queue;
mod visibility;

pub use cards::CardView;
pub use client::{ClientChannel, ClientPreview, MergePlan, Merged, PastSession};
pub use lists::ConversationSummary;
pub use queue::{OperatorView, QueueEntry, QueueUpdate, QueueUpdated};
use serde::Serialize;
use switchboard_domain::cards::{CardChannel, CardDefinition, CardSide};
use switchboard_domain::CardOutcome;
use switchboard_domain::{
    Conversation, ConversationId, Delivery, Group, GroupId, Message, OfflineReason, OperatorId,
    SlaRule, TenantId, Timestamp, VisitorId, Widget, WidgetEntry,
};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
    pub has_more: bool,
    /// Place in the waiting queue, 1 = next; only while waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// The offline form's fields, as a widget renders it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineFormView {
    pub fields: Vec<&'static str>,
    pub required: Vec<&'static str>,
    /// At least one of these.
    pub one_of: Vec<&'static str>,
}

impl OfflineFormView {
    pub fn standard() -> Self {
        OfflineFormView {
            fields: vec!["name", "email", "phone", "message"],
            required: vec!["message"],
            one_of: vec!["email", "phone"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Visitor,
    Operator,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "event")]
pub enum Event {
    #[serde(rename = "welcome", rename_all = "camelCase")]
    WelcomeVisitor {
        tenant: TenantId,
        visitor_id: VisitorId,
        /// Present it as `visitorToken` when reconnecting to resume.
        visitor_token: String,
        /// The entry form's buttons, in order, as the widget's admin chose.
        entries: Vec<WidgetEntry>,
        #[serde(skip_serializing_if = "Option::is_none")]
        conversation: Option<ConversationView>,
    },
    #[serde(rename = "welcome", rename_all = "camelCase")]
    WelcomeOperator {
        tenant: TenantId,
        operator: OperatorView,
        conversations: Vec<ConversationView>,
        queue: Vec<QueueEntry>,
    },
    #[serde(rename = "pong")]
    Pong,
    #[serde(rename = "error")]
    Error {
        code: &'static str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    #[serde(rename = "conversation.started", rename_all = "camelCase")]
    ConversationStarted {
        view: ConversationView,
        /// `created`, `existing` or `reopened`.
        outcome: &'static str,
    },
    #[serde(rename = "queue.snapshot")]
    QueueSnapshot { entries: Vec<QueueEntry> },
    /// What changed in the waiting queue since the last update, coalesced:
    /// one event for all the changes the queue function handled at once.
    #[serde(rename = "queue.updated", rename_all = "camelCase")]
    QueueUpdated {
        /// The group whose queue this is; `queueLength` is its length.
        group_id: GroupId,
        changes: Vec<QueueUpdated>,
        queue_length: usize,
    },
    #[serde(rename = "queue.position", rename_all = "camelCase")]
    QueuePosition {
        conversation_id: ConversationId,
        position: usize,
        /// None while nobody who could serve the queue is online.
        estimated_wait_seconds: Option<u64>,
    },
    #[serde(rename = "conversation.preview")]
    Preview { view: ConversationView },
    #[serde(rename = "conversation.accepted", rename_all = "camelCase")]
    Accepted {
        view: ConversationView,
        operator_id: OperatorId,
        operator_name: String,
    },
    #[serde(rename = "conversation.closed", rename_all = "camelCase")]
    Closed {
        conversation_id: ConversationId,
        closed_by: Side,
    },
    #[serde(rename = "message")]
    Message { message: Message },
    /// Where an operator's message stands with its channel (sent, delivered,
    /// read, failed with the reason).
    #[serde(rename = "message.delivery", rename_all = "camelCase")]
    Delivery {
        conversation_id: ConversationId,
        seq: u64,
        client_message_id: String,
        delivery: Delivery,
    },
    #[serde(rename = "message.ack", rename_all = "camelCase")]
    MessageAck {
        conversation_id: ConversationId,
        client_message_id: String,
        seq: u64,
        duplicate: bool,
    },
    #[serde(rename = "typing", rename_all = "camelCase")]
    Typing {
        conversation_id: ConversationId,
        from: Side,
        typing: bool,
    },
    #[serde(rename = "history", rename_all = "camelCase")]
    History {
        conversation_id: ConversationId,
        messages: Vec<Message>,
        has_more: bool,
    },
    #[serde(rename = "operator.state")]
    OperatorState { operator: OperatorView },
    #[serde(rename = "tenant.settings", rename_all = "camelCase")]
    TenantSettings {
        max_chats: u32,
        transfer_timeout_seconds: u32,
    },
    /// To the transferring operator's tabs: the conversation left them.
    #[serde(rename = "conversation.transferred", rename_all = "camelCase")]
    Transferred {
        conversation_id: ConversationId,
        #[serde(skip_serializing_if = "Option::is_none")]
        to_operator_id: Option<OperatorId>,
        #[serde(skip_serializing_if = "Option::is_none")]
        to_group_id: Option<GroupId>,
    },
    /// To the operator who redirected a waiting conversation: where it went.
    #[serde(rename = "conversation.redirected", rename_all = "camelCase")]
    Redirected {
        conversation_id: ConversationId,
        #[serde(skip_serializing_if = "Option::is_none")]
        to_operator_id: Option<OperatorId>,
        #[serde(skip_serializing_if = "Option::is_none")]
        to_group_id: Option<GroupId>,
    },
    /// To the client: someone else will answer. Names nobody, says nothing
    /// of the operators' comment.
    #[serde(rename = "conversation.transferring", rename_all = "camelCase")]
    Transferring { conversation_id: ConversationId },
    /// To the operator a conversation is transferred to, with the comment.
    #[serde(rename = "transfer.offered", rename_all = "camelCase")]
    TransferOffered {
        view: ConversationView,
        from_operator_id: OperatorId,
        #[serde(skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        deadline: Timestamp,
    },
    /// To the transferring operator (and the decliner): it went back to its
    /// group, declined with a reason or (no `byOperatorId`) unanswered.
    #[serde(rename = "transfer.returned", rename_all = "camelCase")]
    TransferReturned {
        conversation_id: ConversationId,
        to_operator_id: OperatorId,
        #[serde(skip_serializing_if = "Option::is_none")]
        by_operator_id: Option<OperatorId>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// To the operator who asked: the code to hand to a client. Shown once.
    #[serde(rename = "invitation.created", rename_all = "camelCase")]
    InvitationCreated { code: String, expires_at: Timestamp },
    /// To the inviting operator's consoles: their client has arrived.
    #[serde(rename = "invitation.arrived")]
    InvitationArrived { view: ConversationView },
    /// The answer to `conversation.start` when nobody can take it: no
    /// conversation is started; the client may leave the form instead.
    #[serde(rename = "conversation.offline", rename_all = "camelCase")]
    Offline {
        reason: OfflineReason,
        form: OfflineFormView,
    },
    /// The offline form is stored (and on its way by e-mail). Not
    /// `requestId`: that name echoes the client's own request id.
    #[serde(rename = "offline.received", rename_all = "camelCase")]
    OfflineReceived { offline_request_id: String },
    /// An operator's active conversations, for an admin.
    #[serde(rename = "operator.conversations", rename_all = "camelCase")]
    OperatorConversations {
        operator_id: OperatorId,
        conversations: Vec<ConversationView>,
    },
    /// To the admin who assigned a conversation.
    #[serde(rename = "conversation.assigned", rename_all = "camelCase")]
    Assigned {
        conversation_id: ConversationId,
        operator_id: OperatorId,
    },
    /// A group as saved, to the admin's consoles.
    #[serde(rename = "group.saved")]
    GroupSaved { group: Group },
    #[serde(rename = "group.list")]
    Groups { groups: Vec<Group> },
    #[serde(rename = "sla.saved")]
    SlaSaved { rules: Vec<SlaRule> },
    #[serde(rename = "sla.list")]
    SlaRules { rules: Vec<SlaRule> },
    #[serde(rename = "widget.routed")]
    WidgetRouted { widget: Widget },
    #[serde(rename = "widget.saved")]
    WidgetSaved { widget: Widget },
    /// A client's tags, as they stand after a change.
    #[serde(rename = "client.tags", rename_all = "camelCase")]
    ClientTags {
        visitor_id: VisitorId,
        tags: Vec<String>,
    },
    /// Text blocks matching what follows `#`, best first.
    #[serde(rename = "textblock.results", rename_all = "camelCase")]
    TextBlocks {
        query: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        blocks: Vec<switchboard_domain::workspace::TextBlock>,
    },
    /// A block's text for one conversation; `unfilled` names the
    /// placeholders left in it as written, for the operator to complete.
    #[serde(rename = "textblock.filled", rename_all = "camelCase")]
    TextBlockFilled {
        block_id: String,
        conversation_id: ConversationId,
        text: String,
        unfilled: Vec<String>,
    },
    /// One page of a conversation list; `next` continues it.
    #[serde(rename = "conversation.list", rename_all = "camelCase")]
    ConversationList {
        conversations: Vec<ConversationSummary>,
        #[serde(skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    },
    /// Conversations whose client the query names, newest first.
    #[serde(rename = "conversation.search", rename_all = "camelCase")]
    ConversationSearch {
        query: String,
        conversations: Vec<ConversationSummary>,
    },
    /// A conversation's tags, as they stand after a change.
    #[serde(rename = "conversation.tags", rename_all = "camelCase")]
    ConversationTags {
        conversation_id: ConversationId,
        tags: Vec<String>,
    },
    /// Where operators stand with a conversation, as one of them set it.
    #[serde(rename = "conversation.progress", rename_all = "camelCase")]
    ConversationProgress {
        conversation_id: ConversationId,
        progress: switchboard_domain::workspace::Progress,
        by: OperatorId,
    },
    /// The contact panel of a conversation's client.
    #[serde(rename = "client.preview")]
    ClientPreview(Box<ClientPreview>),
    #[serde(rename = "client.merge.plan")]
    MergePlan(Box<MergePlan>),
    /// Unite: B's client is A's now (to the merger and the operators of both
    /// conversations).
    #[serde(rename = "client.merged")]
    Merged(Box<Merged>),
    /// A client's browsing history, newest first.
    #[serde(rename = "client.pages", rename_all = "camelCase")]
    ClientPages {
        visitor_id: VisitorId,
        page_views: Vec<switchboard_domain::workspace::PageView>,
    },
    /// The page the client of an active conversation just opened.
    #[serde(rename = "client.page", rename_all = "camelCase")]
    ClientPage {
        conversation_id: ConversationId,
        page_view: switchboard_domain::workspace::PageView,
    },
    /// A client's additional information: the tenant's fields and their
    /// values (only defined fields).
    #[serde(rename = "client.info", rename_all = "camelCase")]
    ClientInfo {
        visitor_id: VisitorId,
        fields: Vec<switchboard_domain::workspace::InfoField>,
        values: switchboard_domain::workspace::InfoValues,
    },
    #[serde(rename = "card.saved")]
    CardSaved { card: Box<CardDefinition> },
    #[serde(rename = "card.list", rename_all = "camelCase")]
    Cards {
        #[serde(skip_serializing_if = "Option::is_none")]
        channel: Option<CardChannel>,
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        cards: Vec<CardDefinition>,
    },
    /// How the card would look: the widget's view, and for WhatsApp and
    /// Apple the exact payload the provider would receive.
    #[serde(rename = "card.preview", rename_all = "camelCase")]
    CardPreview {
        card: Box<CardView>,
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<serde_json::Value>,
    },
    #[serde(rename = "template.saved")]
    TemplateSaved {
        template: Box<switchboard_domain::cards::WhatsAppTemplate>,
    },
    #[serde(rename = "template.list", rename_all = "camelCase")]
    Templates {
        #[serde(skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        templates: Vec<switchboard_domain::cards::WhatsAppTemplate>,
    },
    /// What `template.sync` read from Meta and stored.
    #[serde(rename = "template.synced", rename_all = "camelCase")]
    TemplatesSynced {
        templates: Vec<switchboard_domain::cards::WhatsAppTemplate>,
    },
    /// The text the client will read, and the exact Cloud API body.
    #[serde(rename = "template.preview", rename_all = "camelCase")]
    TemplatePreview {
        text: String,
        payload: serde_json::Value,
    },
    /// A sent card as it stands: to both sides when sent and when answered.
    #[serde(rename = "card")]
    Card { card: Box<CardView> },
    /// To the operators: nobody answered the card in time.
    #[serde(rename = "card.expired")]
    CardExpired { card: Box<CardView> },
    /// To the operators: the card was answered. `sound` when the client
    /// answered, so the console plays its notification.
    #[serde(rename = "card.answered", rename_all = "camelCase")]
    CardAnswered {
        card: Box<CardView>,
        outcome: CardOutcome,
        by: CardSide,
        sound: bool,
    },
}
