//! The embedded store: SQLite in WAL mode behind one connection, one file per
//! port as in `switchboard_app::ports`. Every port call is one transaction,
//! and transactions are serialised, so each operation the port promises to be
//! atomic is atomic here by construction. The rules themselves come from the
//! domain (`Operator::may_accept`, `Conversation::accept`, ...).

mod connections;
mod contacts;
mod conversations;
mod delivery;
mod directory;
mod messages;
mod migrations;

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};
use switchboard_app::ports::{StoreError, StoreResult};

#[derive(Clone)]
pub struct SqliteStore {
    db: Arc<Mutex<rusqlite::Connection>>,
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
        let conn = rusqlite::Connection::open(dir.join("switchboard.db")).map_err(backend)?;
        Self::init(conn)
    }

    /// A throwaway database for tests.
    pub fn in_memory() -> StoreResult<Self> {
        Self::init(rusqlite::Connection::open_in_memory().map_err(backend)?)
    }

    fn init(mut conn: rusqlite::Connection) -> StoreResult<Self> {
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
        )
        .map_err(backend)?;
        migrations::apply(&mut conn)?;
        Ok(Self {
            db: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` in one IMMEDIATE transaction on the blocking pool; commits on Ok.
    pub(super) async fn tx<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, E> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = db
                .lock()
                .map_err(|_| StoreError::backend_says("store lock poisoned"))?;
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
pub(super) fn bodies<T: serde::de::DeserializeOwned>(
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
pub(super) fn get_body<T: serde::de::DeserializeOwned>(
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

pub(super) fn put_body(tx: &Transaction<'_>, table: &str, id: &str, body: &str) -> StoreResult<()> {
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
