//! Where a function's ports come from. Each function's `wire` asks an
//! [`Adapters`] for exactly the ports its use cases take, so the set a
//! function asks for is the set its IAM policy must allow; the drift test
//! (`tests/tests/iam_drift.rs`) records those requests and compares them with
//! `infra/template.yaml`. On AWS the adapters build each client on first
//! request, so a function builds only the clients it uses.

use crate::ports::{
    AccountStore, AssignBus, AuditLog, CardBus, CardStore, ChannelAccountStore,
    ChannelAccountWriter, Clock, ConnectionRegistry, ContactStore, ConversationStore,
    DeliveryStore, DirectoryStore, IdGen, InboundBus, InvitationStore, MailBus, Mailer,
    MessageStore, OfflineStore, OutboundBus, Push, QueueBus, RoutingStore, SecretWriter, Secrets,
    SessionStore, WidgetStore,
};
use crate::ports::{BrowsingHistory, ContactInfoStore, ReportStore, TextBlockStore, UniteStore};
use std::sync::Arc;

/// The ports a function can be given. Clock and ids need no permission; every
/// other port maps to IAM actions (see `switchboard_aws::iam`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortName {
    Directory,
    Routing,
    Invitations,
    Offline,
    Conversations,
    Messages,
    Delivery,
    Contacts,
    Connections,
    Cards,
    Accounts,
    Sessions,
    Audit,
    Widgets,
    TextBlocks,
    ContactInfo,
    Browsing,
    Unite,
    Reports,
    ChannelAccounts,
    ChannelAccountWriter,
    Secrets,
    SecretWriter,
    QueueBus,
    AssignBus,
    MailBus,
    Mail,
    InboundBus,
    OutboundBus,
    CardBus,
    Push,
    Clock,
    Ids,
}

pub trait Adapters {
    fn directory(&self) -> Arc<dyn DirectoryStore>;
    fn routing(&self) -> Arc<dyn RoutingStore>;
    fn invitations(&self) -> Arc<dyn InvitationStore>;
    fn offline(&self) -> Arc<dyn OfflineStore>;
    fn mail_bus(&self) -> Arc<dyn MailBus>;
    fn mailer(&self) -> Arc<dyn Mailer>;
    fn conversations(&self) -> Arc<dyn ConversationStore>;
    fn messages(&self) -> Arc<dyn MessageStore>;
    fn delivery(&self) -> Arc<dyn DeliveryStore>;
    fn contacts(&self) -> Arc<dyn ContactStore>;
    fn connections(&self) -> Arc<dyn ConnectionRegistry>;
    fn cards(&self) -> Arc<dyn CardStore>;
    fn accounts(&self) -> Arc<dyn AccountStore>;
    fn sessions(&self) -> Arc<dyn SessionStore>;
    fn audit(&self) -> Arc<dyn AuditLog>;
    fn widgets(&self) -> Arc<dyn WidgetStore>;
    fn text_blocks(&self) -> Arc<dyn TextBlockStore>;
    fn contact_info(&self) -> Arc<dyn ContactInfoStore>;
    fn browsing(&self) -> Arc<dyn BrowsingHistory>;
    fn unite(&self) -> Arc<dyn UniteStore>;
    fn reports(&self) -> Arc<dyn ReportStore>;
    fn channel_accounts(&self) -> Arc<dyn ChannelAccountStore>;
    fn channel_account_writer(&self) -> Arc<dyn ChannelAccountWriter>;
    fn secrets(&self) -> Arc<dyn Secrets>;
    fn secret_writer(&self) -> Arc<dyn SecretWriter>;
    fn queue_bus(&self) -> Arc<dyn QueueBus>;
    fn assign_bus(&self) -> Arc<dyn AssignBus>;
    fn inbound_bus(&self) -> Arc<dyn InboundBus>;
    fn outbound_bus(&self) -> Arc<dyn OutboundBus>;
    fn card_bus(&self) -> Arc<dyn CardBus>;
    fn push(&self) -> Arc<dyn Push>;
    fn clock(&self) -> Arc<dyn Clock>;
    fn ids(&self) -> Arc<dyn IdGen>;
}

/// Every port already built: the local stack and the tests, where all of them
/// exist anyway. A plain container, no behaviour.
#[derive(Clone)]
pub struct AdapterSet {
    pub directory: Arc<dyn DirectoryStore>,
    pub routing: Arc<dyn RoutingStore>,
    pub invitations: Arc<dyn InvitationStore>,
    pub offline: Arc<dyn OfflineStore>,
    pub mail_bus: Arc<dyn MailBus>,
    pub mailer: Arc<dyn Mailer>,
    pub conversations: Arc<dyn ConversationStore>,
    pub messages: Arc<dyn MessageStore>,
    pub delivery: Arc<dyn DeliveryStore>,
    pub contacts: Arc<dyn ContactStore>,
    pub connections: Arc<dyn ConnectionRegistry>,
    pub cards: Arc<dyn CardStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub audit: Arc<dyn AuditLog>,
    pub widgets: Arc<dyn WidgetStore>,
    pub text_blocks: Arc<dyn TextBlockStore>,
    pub contact_info: Arc<dyn ContactInfoStore>,
    pub browsing: Arc<dyn BrowsingHistory>,
    pub unite: Arc<dyn UniteStore>,
    pub reports: Arc<dyn ReportStore>,
    pub channel_accounts: Arc<dyn ChannelAccountStore>,
    pub channel_account_writer: Arc<dyn ChannelAccountWriter>,
    pub secrets: Arc<dyn Secrets>,
    pub secret_writer: Arc<dyn SecretWriter>,
    pub queue_bus: Arc<dyn QueueBus>,
    pub assign_bus: Arc<dyn AssignBus>,
    pub inbound_bus: Arc<dyn InboundBus>,
    pub outbound_bus: Arc<dyn OutboundBus>,
    pub card_bus: Arc<dyn CardBus>,
    pub push: Arc<dyn Push>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
}

impl AdapterSet {
    /// One store serving every storage port.
    #[allow(clippy::too_many_arguments)]
    pub fn with_store(
        store: Arc<dyn crate::ports::Store>,
        queue_bus: Arc<dyn QueueBus>,
        assign_bus: Arc<dyn AssignBus>,
        channels: Arc<dyn crate::ports::ChannelBuses>,
        mail: (Arc<dyn MailBus>, Arc<dyn Mailer>),
        push: Arc<dyn Push>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
        secrets: (Arc<dyn Secrets>, Arc<dyn SecretWriter>),
    ) -> Self {
        AdapterSet {
            directory: store.clone(),
            routing: store.clone(),
            invitations: store.clone(),
            offline: store.clone(),
            mail_bus: mail.0,
            mailer: mail.1,
            conversations: store.clone(),
            messages: store.clone(),
            delivery: store.clone(),
            contacts: store.clone(),
            cards: store.clone(),
            accounts: store.clone(),
            sessions: store.clone(),
            audit: store.clone(),
            widgets: store.clone(),
            text_blocks: store.clone(),
            contact_info: store.clone(),
            browsing: store.clone(),
            unite: store.clone(),
            reports: store.clone(),
            channel_accounts: store.clone(),
            channel_account_writer: store.clone(),
            secrets: secrets.0,
            secret_writer: secrets.1,
            connections: store,
            queue_bus,
            assign_bus,
            inbound_bus: channels.clone(),
            outbound_bus: channels.clone(),
            card_bus: channels,
            push,
            clock,
            ids,
        }
    }
}

impl Adapters for AdapterSet {
    fn directory(&self) -> Arc<dyn DirectoryStore> {
        self.directory.clone()
    }
    fn routing(&self) -> Arc<dyn RoutingStore> {
        self.routing.clone()
    }
    fn invitations(&self) -> Arc<dyn InvitationStore> {
        self.invitations.clone()
    }
    fn offline(&self) -> Arc<dyn OfflineStore> {
        self.offline.clone()
    }
    fn mail_bus(&self) -> Arc<dyn MailBus> {
        self.mail_bus.clone()
    }
    fn mailer(&self) -> Arc<dyn Mailer> {
        self.mailer.clone()
    }
    fn conversations(&self) -> Arc<dyn ConversationStore> {
        self.conversations.clone()
    }
    fn messages(&self) -> Arc<dyn MessageStore> {
        self.messages.clone()
    }
    fn delivery(&self) -> Arc<dyn DeliveryStore> {
        self.delivery.clone()
    }
    fn contacts(&self) -> Arc<dyn ContactStore> {
        self.contacts.clone()
    }
    fn connections(&self) -> Arc<dyn ConnectionRegistry> {
        self.connections.clone()
    }
    fn cards(&self) -> Arc<dyn CardStore> {
        self.cards.clone()
    }
    fn accounts(&self) -> Arc<dyn AccountStore> {
        self.accounts.clone()
    }
    fn sessions(&self) -> Arc<dyn SessionStore> {
        self.sessions.clone()
    }
    fn audit(&self) -> Arc<dyn AuditLog> {
        self.audit.clone()
    }
    fn widgets(&self) -> Arc<dyn WidgetStore> {
        self.widgets.clone()
    }
    fn text_blocks(&self) -> Arc<dyn TextBlockStore> {
        self.text_blocks.clone()
    }
    fn contact_info(&self) -> Arc<dyn ContactInfoStore> {
        self.contact_info.clone()
    }
    fn browsing(&self) -> Arc<dyn BrowsingHistory> {
        self.browsing.clone()
    }
    fn unite(&self) -> Arc<dyn UniteStore> {
        self.unite.clone()
    }
    fn reports(&self) -> Arc<dyn ReportStore> {
        self.reports.clone()
    }
    fn channel_accounts(&self) -> Arc<dyn ChannelAccountStore> {
        self.channel_accounts.clone()
    }
    fn channel_account_writer(&self) -> Arc<dyn ChannelAccountWriter> {
        self.channel_account_writer.clone()
    }
    fn secrets(&self) -> Arc<dyn Secrets> {
        self.secrets.clone()
    }
    fn secret_writer(&self) -> Arc<dyn SecretWriter> {
        self.secret_writer.clone()
    }
    fn queue_bus(&self) -> Arc<dyn QueueBus> {
        self.queue_bus.clone()
    }
    fn assign_bus(&self) -> Arc<dyn AssignBus> {
        self.assign_bus.clone()
    }
    fn inbound_bus(&self) -> Arc<dyn InboundBus> {
        self.inbound_bus.clone()
    }
    fn outbound_bus(&self) -> Arc<dyn OutboundBus> {
        self.outbound_bus.clone()
    }
    fn card_bus(&self) -> Arc<dyn CardBus> {
        self.card_bus.clone()
    }
    fn push(&self) -> Arc<dyn Push> {
        self.push.clone()
    }
    fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }
    fn ids(&self) -> Arc<dyn IdGen> {
        self.ids.clone()
    }
}
