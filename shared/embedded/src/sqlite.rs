//! The embedded store: SQLite in WAL mode behind one connection. Every port
//! call is one transaction, and transactions are serialised, so each operation
//! the port promises to be atomic is atomic here by construction. The rules
//! themselves come from the domain (`Operator::may_accept`, `Conversation::accept`, ...).

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};
use switchboard_app::ports::{
    Appended, Closed, Connection, ConnectionRegistry, ContactStore, ConversationError,
    ConversationStore, DirectoryStore, MessagePage, Principal, PrincipalRef, StartOutcome,
    StoreError, StoreResult,
};
use switchboard_domain::{
    Capacity, ClientMessageId, ConnectionId, Contact, Conversation, ConversationId,
    ConversationStatus, Delivery, Message, NewMessage, Operator, OperatorId, OperatorStatus,
    Tenant, TenantId, TenantSettings, Timestamp, TransitionError, VisitorId, Widget, WidgetId,
};

const SCHEMA: &str = "
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

#[derive(Clone)]
pub struct SqliteStore {
    db: Arc<Mutex<rusqlite::Connection>>,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(corrupt)
}

fn from_json<T: serde::de::DeserializeOwned>(raw: &str) -> StoreResult<T> {
    serde_json::from_str(raw).map_err(corrupt)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file `switchboard.db` in `dir`.
    pub fn open(dir: &Path) -> StoreResult<Self> {
        std::fs::create_dir_all(dir).map_err(backend)?;
        let conn = rusqlite::Connection::open(dir.join("switchboard.db")).map_err(backend)?;
        Self::init(conn)
    }

    /// A throwaway database for tests.
    pub fn in_memory() -> StoreResult<Self> {
        Self::init(rusqlite::Connection::open_in_memory().map_err(backend)?)
    }

    fn init(conn: rusqlite::Connection) -> StoreResult<Self> {
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
        )
        .map_err(backend)?;
        conn.execute_batch(SCHEMA).map_err(backend)?;
        Ok(Self {
            db: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` in one IMMEDIATE transaction on the blocking pool; commits on Ok.
    async fn tx<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, E> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = db
                .lock()
                .map_err(|_| StoreError::Backend("store lock poisoned".into()))?;
            let tx = guard
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let out = f(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(out)
        })
        .await
        .map_err(|e| E::from(backend(e)))?
    }
}

/// Rows of JSON bodies from `sql`, decoded.
fn bodies<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<T>> {
    let mut stmt = tx.prepare_cached(sql).map_err(backend)?;
    let rows = stmt
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(backend)?;
    rows.map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
        .collect()
}

/// The JSON body stored under `id` in a keyed table (tenants, widgets).
fn get_body<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
) -> StoreResult<Option<T>> {
    tx.query_row(
        &format!("SELECT body FROM {table} WHERE id = ?1"),
        [id],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

fn put_body(tx: &Transaction<'_>, table: &str, id: &str, body: &str) -> StoreResult<()> {
    tx.execute(
        &format!(
            "INSERT INTO {table} (id, body) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body"
        ),
        params![id, body],
    )
    .map_err(backend)?;
    Ok(())
}

fn load_conversation(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
) -> StoreResult<Option<Conversation>> {
    tx.query_row(
        "SELECT body FROM conversations WHERE tenant = ?1 AND id = ?2",
        params![tenant, id],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

fn save_conversation(tx: &Transaction<'_>, c: &Conversation) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO conversations (tenant, id, visitor, status, operator, enqueued_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (tenant, id) DO UPDATE SET
           status = excluded.status, operator = excluded.operator,
           enqueued_at = excluded.enqueued_at, body = excluded.body",
        params![
            c.tenant.as_str(),
            c.id.as_str(),
            c.visitor.as_str(),
            c.status.as_str(),
            c.operator.as_ref().map(|o| o.as_str()),
            c.enqueued_at.millis() as i64,
            to_json(c)?,
        ],
    )
    .map_err(backend)?;
    Ok(())
}

fn load_operator(tx: &Transaction<'_>, tenant: &str, id: &str) -> StoreResult<Option<Operator>> {
    let row = tx
        .query_row(
            "SELECT name, status, active_chats, in_video FROM operators WHERE tenant = ?1 AND id = ?2",
            params![tenant, id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()
        .map_err(backend)?;
    let Some((name, status, active, video)) = row else {
        return Ok(None);
    };
    Ok(Some(Operator {
        tenant: TenantId::parse(tenant).map_err(corrupt)?,
        id: OperatorId::parse(id).map_err(corrupt)?,
        name,
        status: OperatorStatus::parse(&status).ok_or_else(|| corrupt(status.clone()))?,
        active_chats: u32::try_from(active).map_err(corrupt)?,
        in_video_call: video != 0,
    }))
}

fn save_operator_load(tx: &Transaction<'_>, op: &Operator) -> StoreResult<()> {
    tx.execute(
        "UPDATE operators SET active_chats = ?3, in_video = ?4, status = ?5 WHERE tenant = ?1 AND id = ?2",
        params![
            op.tenant.as_str(),
            op.id.as_str(),
            op.active_chats as i64,
            op.in_video_call as i64,
            op.status.as_str()
        ],
    )
    .map_err(backend)?;
    Ok(())
}

fn message_by_seq(
    tx: &Transaction<'_>,
    tenant: &str,
    conv: &str,
    seq: i64,
) -> StoreResult<Option<Message>> {
    tx.query_row(
        "SELECT body FROM messages WHERE tenant = ?1 AND conversation = ?2 AND seq = ?3",
        params![tenant, conv, seq],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

/// A message found through a key that maps to its seq; `seq_sql` selects the
/// seq by tenant, conversation and key.
fn message_by_key(
    tx: &Transaction<'_>,
    seq_sql: &str,
    tenant: &str,
    conv: &str,
    key: &str,
) -> StoreResult<Option<Message>> {
    let seq: Option<i64> = tx
        .query_row(seq_sql, params![tenant, conv, key], |r| r.get(0))
        .optional()
        .map_err(backend)?;
    match seq {
        Some(seq) => message_by_seq(tx, tenant, conv, seq),
        None => Ok(None),
    }
}

const SEQ_BY_CLIENT_ID: &str =
    "SELECT seq FROM messages WHERE tenant = ?1 AND conversation = ?2 AND client_id = ?3";
const SEQ_BY_EXTERNAL_ID: &str =
    "SELECT seq FROM external_ids WHERE tenant = ?1 AND conversation = ?2 AND external_id = ?3";

fn message_by_client(
    tx: &Transaction<'_>,
    tenant: &str,
    conv: &str,
    client: &str,
) -> StoreResult<Option<Message>> {
    message_by_key(tx, SEQ_BY_CLIENT_ID, tenant, conv, client)
}

fn load_contact(tx: &Transaction<'_>, tenant: &str, visitor: &str) -> StoreResult<Option<Contact>> {
    tx.query_row(
        "SELECT body FROM contacts WHERE tenant = ?1 AND visitor = ?2",
        params![tenant, visitor],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

#[async_trait]
impl DirectoryStore for SqliteStore {
    async fn put_tenant(&self, tenant: &Tenant) -> StoreResult<()> {
        let (id, body) = (tenant.id.to_string(), to_json(tenant)?);
        self.tx(move |tx| put_body(tx, "tenants", &id, &body)).await
    }

    async fn tenant(&self, id: &TenantId) -> StoreResult<Option<Tenant>> {
        let id = id.to_string();
        self.tx(move |tx| get_body(tx, "tenants", &id)).await
    }

    async fn set_tenant_settings(
        &self,
        id: &TenantId,
        settings: &TenantSettings,
    ) -> StoreResult<Option<Tenant>> {
        let (id, settings) = (id.to_string(), settings.clone());
        self.tx(move |tx| {
            let Some(mut tenant) = get_body::<Tenant>(tx, "tenants", &id)? else {
                return Ok(None);
            };
            tenant.settings = settings;
            put_body(tx, "tenants", &id, &to_json(&tenant)?)?;
            Ok(Some(tenant))
        })
        .await
    }

    async fn put_widget(&self, widget: &Widget) -> StoreResult<()> {
        let (id, body) = (widget.id.to_string(), to_json(widget)?);
        self.tx(move |tx| put_body(tx, "widgets", &id, &body)).await
    }

    async fn widget(&self, id: &WidgetId) -> StoreResult<Option<Widget>> {
        let id = id.to_string();
        self.tx(move |tx| get_body(tx, "widgets", &id)).await
    }

    async fn operator(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| load_operator(tx, &t, &o)).await
    }

    async fn operator_connected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
    ) -> StoreResult<Operator> {
        let (t, o, name) = (tenant.to_string(), id.to_string(), name.to_string());
        self.tx(move |tx| {
            tx.execute(
                "INSERT INTO operators (tenant, id, name, status, connections) VALUES (?1, ?2, ?3, 'online', 1)
                 ON CONFLICT (tenant, id) DO UPDATE SET
                   name = excluded.name,
                   connections = connections + 1,
                   status = CASE WHEN status = 'offline' THEN 'online' ELSE status END",
                params![t, o, name],
            )
            .map_err(backend)?;
            load_operator(tx, &t, &o)?.ok_or_else(|| backend("operator vanished"))
        })
        .await
    }

    async fn operator_disconnected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.execute(
                "UPDATE operators SET
                   connections = MAX(connections - 1, 0),
                   status = CASE WHEN connections <= 1 THEN 'offline' ELSE status END
                 WHERE tenant = ?1 AND id = ?2",
                params![t, o],
            )
            .map_err(backend)?;
            load_operator(tx, &t, &o)
        })
        .await
    }

    async fn set_operator_status(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        status: OperatorStatus,
    ) -> StoreResult<Option<Operator>> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.execute(
                "UPDATE operators SET status = ?3 WHERE tenant = ?1 AND id = ?2",
                params![t, o, status.as_str()],
            )
            .map_err(backend)?;
            load_operator(tx, &t, &o)
        })
        .await
    }
}

#[async_trait]
impl ConversationStore for SqliteStore {
    async fn start_conversation(&self, candidate: Conversation) -> StoreResult<StartOutcome> {
        self.tx(move |tx| {
            let (t, v) = (candidate.tenant.to_string(), candidate.visitor.to_string());
            let current: Option<String> = tx
                .query_row(
                    "SELECT conversation FROM visitor_current WHERE tenant = ?1 AND visitor = ?2",
                    params![t, v],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            if let Some(existing) = current
                .map(|id| load_conversation(tx, &t, &id))
                .transpose()?
                .flatten()
            {
                if existing.status != ConversationStatus::Closed {
                    return Ok(StartOutcome::Existing(existing));
                }
                let mut reopened = existing;
                reopened.reopen(candidate.created_at).map_err(corrupt)?;
                reopened.entry = candidate.entry;
                save_conversation(tx, &reopened)?;
                return Ok(StartOutcome::Reopened(reopened));
            }
            save_conversation(tx, &candidate)?;
            tx.execute(
                "INSERT INTO visitor_current (tenant, visitor, conversation) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, visitor) DO UPDATE SET conversation = excluded.conversation",
                params![t, v, candidate.id.as_str()],
            )
            .map_err(backend)?;
            Ok(StartOutcome::Created(candidate))
        })
        .await
    }

    async fn conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| load_conversation(tx, &t, &c)).await
    }

    async fn visitor_conversation(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Conversation>> {
        let (t, v) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| {
            let id: Option<String> = tx
                .query_row(
                    "SELECT conversation FROM visitor_current WHERE tenant = ?1 AND visitor = ?2",
                    params![t, v],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            match id {
                Some(id) => load_conversation(tx, &t, &id),
                None => Ok(None),
            }
        })
        .await
    }

    async fn waiting(&self, tenant: &TenantId, limit: usize) -> StoreResult<Vec<Conversation>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            bodies(
                tx,
                "SELECT body FROM conversations WHERE tenant = ?1 AND status = 'waiting'
                     ORDER BY enqueued_at, id LIMIT ?2",
                params![t, limit as i64],
            )
        })
        .await
    }

    async fn queue_position(&self, conversation: &Conversation) -> StoreResult<Option<usize>> {
        let (t, c) = (conversation.tenant.to_string(), conversation.id.to_string());
        self.tx(move |tx| {
            let Some(current) = load_conversation(tx, &t, &c)? else {
                return Ok(None);
            };
            if current.status != ConversationStatus::Waiting {
                return Ok(None);
            }
            let ahead: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM conversations WHERE tenant = ?1 AND status = 'waiting'
                     AND (enqueued_at < ?2 OR (enqueued_at = ?2 AND id < ?3))",
                    params![t, current.enqueued_at.millis() as i64, c],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            Ok(Some(ahead as usize + 1))
        })
        .await
    }

    async fn operator_conversations(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<Conversation>> {
        let (t, o) = (tenant.to_string(), operator.to_string());
        self.tx(move |tx| {
            bodies(tx, "SELECT body FROM conversations WHERE tenant = ?1 AND operator = ?2 AND status = 'active'
                     ORDER BY enqueued_at, id", params![t, o])
        })
        .await
    }

    async fn accept(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        operator: &OperatorId,
        capacity: Capacity,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        let (t, c, o) = (tenant.to_string(), id.to_string(), operator.clone());
        self.tx(move |tx| {
            let mut conv = load_conversation(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            if conv.status == ConversationStatus::Active {
                if let Some(by) = conv.operator.clone() {
                    return Err(ConversationError::AlreadyTaken { by });
                }
            }
            let mut op =
                load_operator(tx, &t, o.as_str())?.ok_or(ConversationError::OperatorNotFound)?;
            conv.accept(&o, now)?;
            op.may_accept(conv.entry.entry_type, capacity)?;
            op.active_chats += 1;
            op.in_video_call = conv.is_video();
            save_conversation(tx, &conv)?;
            save_operator_load(tx, &op)?;
            Ok(conv)
        })
        .await
    }

    async fn close(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        by_operator: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<Closed, ConversationError> {
        let (t, c, by) = (tenant.to_string(), id.to_string(), by_operator.cloned());
        self.tx(move |tx| {
            let mut conv = load_conversation(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            let previous = conv.status;
            conv.close(by.as_ref(), now)?;
            if previous == ConversationStatus::Active {
                if let Some(op_id) = &conv.operator {
                    if let Some(mut op) = load_operator(tx, &t, op_id.as_str())? {
                        op.active_chats = op.active_chats.saturating_sub(1);
                        if conv.is_video() {
                            op.in_video_call = false;
                        }
                        save_operator_load(tx, &op)?;
                    }
                }
            }
            save_conversation(tx, &conv)?;
            Ok(Closed {
                conversation: conv,
                previous,
            })
        })
        .await
    }

    async fn reopen(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        now: Timestamp,
    ) -> Result<Conversation, ConversationError> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let mut conv = load_conversation(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            conv.reopen(now)?;
            save_conversation(tx, &conv)?;
            Ok(conv)
        })
        .await
    }

    async fn append_message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        message: NewMessage,
    ) -> Result<Appended, ConversationError> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let mut conv = load_conversation(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
            if let Some(original) = message_by_client(tx, &t, &c, message.client_id.as_str())? {
                return Ok(Appended {
                    message: original,
                    duplicate: true,
                });
            }
            if conv.status == ConversationStatus::Closed {
                return Err(TransitionError::AlreadyClosed.into());
            }
            let seq = conv.last_seq + 1;
            let stored = Message::from_new(conv.id.clone(), seq, message);
            tx.execute(
                "INSERT INTO messages (tenant, conversation, seq, client_id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t, c, seq as i64, stored.client_id.as_str(), to_json(&stored)?],
            )
            .map_err(backend)?;
            conv.last_seq = seq;
            save_conversation(tx, &conv)?;
            Ok(Appended {
                message: stored,
                duplicate: false,
            })
        })
        .await
    }

    async fn messages(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        before: Option<u64>,
        limit: usize,
    ) -> StoreResult<MessagePage> {
        let (t, c) = (tenant.to_string(), id.to_string());
        let before = before.map(|b| b as i64).unwrap_or(i64::MAX);
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM messages WHERE tenant = ?1 AND conversation = ?2 AND seq < ?3
                     ORDER BY seq DESC LIMIT ?4",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![t, c, before, limit as i64 + 1], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(backend)?;
            let mut messages: Vec<Message> = rows
                .map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
                .collect::<StoreResult<_>>()?;
            let has_more = messages.len() > limit;
            messages.truncate(limit);
            messages.reverse();
            Ok(MessagePage { messages, has_more })
        })
        .await
    }

    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>> {
        let (t, c, m) = (tenant.to_string(), id.to_string(), client_id.to_string());
        self.tx(move |tx| message_by_client(tx, &t, &c, &m)).await
    }

    async fn message(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
    ) -> StoreResult<Option<Message>> {
        let (t, c) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| message_by_seq(tx, &t, &c, seq as i64))
            .await
    }

    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>> {
        let (t, c) = (tenant.to_string(), id.to_string());
        let external_id = external_id.map(str::to_string);
        self.tx(move |tx| {
            let Some(mut message) = message_by_seq(tx, &t, &c, seq as i64)? else {
                return Ok(None);
            };
            let mut changed = false;
            if let Some(ext) = external_id {
                if message.details.external_id.as_deref() != Some(&ext) {
                    tx.execute(
                        "INSERT OR IGNORE INTO external_ids (tenant, conversation, external_id, seq)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![t, c, ext, seq as i64],
                    )
                    .map_err(backend)?;
                    message.details.external_id = Some(ext);
                    changed = true;
                }
            }
            let advances = match &message.details.delivery {
                Some(current) => current.advances_to(delivery.state),
                None => true,
            };
            if advances {
                message.details.delivery = Some(delivery);
                changed = true;
            }
            if !changed {
                return Ok(None);
            }
            tx.execute(
                "UPDATE messages SET body = ?4 WHERE tenant = ?1 AND conversation = ?2 AND seq = ?3",
                params![t, c, seq as i64, to_json(&message)?],
            )
            .map_err(backend)?;
            Ok(Some(message))
        })
        .await
    }

    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>> {
        let (t, c, e) = (tenant.to_string(), id.to_string(), external_id.to_string());
        self.tx(move |tx| message_by_key(tx, SEQ_BY_EXTERNAL_ID, &t, &c, &e))
            .await
    }
}

#[async_trait]
impl ContactStore for SqliteStore {
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact> {
        let contact = contact.clone();
        self.tx(move |tx| {
            let (t, v) = (contact.tenant.to_string(), contact.visitor.to_string());
            let merged = match load_contact(tx, &t, &v)? {
                Some(mut known) => {
                    known.merge(&contact);
                    known
                }
                None => contact,
            };
            tx.execute(
                "INSERT INTO contacts (tenant, visitor, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, visitor) DO UPDATE SET body = excluded.body",
                params![t, v, to_json(&merged)?],
            )
            .map_err(backend)?;
            Ok(merged)
        })
        .await
    }

    async fn contact(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Contact>> {
        let (t, v) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| load_contact(tx, &t, &v)).await
    }
}

#[async_trait]
impl ConnectionRegistry for SqliteStore {
    async fn register(&self, connection: &Connection) -> StoreResult<()> {
        let body = to_json(connection)?;
        let c = connection.clone();
        self.tx(move |tx| {
            tx.execute(
                "INSERT INTO connections (id, tenant, principal_key, is_operator, expires_at, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant,
                   principal_key = excluded.principal_key, is_operator = excluded.is_operator,
                   expires_at = excluded.expires_at, body = excluded.body",
                params![
                    c.id.as_str(),
                    c.tenant.as_str(),
                    c.principal.key().storage_key(),
                    matches!(c.principal, Principal::Operator { .. }) as i64,
                    c.expires_at.millis() as i64,
                    body
                ],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn connection(
        &self,
        id: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Connection>> {
        let id = id.to_string();
        self.tx(move |tx| {
            tx.query_row(
                "SELECT body FROM connections WHERE id = ?1 AND expires_at > ?2",
                params![id, now.millis() as i64],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b))
            .transpose()
        })
        .await
    }

    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>> {
        let id = id.to_string();
        self.tx(move |tx| {
            tx.query_row(
                "DELETE FROM connections WHERE id = ?1 RETURNING body",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b))
            .transpose()
        })
        .await
    }

    async fn principal_connections(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        let (t, p) = (tenant.to_string(), principal.storage_key());
        self.tx(move |tx| {
            bodies(tx, "SELECT body FROM connections WHERE tenant = ?1 AND principal_key = ?2 AND expires_at > ?3
                     ORDER BY id", params![t, p, now.millis() as i64])
        })
        .await
    }

    async fn operator_connections(
        &self,
        tenant: &TenantId,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            bodies(tx, "SELECT body FROM connections WHERE tenant = ?1 AND is_operator = 1 AND expires_at > ?2
                     ORDER BY id", params![t, now.millis() as i64])
        })
        .await
    }
}
