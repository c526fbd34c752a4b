//! The embedded store: SQLite in WAL mode behind one connection, one file per
//! port as in `switchboard_app::ports`. Every port call is one transaction,
//! and transactions are serialised, so each operation the port promises to be
//! atomic is atomic here by construction. The rules themselves come from the
//! domain (`Operator::may_accept`, `Conversation::accept`, ...).

mod accounts;
mod audit;
mod browsing;
mod cards;
mod channel_accounts;
mod connections;
mod contact_info;
mod contacts;
mod conversation_start;
mod conversations;
mod delivery;
mod directory;
mod invitations;
mod lists;
mod messages;
mod migrations;
mod migrations_workspace;
mod offline;
mod queues;
mod reports;
mod routing;
mod rows;
mod sessions;
mod sla;
mod text_blocks;
mod transfers;
mod unite;
mod widgets;

use rusqlite::{params, Connection, OptionalExtension};

/// More than the number of distinct statements in the adapters.
const STATEMENT_CACHE: usize = 256;

/// The database handle the adapters' statements run on.
pub(super) type Db = Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};
use switchboard_app::ports::{StoreError, StoreResult};

#[derive(Clone)]
pub struct SqliteStore {
    db: Arc<Mutex<Connection>>,
}

pub(super) fn backend(e: impl Into<switchboard_app::ports::BoxError>) -> StoreError {
    StoreError::backend("SQLite", e)
}

pub(super) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(corrupt)
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(raw: &str) -> StoreResult<T> {
    serde_json::from_str(raw).map_err(corrupt)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file `switchboard.db` in `dir`.
    pub fn open(dir: &Path) -> StoreResult<Self> {
        std::fs::create_dir_all(dir).map_err(backend)?;
        let conn = Connection::open(dir.join("switchboard.db")).map_err(backend)?;
        Self::init(conn)
    }

    /// A throwaway database for tests.
    pub fn in_memory() -> StoreResult<Self> {
        Self::init(Connection::open_in_memory().map_err(backend)?)
    }

    fn init(mut conn: Connection) -> StoreResult<Self> {
        conn.execute_batch(
            // One process owns the file: exclusive locking spares a lock and
            // unlock system call per transaction (and keeps the WAL index in
            // memory), at the price of other processes reading it meanwhile.
            // Checkpoints copy the WAL back every 8 MB instead of every 4 MB:
            // a hot page (a busy conversation) is copied once per checkpoint,
            // so fewer of them copy less; much larger ones stall a write for
            // long enough to show in the tail latency.
            "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; \
             PRAGMA wal_autocheckpoint = 2048;",
        )
        .map_err(backend)?;
        // Every statement the adapters run stays compiled (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrations::apply(&mut conn)?;
        Ok(Self {
            db: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` in one IMMEDIATE transaction; commits on Ok, rolls back
    /// otherwise.
    ///
    /// It runs on the calling task rather than the blocking pool: a port call
    /// here is tens of microseconds of in-process work, and handing each one
    /// to another thread and back cost more than the work itself (context
    /// switches and wake-ups were the largest part of the local stack's
    /// profile). Transactions are serialised by the lock either way.
    pub(super) async fn tx<T, E, F>(&self, f: F) -> Result<T, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Connection) -> Result<T, E>,
    {
        let guard = self
            .db
            .lock()
            .map_err(|_| StoreError::backend_says("store lock poisoned"))?;
        let conn: &Connection = &guard;
        conn.execute_cached("BEGIN IMMEDIATE", [])
            .map_err(backend)?;
        match f(conn) {
            Ok(out) => {
                conn.execute_cached("COMMIT", []).map_err(backend)?;
                Ok(out)
            }
            Err(e) => {
                if let Err(rollback) = conn.execute_cached("ROLLBACK", []) {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }
}

/// Statements through the connection's cache: each SQL text is compiled once.
pub(super) trait Cached {
    fn execute_cached(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize>;
    fn query_row_cached<T, F>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: F,
    ) -> rusqlite::Result<T>
    where
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn execute_cached(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn query_row_cached<T, F>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: F,
    ) -> rusqlite::Result<T>
    where
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// Rows of JSON bodies from `sql`, decoded.
pub(super) fn bodies<T: serde::de::DeserializeOwned>(
    tx: &Connection,
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

/// The JSON body of the one row `sql` selects (or deletes, `RETURNING
/// body`), decoded; None without a row.
pub(super) fn body<T: serde::de::DeserializeOwned>(
    tx: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Option<T>> {
    tx.query_row_cached(sql, params, |r| r.get::<_, String>(0))
        .optional()
        .map_err(backend)?
        .map(|b| from_json(&b))
        .transpose()
}

/// The JSON body stored under `id` in a keyed table (tenants, widgets).
pub(super) fn get_body<T: serde::de::DeserializeOwned>(
    tx: &Connection,
    table: &str,
    id: &str,
) -> StoreResult<Option<T>> {
    tx.query_row_cached(
        &format!("SELECT body FROM {table} WHERE id = ?1"),
        [id],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

pub(super) fn put_body(tx: &Connection, table: &str, id: &str, body: &str) -> StoreResult<()> {
    tx.execute_cached(
        &format!(
            "INSERT INTO {table} (id, body) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body"
        ),
        params![id, body],
    )
    .map_err(backend)?;
    Ok(())
}
