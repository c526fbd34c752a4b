//! The DynamoDB store: one table, two overloaded GSIs, no Scan anywhere.
//!
//! Invariants that span items (conversation waiting AND operator below capacity)
//! are `TransactWriteItems` with a condition on each item; invariants on one
//! item are condition expressions. Reads that decide a write are only ever used
//! to build that write's condition (optimistic concurrency), never trusted alone.

pub mod accounts;
mod assignment;
pub mod audit;
mod batch;
pub mod browsing;
pub mod cards;
pub mod channel_accounts;
mod codec;
pub mod connections;
pub mod contact_info;
pub mod contacts;
mod content_record;
mod conversation_meta;
mod conversation_record;
mod conversation_start;
pub mod conversations;
pub mod delivery;
mod delivery_record;
pub mod directory;
mod event_record;
pub mod invitations;
pub mod item;
pub mod keys;
mod lists;
pub mod message_record;
pub mod messages;
pub mod offline;
mod operator_slots;
mod page;
mod presence;
pub mod reports;
pub mod routing;
pub mod schema;
pub mod sessions;
mod sla;
mod status_log;
mod system_line_record;
pub mod text_blocks;
mod transfers;
pub mod unite;
mod unite_items;
mod waiting;
mod watchers;
pub mod widgets;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::builders::{DeleteBuilder, PutBuilder, UpdateBuilder};
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use item::Item;
use std::time::Duration;
use switchboard_app::ports::StoreError;

/// How often an optimistic write is retried under contention before giving up.
const MAX_ATTEMPTS: u32 = 12;

#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

pub(crate) fn backend<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::backend("DynamoDB request", err)
}

pub(crate) fn build_err(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::backend("building a DynamoDB request", e)
}

/// One update inside a `TransactWriteItems`.
pub(crate) fn tx_update(u: UpdateBuilder) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder()
        .update(u.build().map_err(build_err)?)
        .build())
}

/// One delete inside a `TransactWriteItems`.
pub(crate) fn tx_delete(d: DeleteBuilder) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder()
        .delete(d.build().map_err(build_err)?)
        .build())
}

/// One put inside a `TransactWriteItems`.
pub(crate) fn tx_put(p: PutBuilder) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder()
        .put(p.build().map_err(build_err)?)
        .build())
}

/// Why a transaction was cancelled, per action in request order.
pub(crate) enum TxOutcome {
    Committed,
    /// Per-action: true where that action's condition failed.
    ConditionFailed(Vec<bool>),
    /// Another transaction touched the same items: back off and retry.
    Conflict,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn key(pk: impl Into<String>, sk: impl Into<String>) -> Item {
        Item::from([
            (keys::PK.to_string(), AttributeValue::S(pk.into())),
            (keys::SK.to_string(), AttributeValue::S(sk.into())),
        ])
    }

    /// An unconditional PutItem (upserts of records that have one writer).
    pub(crate) async fn put(&self, item: Item) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(crate) async fn get(&self, key: Item) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(out.item)
    }

    /// Every item (or the first `limit`) with `pk_attr = pk` in `index`, across pages.
    pub(crate) async fn query_index(
        &self,
        index: &str,
        pk_attr: &str,
        pk: String,
        limit: Option<usize>,
    ) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", pk_attr)
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .set_exclusive_start_key(start);
            if let Some(limit) = limit {
                query = query.limit((limit - out.len()).min(1000) as i32);
            }
            let page = query.send().await.map_err(backend)?;
            out.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() || limit.is_some_and(|l| out.len() >= l) {
                return Ok(out);
            }
        }
    }

    /// Every item of partition `pk` whose sort key starts with `prefix`, in
    /// order, strongly consistent, across pages.
    /// Every item of partition `pk` whose sort key begins with `prefix`
    /// (all of them for ""), strongly consistent, every page.
    pub(crate) async fn query_prefix(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
                .consistent_read(true)
                .set_exclusive_start_key(start);
            query = if prefix.is_empty() {
                query.key_condition_expression("PK = :pk")
            } else {
                query
                    .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                    .expression_attribute_values(":prefix", AttributeValue::S(prefix.to_string()))
            };
            let page = query.send().await.map_err(backend)?;
            out.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(out);
            }
        }
    }

    pub(crate) async fn transact(
        &self,
        items: Vec<TransactWriteItem>,
    ) -> Result<TxOutcome, StoreError> {
        let count = items.len();
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(TxOutcome::Committed),
            Err(err) => {
                let reasons = match err.as_service_error() {
                    Some(TransactWriteItemsError::TransactionCanceledException(e)) => {
                        e.cancellation_reasons().to_vec()
                    }
                    _ => return Err(backend(err)),
                };
                let codes: Vec<Option<String>> = reasons
                    .iter()
                    .map(|r| r.code().map(str::to_string))
                    .collect();
                if codes
                    .iter()
                    .any(|c| matches!(c.as_deref(), Some("TransactionConflict")))
                {
                    return Ok(TxOutcome::Conflict);
                }
                let mut failed: Vec<bool> = codes
                    .iter()
                    .map(|c| matches!(c.as_deref(), Some("ConditionalCheckFailed")))
                    .collect();
                failed.resize(count, false);
                if failed.iter().any(|f| *f) {
                    Ok(TxOutcome::ConditionFailed(failed))
                } else {
                    Err(StoreError::backend_says(format!(
                        "transaction cancelled: {codes:?}"
                    )))
                }
            }
        }
    }
}

/// Exponential backoff with full jitter, capped, for contention retries.
pub(crate) async fn backoff(attempt: u32) {
    let cap_ms = 200u64;
    let base = 5u64.saturating_mul(1u64 << attempt.min(6));
    let ms = rand::random_range(0..=base.min(cap_ms));
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

pub(crate) fn is_conditional_failure<E, R>(err: &SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|c| c == "ConditionalCheckFailedException")
}
