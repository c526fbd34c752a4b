//! The operator workspace's migrations: text blocks and additional
//! information, browsing history, conversation lists and search, Unite, and
//! the session index reports read. Listed in order in
//! [`super::migrations`]; never edit one that has shipped.

/// The operator workspace: text blocks with the tenant's version a search
/// cache checks, and additional-information fields and values.
pub(super) const V10: &str = "
CREATE TABLE text_blocks (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE text_block_versions (
    tenant  TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE info_fields (
    tenant TEXT NOT NULL,
    key    TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, key)
);
CREATE TABLE info_values (
    tenant  TEXT NOT NULL,
    visitor TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (tenant, visitor, key)
);
";

/// Browsing history: page views per visitor, the newest kept.
pub(super) const V11: &str = "
CREATE TABLE page_views (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant  TEXT NOT NULL,
    visitor TEXT NOT NULL,
    body    TEXT NOT NULL
);
CREATE INDEX page_views_visitor ON page_views (tenant, visitor, id);
";

/// Conversation lists: progress, latest activity and channel as columns,
/// filled for conversations stored before them, and the lists' index.
pub(super) const V12: &str = "
ALTER TABLE conversations ADD COLUMN progress TEXT NOT NULL DEFAULT 'unread';
ALTER TABLE conversations ADD COLUMN last_activity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN channel TEXT NOT NULL DEFAULT 'webchat';
UPDATE conversations SET
    last_activity = COALESCE(json_extract(body, '$.lastActivityAt'), enqueued_at),
    channel = COALESCE(json_extract(body, '$.channel'), 'webchat'),
    progress = COALESCE(json_extract(body, '$.progress'), 'unread');
CREATE INDEX conversations_lists ON conversations
    (tenant, (status = 'closed'), operator, last_activity DESC, id DESC);
";

/// Search tokens (`n:{word}`, `p:{digits}`) of each conversation's client,
/// written when it starts or reopens (one stored before is found once it
/// reopens).
pub(super) const V13: &str = "
CREATE TABLE conversation_search (
    tenant       TEXT NOT NULL,
    token        TEXT NOT NULL,
    conversation TEXT NOT NULL,
    PRIMARY KEY (tenant, token, conversation)
);
";

/// Unite: each merge as recorded (both contacts as they were), and the
/// links from a contact to those merged into it.
pub(super) const V14: &str = "
CREATE TABLE merges (
    tenant TEXT NOT NULL,
    id     TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    body   TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE merge_links (
    tenant       TEXT NOT NULL,
    into_visitor TEXT NOT NULL,
    from_visitor TEXT NOT NULL,
    conversation TEXT NOT NULL,
    merge        TEXT NOT NULL,
    PRIMARY KEY (tenant, into_visitor, from_visitor)
);
";

/// The session index reports read: one row per session, by when it
/// entered a queue; the sessions already stored are indexed here.
pub(super) const V15: &str = "
CREATE TABLE session_index (
    tenant       TEXT NOT NULL,
    enqueued_at  INTEGER NOT NULL,
    conversation TEXT NOT NULL,
    number       INTEGER NOT NULL,
    PRIMARY KEY (tenant, enqueued_at, conversation, number)
);
INSERT OR IGNORE INTO session_index (tenant, enqueued_at, conversation, number)
SELECT c.tenant, json_extract(s.value, '$.enqueuedAt'), c.id, json_extract(s.value, '$.number')
FROM conversations c, json_each(c.body, '$.sessions') s
WHERE json_extract(s.value, '$.enqueuedAt') IS NOT NULL;
";
