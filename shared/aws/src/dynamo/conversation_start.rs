//! Starting a conversation: a visitor's first one is created with their
//! open tabs as its watchers; otherwise their open one is resumed, or their
//! closed one reopened with the new start's entry.

use super::codec::conversation_item;
use super::item::{get_s, parse, s, Item};
use super::keys;
use super::watchers::{conversation_attr, CONNECTION_CONVERSATION};
use super::{backoff, tx_put, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::{Put, Update};
use switchboard_app::ports::{
    ConnectionRegistry, ConversationError, PrincipalRef, StartOutcome, StoreError, StoreResult,
};
use switchboard_domain::{Channel, Conversation, ConversationId, ConversationStatus, TimelineKind};

/// How an attempt to create a visitor's first conversation went.
enum Created {
    Done(Box<Conversation>),
    /// The visitor has a conversation already.
    Exists,
    /// Lost a race with a connection coming or going: try again.
    Retry,
}

impl DynamoStore {
    /// [`switchboard_app::ports::ConversationStore::start_conversation`].
    pub(crate) async fn start_or_resume(
        &self,
        candidate: Conversation,
    ) -> StoreResult<StartOutcome> {
        let tenant = candidate.tenant.clone();
        let visitor_key = Self::key(
            keys::visitor_pk(&tenant, &candidate.visitor),
            keys::CURRENT_SK,
        );
        // A first conversation is the common case: try to create it, and only
        // read the visitor's pointer when that finds one.
        let mut create = true;
        for attempt in 0..MAX_ATTEMPTS {
            if create {
                match self.try_create(&candidate, &visitor_key).await? {
                    Created::Done(c) => return Ok(StartOutcome::Created(*c)),
                    Created::Exists => create = false,
                    Created::Retry => {
                        backoff(attempt).await;
                        continue;
                    }
                }
            }
            let Some(current) = self.get(visitor_key.clone()).await? else {
                create = true;
                continue;
            };
            let id = parse(get_s(&current, "conversation")?, ConversationId::parse)?;
            let existing = self
                .load_conversation(&tenant, &id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("visitor points at missing {id}")))?;
            if existing.status != ConversationStatus::Closed {
                return Ok(StartOutcome::Existing(existing));
            }
            match self
                .reopen_with(&existing, Some(&candidate), candidate.created_at)
                .await
            {
                Ok(Some(c)) => return Ok(StartOutcome::Reopened(c)),
                Ok(None) | Err(ConversationError::Transition(_)) => backoff(attempt).await,
                Err(ConversationError::Store(e)) => return Err(e),
                Err(e) => return Err(StoreError::backend("reopening on start", e)),
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    /// Creates the conversation with the visitor's open tabs as its watchers,
    /// and tells each tab's record which conversation it now has, all in one
    /// transaction with the visitor's pointer and the first timeline entry.
    async fn try_create(
        &self,
        candidate: &Conversation,
        visitor_key: &Item,
    ) -> StoreResult<Created> {
        // A channel's client writes from their app and has no tabs here.
        let tabs = if candidate.channel == Channel::WebChat {
            self.principal_connections(
                &candidate.tenant,
                &PrincipalRef::Visitor(candidate.visitor.clone()),
                candidate.created_at,
            )
            .await?
        } else {
            Vec::new()
        };
        let mut created = candidate.clone();
        created.watchers.visitor = tabs.iter().map(|c| c.id.clone()).collect();
        let event = created.record(TimelineKind::Created, created.created_at);
        let mut pointer = visitor_key.clone();
        pointer.insert("conversation".into(), s(created.id.as_str()));
        let mut items = vec![
            tx_put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(conversation_item(&created)?))
                    .condition_expression("attribute_not_exists(PK)"),
            )?,
            tx_put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(pointer))
                    .condition_expression("attribute_not_exists(PK)"),
            )?,
            self.event_put(&created.tenant, &event)?,
        ];
        items.extend(self.search_puts(&created)?);
        items.extend(self.session_put(&created)?);
        for tab in &tabs {
            items.push(tx_update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(Self::key(
                        keys::connection_pk(&tab.id),
                        keys::CONNECTION_SK,
                    )))
                    .update_expression("SET #conv = :conv")
                    .condition_expression("attribute_exists(PK)")
                    .expression_attribute_names("#conv", CONNECTION_CONVERSATION)
                    .expression_attribute_values(":conv", conversation_attr(&created.id)),
            )?);
        }
        Ok(match self.transact(items).await? {
            TxOutcome::Committed => Created::Done(Box::new(created)),
            TxOutcome::ConditionFailed(failed) if failed.iter().take(2).any(|f| *f) => {
                Created::Exists
            }
            TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => Created::Retry,
        })
    }
}
