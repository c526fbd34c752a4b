//! Conversation lists from GSI3: `T#{t}#LIST#{OPEN|CLOSED}#{operator or -}`
//! / `{lastActivity:015}#{c}`, kept by every lifecycle write (the list a
//! conversation is in) and every append (its place in it). Progress and
//! channel narrow a page with a filter; nothing is scanned.

use super::codec::conversation_from;
use super::item::{s, Item};
use super::keys::{self, conversation_pk};
use super::{backend, is_conditional_failure, tx_put, DynamoStore};
use aws_sdk_dynamodb::types::ReturnValue;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use switchboard_app::ports::{ConversationError, Page, StoreError, StoreResult};
use switchboard_domain::workspace::search::tokens;
use switchboard_domain::workspace::{
    lists::by_deadline, ListFilter, ListOrder, Progress, Scope, SearchQuery,
};
use switchboard_domain::{Conversation, ConversationId, TenantId};

/// Items read per Query page while filling a list page.
const READ_PAGE: i32 = 100;

fn bad_cursor() -> StoreError {
    StoreError::Corrupt("cursor".into())
}

impl DynamoStore {
    pub(crate) async fn set_progress_item(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        progress: Progress,
    ) -> Result<Conversation, ConversationError> {
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(conversation_pk(tenant, id), keys::META_SK)))
            .update_expression("SET progress = :progress")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":progress", s(progress.as_str()))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(out) => Ok(conversation_from(
                &out.attributes.ok_or(ConversationError::NotFound)?,
            )?),
            Err(e) if is_conditional_failure(&e) => Err(ConversationError::NotFound),
            Err(e) => Err(backend(e).into()),
        }
    }

    pub(crate) async fn list_items(
        &self,
        tenant: &TenantId,
        filter: &ListFilter,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Conversation>> {
        let operator = match &filter.scope {
            Scope::Operator(op) => Some(op),
            Scope::Unassigned => None,
        };
        let pk = keys::list_gsi_pk(tenant, filter.open, operator);
        match filter.order {
            ListOrder::Newest => {
                let start = match after {
                    None => None,
                    Some(cursor) => Some(self.list_start_key(tenant, &pk, cursor)?),
                };
                let (mut items, more) = self.read_list(&pk, filter, start, Some(limit)).await?;
                let next = if items.len() > limit || more {
                    items.truncate(limit);
                    items
                        .last()
                        .map(|c| keys::list_gsi_sk(c.last_activity_at, &c.id))
                } else {
                    None
                };
                Ok(Page { items, next })
            }
            ListOrder::SlaDeadline => {
                // An open list holds what is held or waiting now: read whole,
                // ordered here, the cursor an offset.
                let offset: usize = after.map_or(Ok(0), |a| a.parse().map_err(|_| bad_cursor()))?;
                let (mut items, _) = self.read_list(&pk, filter, None, None).await?;
                items.sort_by(by_deadline);
                let rest: Vec<Conversation> = items.into_iter().skip(offset).collect();
                let more = rest.len() > limit;
                let items: Vec<Conversation> = rest.into_iter().take(limit).collect();
                let next = more.then(|| (offset + items.len()).to_string());
                Ok(Page { items, next })
            }
        }
    }

    /// The index key a page continues after: the cursor is the last item's
    /// GSI3 sort key, which names its conversation.
    fn list_start_key(&self, tenant: &TenantId, pk: &str, cursor: &str) -> StoreResult<Item> {
        let (_, id) = cursor.split_once('#').ok_or_else(bad_cursor)?;
        let id = ConversationId::parse(id).map_err(|_| bad_cursor())?;
        let mut key = Self::key(conversation_pk(tenant, &id), keys::META_SK);
        key.insert(keys::GSI3PK.into(), s(pk));
        key.insert(keys::GSI3SK.into(), s(cursor));
        Ok(key)
    }

    /// Newest first from `start`, filtered, until more than `want` matched
    /// (None: to the end); whether the index holds more after what was read.
    async fn read_list(
        &self,
        pk: &str,
        filter: &ListFilter,
        mut start: Option<Item>,
        want: Option<usize>,
    ) -> StoreResult<(Vec<Conversation>, bool)> {
        let mut out = Vec::new();
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI3)
                .key_condition_expression("GSI3PK = :pk")
                .expression_attribute_values(":pk", s(pk))
                .scan_index_forward(false)
                .limit(READ_PAGE)
                .set_exclusive_start_key(start.take());
            let mut conditions = Vec::new();
            if let Some(progress) = filter.progress {
                conditions.push("progress = :progress");
                query = query.expression_attribute_values(":progress", s(progress.as_str()));
            }
            if let Some(channel) = filter.channel {
                conditions.push("channel = :channel");
                query = query.expression_attribute_values(":channel", s(channel.as_str()));
            }
            if !conditions.is_empty() {
                query = query.filter_expression(conditions.join(" AND "));
            }
            let page = query.send().await.map_err(backend)?;
            for item in page.items.unwrap_or_default() {
                let conversation = conversation_from(&item)?;
                // The index may lag a write by a moment; what no longer
                // belongs here is left out.
                if filter.matches(&conversation) {
                    out.push(conversation);
                }
            }
            start = page.last_evaluated_key;
            let enough = want.is_some_and(|w| out.len() > w);
            if start.is_none() || enough {
                return Ok((out, start.is_some() && !enough));
            }
        }
    }
}

/// How many index entries a search reads at most.
const SEARCH_READ: i32 = 200;

fn search_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#SEARCH")
}

impl DynamoStore {
    /// The puts that index a conversation's client for search
    /// (`T#{t}#SEARCH` / `{token}#{c}`), for the transaction that starts or
    /// reopens it. A put of an entry already there changes nothing.
    pub(crate) fn search_puts(&self, c: &Conversation) -> StoreResult<Vec<TransactWriteItem>> {
        self.search_puts_of(&c.tenant, &c.id, tokens(&c.entry))
    }

    /// [`Self::search_puts`] for an entry the conversation is about to have.
    pub(crate) fn search_puts_of(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        tokens: Vec<String>,
    ) -> StoreResult<Vec<TransactWriteItem>> {
        tokens
            .into_iter()
            .map(|token| {
                let mut item = Self::key(search_pk(tenant), format!("{token}#{id}"));
                item.insert("conversation".into(), s(id.as_str()));
                tx_put(Put::builder().table_name(&self.table).set_item(Some(item)))
            })
            .collect()
    }

    pub(crate) async fn search_items(
        &self,
        tenant: &TenantId,
        query: &SearchQuery,
        limit: usize,
    ) -> StoreResult<Vec<Conversation>> {
        let page = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(search_pk(tenant)))
            .expression_attribute_values(":prefix", s(query.prefix()))
            .limit(SEARCH_READ)
            .send()
            .await
            .map_err(backend)?;
        let mut ids: Vec<String> = page
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| super::item::opt_s(i, "conversation").map(str::to_string))
            .collect();
        ids.sort();
        ids.dedup();
        let keys: Vec<Item> = ids
            .iter()
            .filter_map(|id| ConversationId::parse(id.as_str()).ok())
            .map(|id| Self::key(conversation_pk(tenant, &id), keys::META_SK))
            .collect();
        let found = self
            .batch_get(&keys)
            .await?
            .into_iter()
            .flatten()
            .map(|item| conversation_from(&item))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(query.rank(found, limit))
    }
}

impl DynamoStore {
    /// A set's ADD and DELETE cannot share one update: removals first, then
    /// additions, each one UpdateItem under `attribute_exists(PK)`.
    pub(crate) async fn tag_item(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        add: &[String],
        remove: &[String],
    ) -> Result<Vec<String>, ConversationError> {
        let key = Self::key(conversation_pk(tenant, id), keys::META_SK);
        let mut after = None;
        for (expression, tags) in [("DELETE tags :t", remove), ("ADD tags :t", add)] {
            if tags.is_empty() {
                continue;
            }
            let out = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key.clone()))
                .update_expression(expression)
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(
                    ":t",
                    aws_sdk_dynamodb::types::AttributeValue::Ss(tags.to_vec()),
                )
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match out {
                Ok(out) => after = out.attributes,
                Err(e) if is_conditional_failure(&e) => return Err(ConversationError::NotFound),
                Err(e) => return Err(backend(e).into()),
            }
        }
        let item = match after {
            Some(item) => item,
            None => self.get(key).await?.ok_or(ConversationError::NotFound)?,
        };
        Ok(conversation_from(&item)?.tags)
    }
}
