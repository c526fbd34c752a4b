//! The audit log: `T#{t}#AUDIT`, sorted by entry id (a ULID), read newest first.

use super::item::{get_s, json, s, to_json};
use super::keys;
use super::page::Listing;
use super::DynamoStore;
use async_trait::async_trait;
use switchboard_app::ports::{AuditEntry, AuditLog, Page, StoreResult};
use switchboard_domain::TenantId;

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &["dynamodb:PutItem", "dynamodb:Query"];
pub const USES_INDEX: bool = false;

#[async_trait]
impl AuditLog for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %entry.tenant))]
    async fn record(&self, entry: &AuditEntry) -> StoreResult<()> {
        let mut item = Self::key(
            keys::audit_pk(&entry.tenant),
            format!("{}{}", keys::AUDIT_PREFIX, entry.id),
        );
        item.insert("body".into(), s(to_json(entry)?));
        self.put(item).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn audit_entries(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<AuditEntry>> {
        let listing = Listing::Partition {
            pk: keys::audit_pk(tenant),
            prefix: keys::AUDIT_PREFIX,
        };
        let (items, next) = self.query_page(listing, after, limit, true).await?;
        let items = items
            .iter()
            .map(|i| json(get_s(i, "body")?))
            .collect::<StoreResult<Vec<AuditEntry>>>()?;
        Ok(Page { items, next })
    }
}
