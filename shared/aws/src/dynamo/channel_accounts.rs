//! Channel accounts bound by admins: one partition, `CHANNELS`, sorted by
//! `{channel}#{accountId}`. The webhook and sender functions read it whole
//! (a few items per tenant), at most every 30 seconds per warm instance.

use super::item::{get_s, json, s, to_json};
use super::{backend, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use switchboard_app::ports::{
    ChannelAccount, ChannelAccountError, ChannelAccountStore, ChannelAccountWriter, StoreResult,
};
use switchboard_domain::{Channel, TenantId};

/// What reading the bindings asks of DynamoDB.
pub const IAM_READ: &[&str] = &["dynamodb:Query"];
/// What binding and unbinding ask.
pub const IAM_WRITE: &[&str] = &["dynamodb:PutItem", "dynamodb:DeleteItem"];

const PARTITION: &str = "CHANNELS";

fn sort_key(channel: Channel, account_id: &str) -> String {
    format!("{}#{account_id}", channel.as_str())
}

#[async_trait]
impl ChannelAccountWriter for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant))]
    async fn put_channel_account(
        &self,
        account: &ChannelAccount,
    ) -> Result<(), ChannelAccountError> {
        let mut item = Self::key(PARTITION, sort_key(account.channel, &account.account_id));
        item.insert("tenant".into(), s(account.tenant.as_str()));
        item.insert("body".into(), s(to_json(account)?));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK) OR tenant = :tenant")
            .expression_attribute_values(":tenant", s(account.tenant.as_str()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Err(ChannelAccountError::Taken),
            Err(e) => Err(backend(e).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_channel_account(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account_id: &str,
    ) -> StoreResult<Option<ChannelAccount>> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(PARTITION, sort_key(channel, account_id))))
            .condition_expression("tenant = :tenant")
            .expression_attribute_values(":tenant", s(tenant.as_str()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => out
                .attributes
                .map(|item| json(get_s(&item, "body")?))
                .transpose(),
            Err(e) if is_conditional_failure(&e) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }
}

#[async_trait]
impl ChannelAccountStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn channel_accounts(&self) -> StoreResult<Vec<ChannelAccount>> {
        self.query_prefix(PARTITION.to_string(), "")
            .await?
            .iter()
            .map(|item| json(get_s(item, "body")?))
            .collect()
    }
}
