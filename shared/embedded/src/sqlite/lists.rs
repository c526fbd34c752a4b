//! Conversation lists and progress: the `conversations_lists` index over
//! tenant, closed or not, and operator, newest activity first.

use super::rows::{load_row, save_conversation};
use super::SqliteStore;
use super::{backend, bodies, Cached};
use rusqlite::params;
use switchboard_app::ports::{ConversationError, Page, StoreError, StoreResult};
use switchboard_domain::workspace::search::tokens;
use switchboard_domain::workspace::{
    lists::by_deadline, ListFilter, ListOrder, Progress, Scope, SearchQuery,
};
use switchboard_domain::{Conversation, ConversationId, TenantId};

impl SqliteStore {
    pub(super) async fn set_progress_row(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        progress: Progress,
    ) -> Result<Conversation, ConversationError> {
        let (tenant, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let mut conversation =
                load_row(tx, &tenant, &id)?.ok_or(ConversationError::NotFound)?;
            conversation.progress = progress;
            save_conversation(tx, &conversation)?;
            Ok(conversation)
        })
        .await
    }

    pub(super) async fn list_rows(
        &self,
        tenant: &TenantId,
        filter: &ListFilter,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Conversation>> {
        let t = tenant.to_string();
        let closed = !filter.open;
        let operator = match &filter.scope {
            Scope::Operator(op) => Some(op.to_string()),
            Scope::Unassigned => None,
        };
        let progress = filter.progress.map(|p| p.as_str().to_string());
        let channel = filter.channel.map(|c| c.as_str().to_string());
        let where_ = "tenant = ?1 AND (status = 'closed') = ?2 AND operator IS ?3
             AND (?4 IS NULL OR progress = ?4) AND (?5 IS NULL OR channel = ?5)";
        match filter.order {
            ListOrder::Newest => {
                // The cursor is the last row's `{last_activity:015}#{id}`.
                let (at, id) = match after.map(|a| a.split_once('#')) {
                    None => (i64::MAX, String::new()),
                    Some(Some((at, id))) => (
                        at.parse()
                            .map_err(|_| StoreError::Corrupt("cursor".into()))?,
                        id.to_string(),
                    ),
                    Some(None) => return Err(StoreError::Corrupt("cursor".into())),
                };
                let sql = format!(
                    "SELECT body FROM conversations WHERE {where_}
                     AND (last_activity < ?6 OR (last_activity = ?6 AND id < ?7))
                     ORDER BY last_activity DESC, id DESC LIMIT ?8"
                );
                let items: Vec<Conversation> = self
                    .tx(move |tx| {
                        bodies(
                            tx,
                            &sql,
                            params![
                                t,
                                closed,
                                operator,
                                progress,
                                channel,
                                at,
                                id,
                                (limit + 1) as i64
                            ],
                        )
                    })
                    .await?;
                Ok(page(items, limit, |c| {
                    format!("{:015}#{}", c.last_activity_at.millis(), c.id)
                }))
            }
            ListOrder::SlaDeadline => {
                // An open list is what is held or waiting now: read whole,
                // ordered here, the cursor an offset.
                let offset: usize = after.map_or(Ok(0), |a| {
                    a.parse().map_err(|_| StoreError::Corrupt("cursor".into()))
                })?;
                let sql = format!("SELECT body FROM conversations WHERE {where_}");
                let mut items: Vec<Conversation> = self
                    .tx(move |tx| bodies(tx, &sql, params![t, closed, operator, progress, channel]))
                    .await?;
                items.sort_by(by_deadline);
                let rest: Vec<Conversation> = items.into_iter().skip(offset).collect();
                let more = rest.len() > limit;
                let items: Vec<Conversation> = rest.into_iter().take(limit).collect();
                let next = more.then(|| (offset + items.len()).to_string());
                Ok(Page { items, next })
            }
        }
    }
}

fn page(
    mut items: Vec<Conversation>,
    limit: usize,
    key: impl Fn(&Conversation) -> String,
) -> Page<Conversation> {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page {
        items: items.into_iter().map(Conversation::with_sessions).collect(),
        next,
    }
}

/// Indexes the conversation's client for search; in the transaction that
/// starts or reopens it.
pub(super) fn index_search(tx: &rusqlite::Connection, c: &Conversation) -> StoreResult<()> {
    index_tokens(tx, &c.tenant, &c.id, tokens(&c.entry))
}

/// Indexes a conversation under tokens (ones already there stay).
pub(super) fn index_tokens(
    tx: &rusqlite::Connection,
    tenant: &TenantId,
    id: &switchboard_domain::ConversationId,
    tokens: Vec<String>,
) -> StoreResult<()> {
    for token in tokens {
        tx.execute_cached(
            "INSERT OR IGNORE INTO conversation_search (tenant, token, conversation)
             VALUES (?1, ?2, ?3)",
            params![tenant.as_str(), token, id.as_str()],
        )
        .map_err(backend)?;
    }
    Ok(())
}

/// How many index entries a search reads at most.
const SEARCH_READ: i64 = 200;

impl SqliteStore {
    pub(super) async fn search_rows(
        &self,
        tenant: &TenantId,
        query: &SearchQuery,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        let t = tenant.to_string();
        let prefix = query.prefix();
        let upper = format!("{prefix}{}", char::MAX);
        let found: Vec<Conversation> = self
            .tx(move |tx| {
                bodies(
                    tx,
                    "SELECT c.body FROM conversations c WHERE c.tenant = ?1 AND c.id IN
                     (SELECT conversation FROM conversation_search
                      WHERE tenant = ?1 AND token >= ?2 AND token < ?3 LIMIT ?4)",
                    params![t, prefix, upper, SEARCH_READ],
                )
            })
            .await?;
        Ok(query
            .rank(found, limit)
            .into_iter()
            .map(Conversation::with_sessions)
            .collect())
    }
}

impl SqliteStore {
    pub(super) async fn tag_row(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>, ConversationError> {
        let (tenant, id) = (tenant.to_string(), id.to_string());
        let (add, remove) = (add.to_vec(), remove.to_vec());
        self.tx(move |tx| {
            let mut c = load_row(tx, &tenant, &id)?.ok_or(ConversationError::NotFound)?;
            c.tags.retain(|t| !remove.contains(t));
            c.tags.extend(add);
            c.tags.sort();
            c.tags.dedup();
            save_conversation(tx, &c)?;
            Ok(c.tags)
        })
        .await
    }
}
