//! Ports: what the use cases need from the outside world, one concern per
//! file. Adapters live in `switchboard-embedded` (`sqlite/<port>.rs`, the
//! in-process queue) and `switchboard-aws` (`dynamo/<port>.rs`, SQS, API
//! Gateway), and `tests/src/conformance/<port>.rs` holds the cases both stores
//! must pass.
//!
//! A use case takes only the ports it calls, so what a Lambda function holds
//! is what its IAM policy must allow (`tests/tests/iam_drift.rs` checks it).
//! Store methods state their atomicity as part of the contract, because the
//! promises (no double accept, capacity never overshot, no duplicate message)
//! rest on them.

mod accounts;
mod audit;
mod browsing;
mod bus;
mod cards;
mod channel_accounts;
mod clock;
mod connections;
mod contact_info;
mod contacts;
mod conversations;
mod delivery;
mod directory;
mod http;
mod ids;
mod invitations;
mod mail;
mod messages;
mod offline;
mod push;
mod reports;
mod routing;
mod secrets;
mod sessions;
mod store_error;
mod text_blocks;
mod unite;
mod widgets;

pub use accounts::{AccountStore, AccountStoreError, Login, Page};
pub use audit::{AuditEntry, AuditLog};
pub use browsing::BrowsingHistory;
pub use bus::{
    AssignBus, BusError, CardBus, ChannelBuses, InboundBus, MailBus, OutboundBus, QueueBus,
};
pub use cards::{CardStore, CardStoreError};
pub use channel_accounts::{
    ChannelAccount, ChannelAccountError, ChannelAccountStore, ChannelAccountWriter,
};
pub use clock::{Clock, SystemClock};
pub use connections::{Connection, ConnectionRegistry, Principal, PrincipalRef, VanishedOperator};
pub use contact_info::ContactInfoStore;
pub use contacts::ContactStore;
pub use conversations::{
    Accepted, Closed, ConversationError, ConversationStore, OperatorLoad, Redirected, Returned,
    StartOutcome, Transferred, WaitingQueue,
};
pub use delivery::{DeliveryStore, Outbound, ReceiptTarget};
pub use directory::DirectoryStore;
pub use http::{HttpCall, HttpReply, HttpTransport, TransportError};
pub use ids::{IdGen, UlidIds};
pub use invitations::InvitationStore;
pub use mail::{Email, MailError, Mailer};
pub use messages::{Appended, MessagePage, MessageStore};
pub use offline::OfflineStore;
pub use push::{Push, PushError};
pub use reports::{ReportStore, SessionPage};
pub use routing::{OperatorSnapshot, RoutingError, RoutingSnapshot, RoutingStore};
pub use secrets::{SecretWriter, Secrets, SecretsError};
pub use sessions::{Grant, Rotation, SessionStore};
pub use store_error::{BoxError, StoreError, StoreResult};
pub use text_blocks::TextBlockStore;
pub use unite::{UniteError, UniteStore};
pub use widgets::WidgetStore;

/// Every storage port at once: what one adapter (SQLite, DynamoDB) provides.
/// Use cases never take this; it is for wiring and tests.
pub trait Store:
    DirectoryStore
    + RoutingStore
    + InvitationStore
    + OfflineStore
    + ConversationStore
    + MessageStore
    + DeliveryStore
    + ContactStore
    + ConnectionRegistry
    + CardStore
    + AccountStore
    + SessionStore
    + AuditLog
    + WidgetStore
    + ChannelAccountStore
    + ChannelAccountWriter
    + TextBlockStore
    + ContactInfoStore
    + BrowsingHistory
    + UniteStore
    + ReportStore
{
}
impl<T> Store for T where
    T: DirectoryStore
        + RoutingStore
        + InvitationStore
        + OfflineStore
        + ConversationStore
        + MessageStore
        + DeliveryStore
        + ContactStore
        + ConnectionRegistry
        + CardStore
        + AccountStore
        + SessionStore
        + AuditLog
        + WidgetStore
        + ChannelAccountStore
        + ChannelAccountWriter
        + TextBlockStore
        + ContactInfoStore
        + BrowsingHistory
        + UniteStore
        + ReportStore
{
}
