//! Starting a conversation: a visitor's first is created with their open
//! tabs as its watchers; otherwise their open one is resumed, or their
//! closed one reopened with the new start's entry. Searchable from the
//! same transaction.

use super::connections::watched;
use super::rows::{insert_event, load_conversation, save_conversation};
use super::{backend, corrupt, Cached, SqliteStore};
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{StartOutcome, StoreResult};
use switchboard_domain::{Conversation, ConversationStatus, TimelineKind};

impl SqliteStore {
    /// [`switchboard_app::ports::ConversationStore::start_conversation`].
    pub(super) async fn start_or_resume(
        &self,
        candidate: Conversation,
    ) -> StoreResult<StartOutcome> {
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
                reopened.reopen_for(&candidate).map_err(corrupt)?;
                let event = reopened.record(TimelineKind::Reopened, candidate.created_at);
                insert_event(tx, &t, &event)?;
                save_conversation(tx, &reopened)?;
                super::lists::index_search(tx, &reopened)?;
                super::reports::index_session(tx, &reopened)?;
                return Ok(StartOutcome::Reopened(watched(tx, reopened)?));
            }
            let mut candidate = candidate;
            let event = candidate.record(TimelineKind::Created, candidate.created_at);
            insert_event(tx, &t, &event)?;
            save_conversation(tx, &candidate)?;
            super::lists::index_search(tx, &candidate)?;
            super::reports::index_session(tx, &candidate)?;
            tx.execute_cached(
                "INSERT INTO visitor_current (tenant, visitor, conversation) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, visitor) DO UPDATE SET conversation = excluded.conversation",
                params![t, v, candidate.id.as_str()],
            )
            .map_err(backend)?;
            Ok(StartOutcome::Created(watched(tx, candidate)?))
        })
        .await
    }
}
