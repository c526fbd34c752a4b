//! Conversation META items to and from the domain's `Conversation`.

use super::conversation_record::{
    from_attribute, session_records, sessions_from, to_attribute, EntryRecord,
    PendingTransferRecord,
};
use super::item::{get_n, get_s, get_ss, n, opt_n, opt_s, parse, s, string_set, Item};
use super::keys::{self, conversation_pk};
use super::DynamoStore;
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{
    Channel, ConnectionId, Conversation, ConversationId, ConversationStatus, GroupId, OperatorId,
    PendingTransfer, TenantId, Timestamp, VisitorId, Watchers,
};

/// The client's connections on a conversation's META (a string set).
pub(crate) const VISITOR_CONNECTIONS: &str = "visitorConnections";
/// The assigned operator's connections on a conversation's META, and an
/// operator's own on their item (string sets).
pub(crate) const OPERATOR_CONNECTIONS: &str = "operatorConnections";

pub(crate) fn connection_ids(item: &Item, name: &str) -> StoreResult<Vec<ConnectionId>> {
    get_ss(item, name)
        .iter()
        .map(|id| parse(id, |raw| ConnectionId::parse(raw.to_string())))
        .collect()
}

/// On a conversation's META: the contact its client was merged into.
pub(crate) const CLIENT: &str = "client";
/// On a conversation's META: how many contacts are merged into its client.
pub(crate) const ABSORBED: &str = "absorbed";

/// Every channel, to read the stored names back.
const CHANNELS: [Channel; 6] = [
    Channel::WebChat,
    Channel::WhatsApp,
    Channel::Messenger,
    Channel::Instagram,
    Channel::Apple,
    Channel::Vk,
];

/// The stored name of a channel: the same words the protocol uses today,
/// spelled out here so either can change alone.
fn channel_str(c: Channel) -> &'static str {
    match c {
        Channel::WebChat => "webchat",
        Channel::WhatsApp => "whatsapp",
        Channel::Messenger => "messenger",
        Channel::Instagram => "instagram",
        Channel::Apple => "apple",
        Channel::Vk => "vk",
    }
}

fn channel_from(raw: &str) -> StoreResult<Channel> {
    CHANNELS
        .into_iter()
        .find(|c| channel_str(*c) == raw)
        .ok_or_else(|| StoreError::Corrupt(format!("channel {raw:?}")))
}

pub(crate) fn conversation_item(c: &Conversation) -> StoreResult<Item> {
    let mut item = DynamoStore::key(conversation_pk(&c.tenant, &c.id), keys::META_SK);
    item.insert("tenant".into(), s(c.tenant.as_str()));
    item.insert("conversation".into(), s(c.id.as_str()));
    item.insert("visitor".into(), s(c.visitor.as_str()));
    item.insert("channel".into(), s(channel_str(c.channel)));
    item.insert("entry".into(), to_attribute(&EntryRecord::from(&c.entry))?);
    item.insert("status".into(), s(c.status.as_str()));
    item.insert("group".into(), s(c.group.as_str()));
    item.insert("createdAt".into(), n(c.created_at.millis()));
    item.insert("enqueuedAt".into(), n(c.enqueued_at.millis()));
    item.insert("lastSeq".into(), n(c.last_seq));
    item.insert(
        "sessions".into(),
        to_attribute(&session_records(&c.sessions))?,
    );
    item.insert("lastEvent".into(), n(c.last_event));
    if let Some(op) = &c.operator {
        item.insert("operator".into(), s(op.as_str()));
    }
    if let Some(at) = c.accepted_at {
        item.insert("acceptedAt".into(), n(at.millis()));
    }
    if let Some(at) = c.closed_at {
        item.insert("closedAt".into(), n(at.millis()));
    }
    let watchers = [
        (VISITOR_CONNECTIONS, &c.watchers.visitor),
        (OPERATOR_CONNECTIONS, &c.watchers.operator),
    ];
    for (name, ids) in watchers {
        if let Some(set) = string_set(ids.iter().map(|id| id.as_str())) {
            item.insert(name.into(), set);
        }
    }
    if let Some(pending) = &c.pending_transfer {
        item.insert(
            "pendingTransfer".into(),
            to_attribute(&PendingTransferRecord::from(pending))?,
        );
    }
    if let Some(sla) = &c.sla {
        item.insert("sla".into(), to_attribute(sla)?);
    }
    item.insert("progress".into(), s(c.progress.as_str()));
    if let Some(tags) = string_set(c.tags.iter().map(String::as_str)) {
        item.insert("tags".into(), tags);
    }
    item.insert("lastActivity".into(), n(c.last_activity_at.millis()));
    if let Some(client) = &c.client {
        item.insert(CLIENT.into(), s(client.as_str()));
    }
    if c.absorbed > 0 {
        item.insert(ABSORBED.into(), n(u64::from(c.absorbed)));
    }
    item.insert(keys::GSI3PK.into(), s(keys::list_gsi_pk_of(c)));
    item.insert(
        keys::GSI3SK.into(),
        s(keys::list_gsi_sk(c.last_activity_at, &c.id)),
    );
    if c.status == ConversationStatus::Waiting {
        let queue = match &c.pending_transfer {
            Some(p) => keys::addressed_gsi_pk(&c.tenant, &p.to),
            None => keys::waiting_gsi_pk(&c.tenant, &c.group),
        };
        item.insert(keys::GSI1PK.into(), s(queue));
        item.insert(keys::GSI1SK.into(), s(keys::waiting_gsi_sk(c)));
        if let Some(p) = &c.pending_transfer {
            item.insert(keys::GSI2PK.into(), s(keys::TRANSFERS_GSI_PK));
            item.insert(
                keys::GSI2SK.into(),
                s(keys::transfer_gsi_sk(p.deadline, &c.tenant, &c.id)),
            );
        }
    }
    Ok(item)
}

pub(crate) fn conversation_from(item: &Item) -> StoreResult<Conversation> {
    let status = get_s(item, "status")?;
    Conversation {
        id: parse(get_s(item, "conversation")?, ConversationId::parse)?,
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        visitor: parse(get_s(item, "visitor")?, VisitorId::parse)?,
        channel: channel_from(get_s(item, "channel")?)?,
        entry: from_attribute::<EntryRecord>(item, "entry")?
            .ok_or_else(|| StoreError::Corrupt("conversation without entry".into()))?
            .into(),
        group: opt_s(item, "group")
            .map(|g| parse(g, GroupId::parse))
            .transpose()?
            .unwrap_or_default(),
        status: ConversationStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("conversation status {status:?}")))?,
        operator: opt_s(item, "operator")
            .map(|o| parse(o, OperatorId::parse))
            .transpose()?,
        created_at: Timestamp(get_n(item, "createdAt")?),
        enqueued_at: Timestamp(get_n(item, "enqueuedAt")?),
        accepted_at: opt_n(item, "acceptedAt")?.map(Timestamp),
        closed_at: opt_n(item, "closedAt")?.map(Timestamp),
        last_seq: get_n(item, "lastSeq")?,
        sessions: sessions_from(from_attribute(item, "sessions")?.unwrap_or_default())?,
        last_event: opt_n(item, "lastEvent")?.unwrap_or(0),
        sla: from_attribute(item, "sla")?,
        pending_transfer: from_attribute::<PendingTransferRecord>(item, "pendingTransfer")?
            .map(PendingTransfer::try_from)
            .transpose()?,
        tags: {
            let mut tags = match item.get("tags") {
                Some(aws_sdk_dynamodb::types::AttributeValue::Ss(tags)) => tags.clone(),
                _ => Vec::new(),
            };
            tags.sort();
            tags
        },
        progress: opt_s(item, "progress")
            .and_then(switchboard_domain::workspace::Progress::parse)
            .unwrap_or_default(),
        last_activity_at: Timestamp(
            opt_n(item, "lastActivity")?.unwrap_or(get_n(item, "enqueuedAt")?),
        ),
        client: opt_s(item, CLIENT)
            .map(|v| parse(v, VisitorId::parse))
            .transpose()?,
        absorbed: opt_n(item, ABSORBED)?.unwrap_or(0) as u32,
        watchers: Watchers {
            visitor: connection_ids(item, VISITOR_CONNECTIONS)?,
            operator: connection_ids(item, OPERATOR_CONNECTIONS)?,
        },
    }
    .with_sessions()
    .with_first_responses(item)
}

/// An operator's first message of each session is kept beside the list of
/// sessions, one attribute per session (`fr{number}`), so an append sets
/// it with `if_not_exists` and a lifecycle change that rewrites the list
/// from an older read cannot lose it.
pub(crate) fn first_response_attr(session: u32) -> String {
    format!("fr{session}")
}

trait WithFirstResponses: Sized {
    fn with_first_responses(self, item: &Item) -> StoreResult<Self>;
}

impl WithFirstResponses for Conversation {
    fn with_first_responses(mut self, item: &Item) -> StoreResult<Self> {
        for session in &mut self.sessions {
            if let Some(at) = opt_n(item, &first_response_attr(session.number))? {
                session.first_response_at = Some(Timestamp(at));
            }
        }
        Ok(self)
    }
}
