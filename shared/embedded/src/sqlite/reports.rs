//! The session index on SQLite: a row per session, written with the
//! conversation's start or reopen, read by enqueue time.

use super::rows::load_row;
use super::{backend, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection};
use switchboard_app::ports::{ReportStore, SessionPage, StoreError, StoreResult};
use switchboard_domain::{Conversation, TenantId, Timestamp};

/// Indexes the conversation's current session.
pub(super) fn index_session(tx: &Connection, c: &Conversation) -> StoreResult<()> {
    let Some(session) = c.sessions.last() else {
        return Ok(());
    };
    tx.execute_cached(
        "INSERT OR IGNORE INTO session_index (tenant, enqueued_at, conversation, number)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            c.tenant.as_str(),
            session.enqueued_at.millis() as i64,
            c.id.as_str(),
            session.number
        ],
    )
    .map(drop)
    .map_err(backend)
}

/// A cursor is the last row's key: `{enqueuedAt}#{conversation}#{number}`.
fn cursor(raw: &str) -> StoreResult<(i64, String, u32)> {
    let bad = || StoreError::Corrupt(format!("report cursor {raw:?}"));
    let mut parts = raw.splitn(3, '#');
    let at = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let conversation = parts.next().ok_or_else(bad)?.to_string();
    let number = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    Ok((at, conversation, number))
}

#[async_trait]
impl ReportStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn sessions_between(
        &self,
        tenant: &TenantId,
        from: Timestamp,
        to: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<SessionPage> {
        let t = tenant.to_string();
        let start =
            after
                .map(cursor)
                .transpose()?
                .unwrap_or((from.millis() as i64, String::new(), 0));
        let (from, to) = (from.millis() as i64, to.millis() as i64);
        let limit = limit.clamp(1, 1000);
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT enqueued_at, conversation, number FROM session_index
                     WHERE tenant = ?1 AND enqueued_at >= ?2 AND enqueued_at < ?3
                       AND (enqueued_at, conversation, number) > (?4, ?5, ?6)
                     ORDER BY enqueued_at, conversation, number LIMIT ?7",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(
                    params![t, from, to, start.0, start.1, start.2, limit as i64],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, u32>(2)?,
                        ))
                    },
                )
                .map_err(backend)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(backend)?;
            let next = (rows.len() == limit)
                .then(|| rows.last().map(|(at, c, n)| format!("{at}#{c}#{n}")))
                .flatten();
            let mut sessions = Vec::with_capacity(rows.len());
            for (_, id, number) in rows {
                if let Some(c) = load_row(tx, &t, &id)? {
                    sessions.push((number, c));
                }
            }
            Ok(SessionPage { sessions, next })
        })
        .await
    }
}
