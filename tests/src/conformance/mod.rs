//! The storage conformance suite: one body of cases that every store must
//! pass, one file per port (the same names as `ports/`, `sqlite/` and
//! `dynamo/`). `tests/tests/conformance.rs` runs each case in [`CASES`]
//! against the embedded store and against DynamoDB on moto, and checks that
//! [`CASES`] names every case in these files.

mod accounts;
mod audit;
mod browsing;
mod cards;
mod channel_accounts;
mod connections;
mod contact_info;
mod contacts;
mod conversations;
mod delivery;
mod directory;
mod groups;
mod invitations;
mod lists;
mod membership;
mod messages;
mod offline;
mod reports;
mod routing;
mod sessions;
mod sla;
mod text_blocks;
mod transfers;
mod unite;
mod widgets;

pub use accounts::*;
pub use audit::*;
pub use browsing::*;
pub use cards::*;
pub use channel_accounts::*;
pub use connections::*;
pub use contact_info::*;
pub use contacts::*;
pub use conversations::*;
pub use delivery::*;
pub use directory::*;
pub use groups::*;
pub use invitations::*;
pub use lists::*;
pub use membership::*;
pub use messages::*;
pub use offline::*;
pub use reports::*;
pub use routing::*;
pub use sessions::*;
pub use sla::*;
pub use text_blocks::*;
pub use transfers::*;
pub use unite::*;
pub use widgets::*;

use futures::future::join_all;
use rand::seq::SliceRandom;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use switchboard_app::ports::{
    Connection, ConversationError, Principal, PrincipalRef, StartOutcome, VanishedOperator,
};
use switchboard_app::Store;
use switchboard_domain::*;

pub const T0: u64 = 1_800_000_000_000;

pub fn tenant(id: &str) -> TenantId {
    TenantId::parse(id).unwrap()
}

pub fn op(id: &str) -> OperatorId {
    OperatorId::parse(id).unwrap()
}

pub fn entry(kind: EntryType) -> EntryInfo {
    EntryInfo {
        entry_type: kind,
        language: "de".into(),
        browser: "Firefox 131".into(),
        os: "Windows 11".into(),
        widget: "Support".into(),
        page_url: "https://example.com/checkout".into(),
        name: Some("Grace".into()),
        phone: Some("+491701234567".into()),
        email: None,
    }
}

pub async fn put_tenant(store: &dyn Store, t: &TenantId, max_chats: u32) {
    store
        .put_tenant(&Tenant {
            timezone: None,
            id: t.clone(),
            name: format!("Tenant {t}"),
            settings: TenantSettings {
                max_chats: Capacity::new(max_chats).unwrap(),
                ..Default::default()
            },
        })
        .await
        .unwrap();
}

pub async fn waiting_conversation(
    store: &dyn Store,
    t: &TenantId,
    id: &str,
    kind: EntryType,
    at: u64,
) -> Conversation {
    let c = Conversation::start(
        ConversationId::parse(id).unwrap(),
        t.clone(),
        VisitorId::parse(format!("vis-{id}")).unwrap(),
        Channel::WebChat,
        entry(kind),
        Timestamp(at),
    );
    match store.start_conversation(c).await.unwrap() {
        StartOutcome::Created(c) => c,
        other => panic!("expected a new conversation, got {other:?}"),
    }
}

/// The browser tab an operator connects from in these cases.
pub fn tab_of(operator: &OperatorId) -> ConnectionId {
    ConnectionId::parse(format!("{operator}-tab")).unwrap()
}

/// Appends to the conversation as stored now (or, for one that does not
/// exist, as if it did), the way a use case hands over what it read.
pub async fn append(
    store: &dyn Store,
    t: &TenantId,
    id: &ConversationId,
    message: NewMessage,
) -> Result<switchboard_app::ports::Appended, ConversationError> {
    let conversation = match store.conversation(t, id).await.unwrap() {
        Some(c) => c,
        None => Conversation::start(
            id.clone(),
            t.clone(),
            VisitorId::parse("nobody").unwrap(),
            Channel::WebChat,
            entry(EntryType::Chat),
            Timestamp(T0),
        ),
    };
    store.append_message(&conversation, message).await
}

pub fn text_message(client_id: &str, at: u64) -> NewMessage {
    NewMessage::text(
        ClientMessageId::parse(client_id).unwrap(),
        Author::Visitor(VisitorId::parse("v").unwrap()),
        MessageText::parse(format!("message {client_id}")).unwrap(),
        Timestamp(at),
    )
}
