//! Messages in their conversation's order, one per client message id.

use super::rows::load_row;
use super::{backend, from_json, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{Appended, ConversationError, MessagePage, MessageStore, StoreResult};
use switchboard_domain::{
    ClientMessageId, Conversation, ConversationId, ConversationStatus, Message, NewMessage,
    TenantId, TransitionError,
};

pub(super) fn message_by_seq(
    tx: &Db,
    tenant: &str,
    conv: &str,
    seq: i64,
) -> StoreResult<Option<Message>> {
    tx.query_row_cached(
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
pub(super) fn message_by_key(
    tx: &Db,
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
pub(super) const SEQ_BY_EXTERNAL_ID: &str =
    "SELECT seq FROM external_ids WHERE tenant = ?1 AND conversation = ?2 AND external_id = ?3";

pub(super) fn message_by_client(
    tx: &Db,
    tenant: &str,
    conv: &str,
    client: &str,
) -> StoreResult<Option<Message>> {
    message_by_key(tx, SEQ_BY_CLIENT_ID, tenant, conv, client)
}

#[async_trait]
impl MessageStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %conversation.tenant, conversation = %conversation.id))]
    async fn append_message(
        &self,
        conversation: &Conversation,
        message: NewMessage,
    ) -> Result<Appended, ConversationError> {
        // Transactions are serialised here, so the stored row is read in the
        // one that writes; the caller's copy saves nothing.
        let (t, c) = (conversation.tenant.to_string(), conversation.id.to_string());
        self.tx(move |tx| {
            let mut conv = load_row(tx, &t, &c)?.ok_or(ConversationError::NotFound)?;
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
            tx.execute_cached(
                "INSERT INTO messages (tenant, conversation, seq, client_id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t, c, seq as i64, stored.client_id.as_str(), to_json(&stored)?],
            )
            .map_err(backend)?;
            conv.last_seq = seq;
            conv.wrote(
                stored.created_at,
                matches!(stored.author, switchboard_domain::Author::Visitor(_)),
            );
            if matches!(stored.author, switchboard_domain::Author::Operator(_)) {
                conv.responded(stored.created_at);
            }
            // The lists' columns move with it; the queue's are left alone.
            tx.execute_cached(
                "UPDATE conversations SET body = ?3, progress = ?4, last_activity = ?5
                 WHERE tenant = ?1 AND id = ?2",
                params![
                    t,
                    c,
                    to_json(&conv)?,
                    conv.progress.as_str(),
                    conv.last_activity_at.millis() as i64
                ],
            )
            .map_err(backend)?;
            Ok(Appended {
                message: stored,
                duplicate: false,
            })
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
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

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn message_by_client_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> StoreResult<Option<Message>> {
        let (t, c, m) = (tenant.to_string(), id.to_string(), client_id.to_string());
        self.tx(move |tx| message_by_client(tx, &t, &c, &m)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, seq))]
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
}
