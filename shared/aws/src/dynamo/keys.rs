//! Key design of the single table. `docs/dynamodb.md` lists the access patterns.
//! Every tenant-owned key starts with the tenant, so a request can only reach its
//! own tenant's records: another tenant's conversation is simply not found.

use switchboard_app::ports::PrincipalRef;
use switchboard_domain::{
    ClientMessageId, ConnectionId, Conversation, ConversationId, GroupId, OperatorId, TenantId,
    Timestamp, VisitorId, WidgetId,
};

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";
pub const GSI2: &str = "GSI2";
pub const GSI2PK: &str = "GSI2PK";
pub const GSI2SK: &str = "GSI2SK";
pub const GSI3: &str = "GSI3";
pub const GSI3PK: &str = "GSI3PK";
pub const GSI3SK: &str = "GSI3SK";
/// Epoch seconds; the table's TTL attribute.
pub const TTL: &str = "ttl";

pub fn tenant_pk(t: &TenantId) -> String {
    format!("T#{t}")
}
pub const TENANT_SK: &str = "TENANT";
pub fn operator_sk(o: &OperatorId) -> String {
    format!("OP#{o}")
}
pub fn widget_pk(w: &WidgetId) -> String {
    widget_pk_raw(w.as_str())
}
/// A widget's key from an id as a listing cursor carries it.
pub fn widget_pk_raw(w: &str) -> String {
    format!("WIDGET#{w}")
}
pub const WIDGET_SK: &str = "WIDGET";
pub fn conversation_pk(t: &TenantId, c: &ConversationId) -> String {
    format!("T#{t}#CONV#{c}")
}
pub const META_SK: &str = "META";
pub fn message_sk(seq: u64) -> String {
    format!("MSG#{seq:012}")
}
/// One entry of a conversation's timeline, in order.
pub fn event_sk(number: u64) -> String {
    format!("EVT#{number:012}")
}
pub const EVENT_PREFIX: &str = "EVT#";
pub fn client_message_sk(m: &ClientMessageId) -> String {
    format!("CMSG#{m}")
}
/// A provider's id for a message we sent, hashed: provider ids may hold any
/// character and run long, and only equality matters.
pub fn external_message_sk(external_id: &str) -> String {
    use switchboard_app::digest::{hex_prefix, sha256};
    format!("XMSG#{}", hex_prefix(&sha256(external_id.as_bytes()), 16))
}
pub fn contact_pk(t: &TenantId, v: &VisitorId) -> String {
    format!("T#{t}#CONTACT#{v}")
}
pub const CONTACT_SK: &str = "CONTACT";
pub fn visitor_pk(t: &TenantId, v: &VisitorId) -> String {
    format!("T#{t}#VIS#{v}")
}
pub const CURRENT_SK: &str = "CURRENT";
pub fn connection_pk(c: &ConnectionId) -> String {
    format!("CONN#{c}")
}
pub const CONNECTION_SK: &str = "CONN";

pub fn group_sk(g: &GroupId) -> String {
    format!("GROUP#{g}")
}
pub const GROUP_PREFIX: &str = "GROUP#";
/// The tenant's SLA rules, in its partition so the routing read has them.
pub const SLA_SK: &str = "SLA";
/// Handling times of a group's chats closed in one hour (expiring).
pub fn handling_sk(g: &GroupId, hour: u64) -> String {
    format!("HANDLED#{g}#{hour:010}")
}
pub const HANDLING_PREFIX: &str = "HANDLED#";
/// The load a group's wait estimates were last told with.
pub fn announced_load_sk(g: &GroupId) -> String {
    format!("QLOAD#{g}")
}
pub const ANNOUNCED_LOAD_PREFIX: &str = "QLOAD#";
pub const OPERATOR_PREFIX: &str = "OP#";

/// GSI1: a group's waiting queue. The default group keeps the
/// key the tenant's one queue had before groups, so what waited then still does.
pub fn waiting_gsi_pk(t: &TenantId, g: &GroupId) -> String {
    if g.is_default() {
        format!("T#{t}#WAITING")
    } else {
        format!("T#{t}#WAITING#G#{g}")
    }
}
/// In queue order: priority, deadline, arrival (see `queue_key`). Keys
/// written before SLA order (`{arrival}#{id}`) sort ahead of every new one,
/// which serves what waited since then first.
pub fn waiting_gsi_sk(c: &Conversation) -> String {
    switchboard_domain::queue::queue_key(c)
}
/// GSI2: an operator's active conversations.
pub fn operator_convs_gsi_pk(t: &TenantId, o: &OperatorId) -> String {
    format!("T#{t}#OPCONVS#{o}")
}
pub fn operator_convs_gsi_sk(accepted_at: Timestamp, c: &ConversationId) -> String {
    format!("{:015}#{c}", accepted_at.millis())
}
/// GSI1: one person's connections.
pub fn principal_gsi_pk(t: &TenantId, p: &PrincipalRef) -> String {
    format!("T#{t}#P#{}", p.storage_key())
}
/// GSI1: conversations transferred to one operator, awaiting their answer.
pub fn addressed_gsi_pk(t: &TenantId, o: &OperatorId) -> String {
    format!("T#{t}#ADDRESSED#{o}")
}
/// GSI2: transfers awaiting an answer, across tenants, by deadline (the
/// sweep returns the overdue ones).
pub const TRANSFERS_GSI_PK: &str = "TRANSFERS";
pub fn transfer_gsi_sk(deadline: Timestamp, t: &TenantId, c: &ConversationId) -> String {
    format!("{:015}#T#{t}#{c}", deadline.millis())
}

/// GSI2: the groups under automatic routing, across tenants, for the sweep.
pub const AUTO_GROUPS_GSI_PK: &str = "AUTOGROUPS";
pub fn auto_group_gsi_sk(t: &TenantId, g: &GroupId) -> String {
    format!("T#{t}#G#{g}")
}
/// GSI2: operators holding at least one connection, across tenants: the
/// sweep reads them and takes those whose consoles went quiet offline.
pub const PRESENT_GSI_PK: &str = "PRESENT";
pub fn present_gsi_sk(t: &TenantId, o: &OperatorId) -> String {
    format!("T#{t}#OP#{o}")
}
/// GSI2: all operator connections of a tenant.
pub fn operator_connections_gsi_pk(t: &TenantId) -> String {
    format!("T#{t}#OPCONNS")
}
pub fn connection_gsi_sk(c: &ConnectionId) -> String {
    format!("CONN#{c}")
}

/// Operator accounts: their own partition per tenant, so the routing read
/// of the tenant's partition does not carry them.
pub fn accounts_pk(t: &TenantId) -> String {
    format!("T#{t}#ACCOUNTS")
}
pub const ACCOUNT_PREFIX: &str = "ACCT#";
/// The tenant's identity provider, beside its accounts.
pub const OIDC_SK: &str = "OIDC";
pub fn account_sk(o: &OperatorId) -> String {
    format!("{ACCOUNT_PREFIX}{o}")
}
/// A login, keyed by e-mail across tenants: the uniqueness of addresses and
/// what sign-in reads.
pub fn login_pk(email: &str) -> String {
    format!("LOGIN#{email}")
}
pub const LOGIN_SK: &str = "LOGIN";
/// One operator's sign-in families (ended together when they are disabled).
pub fn sessions_pk(t: &TenantId, o: &OperatorId) -> String {
    format!("T#{t}#SESSIONS#{o}")
}
pub fn family_sk(family: &str) -> String {
    format!("FAM#{family}")
}
pub const FAMILY_PREFIX: &str = "FAM#";
pub fn refresh_pk(digest: &str) -> String {
    format!("REFRESH#{digest}")
}
pub const REFRESH_SK: &str = "REFRESH";
pub fn link_pk(digest: &str) -> String {
    format!("LINK#{digest}")
}
pub const LINK_SK: &str = "LINK";
/// The tenant's audit log, sorted by entry id (a ULID, so by time).
pub fn audit_pk(t: &TenantId) -> String {
    format!("T#{t}#AUDIT")
}
pub const AUDIT_PREFIX: &str = "E#";
/// GSI1: a tenant's widgets, by id.
pub fn widgets_gsi_pk(t: &TenantId) -> String {
    format!("T#{t}#WIDGETS")
}

/// A conversation list: the tenant's open or closed conversations of one
/// operator, or nobody's (`-`; operator ids never are).
pub fn list_gsi_pk(t: &TenantId, open: bool, operator: Option<&OperatorId>) -> String {
    let state = if open { "OPEN" } else { "CLOSED" };
    match operator {
        Some(op) => format!("T#{t}#LIST#{state}#{op}"),
        None => format!("T#{t}#LIST#{state}#-"),
    }
}

/// Newest activity sorts last; lists read it backwards.
pub fn list_gsi_sk(last_activity: Timestamp, c: &ConversationId) -> String {
    format!("{:015}#{c}", last_activity.millis())
}

/// The list a conversation belongs in.
pub fn list_gsi_pk_of(c: &Conversation) -> String {
    list_gsi_pk(
        &c.tenant,
        c.status != switchboard_domain::ConversationStatus::Closed,
        c.operator.as_ref(),
    )
}
