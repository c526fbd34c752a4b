//! Invitations: `T#{t}#INV#{digest}` / `INV`, put unless a live one has the
//! same digest, used up by one conditional update. Guess counters:
//! `ATTEMPTS#{key}` / `ATTEMPTS`, incremented with `ADD`, expired by TTL
//! (and ignored past `expiresAt` until TTL removes them).

use super::item::{get_s, n, opt_n, parse, s, Item};
use super::keys::TTL;
use super::{backend, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use switchboard_app::ports::{InvitationStore, StoreResult};
use switchboard_domain::{Invitation, OperatorId, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB: invitations and counters are
/// written by key under conditions, counters read in one batch.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];
pub const USES_INDEX: bool = false;

/// A day past expiry: long enough for any retry to find the item, short
/// enough that the table does not keep every code ever handed out.
const KEEP_AFTER_EXPIRY_SECONDS: u64 = 86_400;

fn invitation_key(tenant: &TenantId, digest: &str) -> Item {
    DynamoStore::key(format!("T#{tenant}#INV#{digest}"), "INV")
}

fn counter_key(key: &str) -> Item {
    DynamoStore::key(format!("ATTEMPTS#{key}"), "ATTEMPTS")
}

fn ttl_after(at: Timestamp) -> AttributeValue {
    n(at.millis() / 1000 + KEEP_AFTER_EXPIRY_SECONDS)
}

#[async_trait]
impl InvitationStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %invitation.tenant))]
    async fn put_invitation(&self, invitation: &Invitation, now: Timestamp) -> StoreResult<bool> {
        let mut item = invitation_key(&invitation.tenant, &invitation.digest);
        item.insert("tenant".into(), s(invitation.tenant.as_str()));
        item.insert("operator".into(), s(invitation.operator.as_str()));
        item.insert("expiresAt".into(), n(invitation.expires_at.millis()));
        item.insert("used".into(), AttributeValue::Bool(false));
        item.insert(TTL.into(), ttl_after(invitation.expires_at));
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(PK) OR used = :true OR expiresAt <= :now")
            .expression_attribute_values(":true", AttributeValue::Bool(true))
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
    async fn consume_invitation(
        &self,
        tenant: &TenantId,
        digest: &str,
        now: Timestamp,
    ) -> StoreResult<Option<OperatorId>> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(invitation_key(tenant, digest)))
            .update_expression("SET used = :true")
            .condition_expression("attribute_exists(PK) AND used = :false AND expiresAt > :now")
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":now", n(now.millis()))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result {
            Ok(out) => out
                .attributes
                .map(|item| parse(get_s(&item, "operator")?, OperatorId::parse))
                .transpose(),
            Err(e) if is_conditional_failure(&e) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn attempt_counts(&self, keys: &[String], now: Timestamp) -> StoreResult<Vec<u32>> {
        let wanted: Vec<Item> = keys.iter().map(|k| counter_key(k)).collect();
        let found = self.batch_get(&wanted).await?;
        found
            .iter()
            .map(|item| {
                let Some(item) = item else { return Ok(0) };
                let live = opt_n(item, "expiresAt")?.is_some_and(|at| at > now.millis());
                let count = opt_n(item, "count")?.unwrap_or(0);
                Ok(if live {
                    count.min(u64::from(u32::MAX)) as u32
                } else {
                    0
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn count_attempt(&self, keys: &[(String, Timestamp)]) -> StoreResult<()> {
        // One update per counter: only a wrong guess pays for them.
        for (key, expires_at) in keys {
            self.client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(counter_key(key)))
                .update_expression(
                    "ADD #count :one SET expiresAt = if_not_exists(expiresAt, :exp), \
                     #ttl = if_not_exists(#ttl, :ttl)",
                )
                .expression_attribute_names("#count", "count")
                .expression_attribute_names("#ttl", TTL)
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":exp", n(expires_at.millis()))
                .expression_attribute_values(":ttl", ttl_after(*expires_at))
                .send()
                .await
                .map_err(backend)?;
        }
        Ok(())
    }
}
