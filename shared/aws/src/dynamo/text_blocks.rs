//! Text blocks: one partition per tenant, `T#{t}#TEXTBLOCKS`, each block at
//! `B#{id}` with its body, and the tenant's version at `VERSION`. A change
//! writes the block and adds 1 to the version in one transaction, so a
//! search that finds the version unchanged may trust its cached blocks.

use super::conversation_record::{from_attribute, to_attribute};
use super::item::{get_n, Item};
use super::page::Listing;
use super::{tx_delete, tx_put, tx_update, DynamoStore, TxOutcome};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use switchboard_app::ports::{Page, StoreError, StoreResult, TextBlockStore};
use switchboard_domain::workspace::TextBlock;
use switchboard_domain::TenantId;

/// What this port's adapter asks of DynamoDB (a transaction's parts are
/// authorized as the Put, Update and Delete they are).
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
];

const BLOCK_PREFIX: &str = "B#";
const VERSION_SK: &str = "VERSION";

fn blocks_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#TEXTBLOCKS")
}

fn block_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(blocks_pk(tenant), format!("{BLOCK_PREFIX}{id}"))
}

fn block_from(item: &Item) -> StoreResult<TextBlock> {
    from_attribute(item, "body")?
        .ok_or_else(|| StoreError::Corrupt("text block without body".into()))
}

impl DynamoStore {
    fn bump_version(&self, tenant: &TenantId) -> StoreResult<TransactWriteItem> {
        tx_update(
            Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(blocks_pk(tenant), VERSION_SK)))
                .update_expression("ADD version :one")
                .expression_attribute_values(":one", AttributeValue::N("1".into())),
        )
    }

    async fn block_change(
        &self,
        change: TransactWriteItem,
        tenant: &TenantId,
    ) -> StoreResult<bool> {
        match self
            .transact(vec![change, self.bump_version(tenant)?])
            .await?
        {
            TxOutcome::Committed => Ok(true),
            TxOutcome::ConditionFailed(_) => Ok(false),
            TxOutcome::Conflict => Err(StoreError::Contention(1)),
        }
    }
}

#[async_trait]
impl TextBlockStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %block.tenant, block = %block.id))]
    async fn put_text_block(&self, block: &TextBlock) -> StoreResult<Option<TextBlock>> {
        let before = self.text_block(&block.tenant, &block.id).await?;
        let mut item = block_key(&block.tenant, &block.id);
        item.insert("body".into(), to_attribute(block)?);
        let put = tx_put(Put::builder().table_name(&self.table).set_item(Some(item)))?;
        self.block_change(put, &block.tenant).await?;
        Ok(before)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, block = %id))]
    async fn delete_text_block(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<TextBlock>> {
        let Some(before) = self.text_block(tenant, id).await? else {
            return Ok(None);
        };
        let change = tx_delete(
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(block_key(tenant, id)))
                .condition_expression("attribute_exists(PK)"),
        )?;
        Ok(self.block_change(change, tenant).await?.then_some(before))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, block = %id))]
    async fn text_block(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<TextBlock>> {
        self.get(block_key(tenant, id))
            .await?
            .as_ref()
            .map(block_from)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn text_blocks(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<TextBlock>> {
        let listing = Listing::Partition {
            pk: blocks_pk(tenant),
            prefix: BLOCK_PREFIX,
        };
        let (items, next) = self.query_page(listing, after, limit, false).await?;
        let items = items.iter().map(block_from).collect::<StoreResult<_>>()?;
        Ok(Page { items, next })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn text_blocks_version(&self, tenant: &TenantId) -> StoreResult<u64> {
        match self.get(Self::key(blocks_pk(tenant), VERSION_SK)).await? {
            Some(item) => get_n(&item, "version"),
            None => Ok(0),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn all_text_blocks(&self, tenant: &TenantId) -> StoreResult<Vec<TextBlock>> {
        self.query_prefix(blocks_pk(tenant), BLOCK_PREFIX)
            .await?
            .iter()
            .map(block_from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_block_key_sorts_in_its_tenants_partition() {
        let t = switchboard_domain::TenantId::parse("acme").unwrap();
        let key = super::block_key(&t, "greeting");
        assert_eq!(
            key.get("SK")
                .and_then(|v| v.as_s().ok())
                .map(String::as_str),
            Some("B#greeting")
        );
    }
}
