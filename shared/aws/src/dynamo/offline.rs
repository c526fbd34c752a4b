//! Offline requests: `T#{t}#OFFLINE#{id}` / `OFFLINE`, the request as a map
//! and, once its mailing is claimed, `mailClaimedAt`.

use super::conversation_record::{from_attribute, to_attribute};
use super::item::{n, Item};
use super::{backend, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use switchboard_app::ports::{OfflineStore, StoreError, StoreResult};
use switchboard_domain::{OfflineRequest, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB: requests are put, read and
/// claimed by key.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];
pub const USES_INDEX: bool = false;

fn request_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(format!("T#{tenant}#OFFLINE#{id}"), "OFFLINE")
}

#[async_trait]
impl OfflineStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %request.tenant))]
    async fn put_offline_request(&self, request: &OfflineRequest) -> StoreResult<()> {
        let mut item = request_key(&request.tenant, &request.id);
        item.insert("request".into(), to_attribute(request)?);
        item.insert("createdAt".into(), n(request.created_at.millis()));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn offline_request(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<OfflineRequest>> {
        match self.get(request_key(tenant, id)).await? {
            Some(item) => from_attribute(&item, "request")?
                .map(Some)
                .ok_or_else(|| StoreError::Corrupt("offline request without body".into())),
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn claim_mailing(
        &self,
        tenant: &TenantId,
        id: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(request_key(tenant, id)))
            .update_expression("SET mailClaimedAt = :now")
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(mailClaimedAt)")
            .expression_attribute_values(":now", n(now.millis()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn release_mailing(&self, tenant: &TenantId, id: &str) -> StoreResult<()> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(request_key(tenant, id)))
            .update_expression("REMOVE mailClaimedAt")
            .condition_expression("attribute_exists(PK)")
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }
}
