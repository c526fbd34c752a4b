//! The schema, as numbered migrations. A database remembers the last one it
//! ran (`PRAGMA user_version`), so an existing `.data` directory upgrades in
//! place; never edit a migration that has shipped, add the next one.

use switchboard_app::ports::{StoreError, StoreResult};

// The operator workspace's migrations (issue 12) are in a file of their own.
use super::migrations_workspace::{V10, V11, V12, V13, V14, V15};

pub(super) const V1: &str = "
CREATE TABLE IF NOT EXISTS tenants (
    id   TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS widgets (
    id   TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS operators (
    tenant       TEXT NOT NULL,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    active_chats INTEGER NOT NULL DEFAULT 0,
    in_video     INTEGER NOT NULL DEFAULT 0,
    connections  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE IF NOT EXISTS conversations (
    tenant      TEXT NOT NULL,
    id          TEXT NOT NULL,
    visitor     TEXT NOT NULL,
    status      TEXT NOT NULL,
    operator    TEXT,
    enqueued_at INTEGER NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX IF NOT EXISTS conversations_waiting ON conversations (tenant, status, enqueued_at, id);
CREATE INDEX IF NOT EXISTS conversations_operator ON conversations (tenant, operator, status);
CREATE TABLE IF NOT EXISTS visitor_current (
    tenant       TEXT NOT NULL,
    visitor      TEXT NOT NULL,
    conversation TEXT NOT NULL,
    PRIMARY KEY (tenant, visitor)
);
CREATE TABLE IF NOT EXISTS messages (
    tenant       TEXT NOT NULL,
    conversation TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    client_id    TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (tenant, conversation, seq),
    UNIQUE (tenant, conversation, client_id)
);
CREATE TABLE IF NOT EXISTS connections (
    id            TEXT PRIMARY KEY,
    tenant        TEXT NOT NULL,
    principal_key TEXT NOT NULL,
    is_operator   INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    body          TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS external_ids (
    tenant       TEXT NOT NULL,
    conversation TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (tenant, conversation, external_id)
);
CREATE TABLE IF NOT EXISTS contacts (
    tenant  TEXT NOT NULL,
    visitor TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (tenant, visitor)
);
CREATE INDEX IF NOT EXISTS connections_principal ON connections (tenant, principal_key);
CREATE INDEX IF NOT EXISTS connections_operators ON connections (tenant, is_operator);
";

/// Every migration, oldest first. Version 1 is the schema from before
/// migrations existed; its `IF NOT EXISTS` lets a database of that age,
/// whose `user_version` is still 0, take it without losing a row.
fn all() -> rusqlite_migration::Migrations<'static> {
    rusqlite_migration::Migrations::new(vec![
        rusqlite_migration::M::up(V1),
        rusqlite_migration::M::up(V2),
        rusqlite_migration::M::up(V3),
        rusqlite_migration::M::up(V4),
        rusqlite_migration::M::up(V5),
        rusqlite_migration::M::up(V6),
        rusqlite_migration::M::up(V7),
        rusqlite_migration::M::up(V8),
        rusqlite_migration::M::up(V9),
        rusqlite_migration::M::up(V10),
        rusqlite_migration::M::up(V11),
        rusqlite_migration::M::up(V12),
        rusqlite_migration::M::up(V13),
        rusqlite_migration::M::up(V14),
        rusqlite_migration::M::up(V15),
    ])
}

/// Each conversation's event log. Conversations from before it simply have
/// an empty log up to their next change.
pub(super) const V2: &str = "
CREATE TABLE timeline (
    tenant       TEXT NOT NULL,
    conversation TEXT NOT NULL,
    number       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (tenant, conversation, number)
);
";

/// Groups of operators: each conversation waits in its group's queue (rows
/// from before are the default group's), and routing's tie-break needs each
/// operator's last assignment.
pub(super) const V3: &str = "
CREATE TABLE groups (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    policy TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX groups_policy ON groups (policy, tenant);
ALTER TABLE conversations ADD COLUMN grp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE conversations ADD COLUMN addressed TEXT;
ALTER TABLE conversations ADD COLUMN transfer_due INTEGER;
CREATE INDEX conversations_transfer_due ON conversations (transfer_due) WHERE transfer_due IS NOT NULL;
CREATE INDEX conversations_group_waiting ON conversations (tenant, grp, status, enqueued_at, id);
ALTER TABLE operators ADD COLUMN last_assigned_at INTEGER;
ALTER TABLE operators ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE operators ADD COLUMN last_seen_at INTEGER;
CREATE TABLE invitations (
    tenant     TEXT NOT NULL,
    digest     TEXT NOT NULL,
    operator   TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, digest)
);
CREATE TABLE operator_status_log (
    tenant   TEXT NOT NULL,
    operator TEXT NOT NULL,
    at       INTEGER NOT NULL,
    status   TEXT NOT NULL,
    PRIMARY KEY (tenant, operator, at, status)
);
CREATE TABLE offline_requests (
    tenant     TEXT NOT NULL,
    id         TEXT NOT NULL,
    body       TEXT NOT NULL,
    claimed_at INTEGER,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE attempts (
    key        TEXT PRIMARY KEY,
    count      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
";

/// SLA order: a queue is read in `queue_key` order (priority, deadline,
/// arrival; see `switchboard_domain::queue::queue_key`), rows from before
/// being normal with no deadline. The tenant's SLA rules, and per group and
/// hour how long closed chats took, and per group the load wait estimates
/// were last announced with.
pub(super) const V4: &str = "
ALTER TABLE conversations ADD COLUMN queue_key TEXT NOT NULL DEFAULT '';
UPDATE conversations SET queue_key = '2#999999999999999#' || printf('%015d', enqueued_at) || '#' || id;
CREATE INDEX conversations_group_queue ON conversations (tenant, grp, status, queue_key);
DROP INDEX conversations_group_waiting;
CREATE TABLE sla_rules (
    tenant TEXT PRIMARY KEY,
    body   TEXT NOT NULL
);
CREATE TABLE handling_times (
    tenant       TEXT NOT NULL,
    grp          TEXT NOT NULL,
    hour         INTEGER NOT NULL,
    total_millis INTEGER NOT NULL,
    chats        INTEGER NOT NULL,
    PRIMARY KEY (tenant, grp, hour)
);
CREATE TABLE announced_loads (
    tenant TEXT NOT NULL,
    grp    TEXT NOT NULL,
    slots  INTEGER NOT NULL,
    free   INTEGER NOT NULL,
    PRIMARY KEY (tenant, grp)
);
";

/// Hero Cards: the tenant's definitions, and the cards sent into
/// conversations with their state (answered once: `state = 'open'` is the
/// condition an answer is written under).
pub(super) const V5: &str = "
CREATE TABLE card_definitions (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE card_instances (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    state  TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
";

/// WhatsApp templates, by tenant, name and language.
pub(super) const V6: &str = "
CREATE TABLE whatsapp_templates (
    tenant   TEXT NOT NULL,
    name     TEXT NOT NULL,
    language TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (tenant, name, language)
);
";

/// Clients' tags.
pub(super) const V7: &str = "
CREATE TABLE client_tags (
    tenant  TEXT NOT NULL,
    visitor TEXT NOT NULL,
    tag     TEXT NOT NULL,
    PRIMARY KEY (tenant, visitor, tag)
);
";

/// Accounts and sign-in (issue 11): accounts, logins by e-mail, refresh
/// token families, one-time links, the audit log, and widgets listed by tenant.
pub(super) const V8: &str = "
CREATE TABLE accounts (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE logins (
    email         TEXT PRIMARY KEY,
    tenant        TEXT NOT NULL,
    operator      TEXT NOT NULL,
    password_hash TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER
);
CREATE TABLE session_families (
    id       TEXT PRIMARY KEY,
    tenant   TEXT NOT NULL,
    operator TEXT NOT NULL,
    ended    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX session_families_operator ON session_families (tenant, operator);
CREATE TABLE refresh_tokens (
    digest     TEXT PRIMARY KEY,
    family     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    spent      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE one_time_links (
    digest TEXT PRIMARY KEY,
    body   TEXT NOT NULL
);
CREATE TABLE audit_log (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
ALTER TABLE widgets ADD COLUMN tenant TEXT;
UPDATE widgets SET tenant = json_extract(body, '$.tenant');
CREATE INDEX widgets_tenant ON widgets (tenant, id);
";

/// Channel accounts bound by admins (their secrets are in `secrets/`), and
/// tenants' identity providers.
pub(super) const V9: &str = "
CREATE TABLE oidc_providers (
    tenant TEXT PRIMARY KEY,
    body   TEXT NOT NULL
);
CREATE TABLE channel_accounts (
    channel    TEXT NOT NULL,
    account_id TEXT NOT NULL,
    tenant     TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (channel, account_id)
);
";

/// Brings the database up to the newest schema, each migration in its own
/// transaction.
pub(super) fn apply(conn: &mut rusqlite::Connection) -> StoreResult<()> {
    all()
        .to_latest(conn)
        .map_err(|e| StoreError::backend("schema migration", e))
}

#[cfg(test)]
#[path = "migrations_tests.rs"]
mod tests;
