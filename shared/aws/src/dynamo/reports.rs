//! The session index reports read: `T#{t}#SESSIONS` /
//! `{enqueuedAt:015}#{c}#{number:06}`, one item per session, put in the
//! transaction that starts or reopens the conversation. A period is one
//! Query on the sort key, a page at a time, and a BatchGetItem of the
//! conversations it names.

use super::codec::conversation_from;
use super::item::{get_n, get_s, n, parse, s, Item};
use super::keys::{self, conversation_pk};
use super::{backend, tx_put, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use std::collections::HashMap;
use switchboard_app::ports::{ReportStore, SessionPage, StoreError, StoreResult};
use switchboard_domain::{Conversation, ConversationId, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &["dynamodb:Query", "dynamodb:BatchGetItem"];

fn sessions_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#SESSIONS")
}

impl DynamoStore {
    /// The index entry of the conversation's current session.
    pub(crate) fn session_put(&self, c: &Conversation) -> StoreResult<Vec<TransactWriteItem>> {
        let Some(session) = c.sessions.last() else {
            return Ok(Vec::new());
        };
        let mut item = Self::key(
            sessions_pk(&c.tenant),
            format!(
                "{:015}#{}#{:06}",
                session.enqueued_at.millis(),
                c.id,
                session.number
            ),
        );
        item.insert("conversation".into(), s(c.id.as_str()));
        item.insert("number".into(), n(u64::from(session.number)));
        Ok(vec![tx_put(
            Put::builder().table_name(&self.table).set_item(Some(item)),
        )?])
    }
}

#[async_trait]
impl ReportStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn sessions_between(
        &self,
        tenant: &TenantId,
        from: Timestamp,
        to: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<SessionPage> {
        let pk = sessions_pk(tenant);
        let start = after.map(|sk| Self::key(pk.clone(), sk));
        let page = self
            .client
            .query()
            .table_name(&self.table)
            // Every entry of `to` sorts after the bare number.
            .key_condition_expression("PK = :pk AND SK BETWEEN :lo AND :hi")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":lo", s(format!("{:015}", from.millis())))
            .expression_attribute_values(":hi", s(format!("{:015}", to.millis())))
            .set_exclusive_start_key(start)
            .limit(i32::try_from(limit.clamp(1, 1000)).unwrap_or(1000))
            .send()
            .await
            .map_err(backend)?;
        let entries = page.items.unwrap_or_default();
        let next = page
            .last_evaluated_key
            .and_then(|k| k.get(keys::SK).and_then(|v| v.as_s().ok()).cloned());
        let mut wanted: Vec<ConversationId> = Vec::new();
        let mut listed: Vec<(u32, ConversationId)> = Vec::new();
        for entry in &entries {
            let id = parse(get_s(entry, "conversation")?, ConversationId::parse)?;
            let number = u32::try_from(get_n(entry, "number")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if !wanted.contains(&id) {
                wanted.push(id.clone());
            }
            listed.push((number, id));
        }
        let keys: Vec<Item> = wanted
            .iter()
            .map(|id| Self::key(conversation_pk(tenant, id), keys::META_SK))
            .collect();
        let found: HashMap<ConversationId, Conversation> = self
            .batch_get(&keys)
            .await?
            .into_iter()
            .flatten()
            .map(|item| conversation_from(&item).map(|c| (c.id.clone(), c)))
            .collect::<StoreResult<_>>()?;
        let sessions = listed
            .into_iter()
            .filter_map(|(number, id)| found.get(&id).map(|c| (number, c.clone())))
            .collect();
        Ok(SessionPage { sessions, next })
    }
}
