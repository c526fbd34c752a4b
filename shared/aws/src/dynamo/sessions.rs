//! Sign-in sessions: a family item per sign-in (`T#{t}#SESSIONS#{o}` /
//! `FAM#{id}`, so an operator's families are one Query) and an item per
//! refresh token (`REFRESH#{digest}`); one-time links (`LINK#{digest}`).
//! Everything expires through the table's TTL.

use super::item::{get_bool, get_s, json, n, opt_s, parse, s, to_json, Item};
use super::{
    backend, backoff, is_conditional_failure, keys, tx_put, tx_update, DynamoStore, TxOutcome,
    MAX_ATTEMPTS,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Put, ReturnValue, TransactWriteItem, Update,
};
use switchboard_app::ports::{Grant, Rotation, SessionStore, StoreError, StoreResult};
use switchboard_domain::{OneTimeLink, OperatorId, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:TransactWriteItems",
];
pub const USES_INDEX: bool = false;

fn grant_from(item: &Item) -> StoreResult<Grant> {
    Ok(Grant {
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        operator: parse(get_s(item, "operator")?, OperatorId::parse)?,
        family: get_s(item, "family")?.to_string(),
        expires_at: Timestamp(super::item::get_n(item, "expiresAt")?),
    })
}

impl DynamoStore {
    fn token_item(&self, digest: &str, grant: &Grant) -> Item {
        let mut item = Self::key(keys::refresh_pk(digest), keys::REFRESH_SK);
        item.insert("tenant".into(), s(grant.tenant.as_str()));
        item.insert("operator".into(), s(grant.operator.as_str()));
        item.insert("family".into(), s(&grant.family));
        item.insert("expiresAt".into(), n(grant.expires_at.millis()));
        item.insert("spent".into(), AttributeValue::Bool(false));
        item.insert(keys::TTL.into(), n(grant.expires_at.seconds()));
        item
    }

    fn family_key(grant: &Grant) -> Item {
        Self::key(
            keys::sessions_pk(&grant.tenant, &grant.operator),
            keys::family_sk(&grant.family),
        )
    }

    async fn end_family(&self, grant: &Grant) -> StoreResult<()> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::family_key(grant)))
            .update_expression("SET ended = :true")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":true", AttributeValue::Bool(true))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}

#[async_trait]
impl SessionStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %grant.tenant, operator = %grant.operator))]
    async fn start_session(&self, token_digest: &str, grant: &Grant) -> StoreResult<()> {
        let mut family = Self::family_key(grant);
        family.insert("ended".into(), AttributeValue::Bool(false));
        family.insert(keys::TTL.into(), n(grant.expires_at.seconds()));
        let items = vec![
            tx_put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(family)),
            )?,
            tx_put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(self.token_item(token_digest, grant)))
                    .condition_expression("attribute_not_exists(PK)"),
            )?,
        ];
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(()),
            _ => Err(StoreError::backend_says("refresh token digest collided")),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn rotate(
        &self,
        old_digest: &str,
        new_digest: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<Rotation> {
        for attempt in 0..MAX_ATTEMPTS {
            let Some(item) = self
                .get(Self::key(keys::refresh_pk(old_digest), keys::REFRESH_SK))
                .await?
            else {
                return Ok(Rotation::Unknown);
            };
            let grant = grant_from(&item)?;
            if grant.expires_at <= now {
                return Ok(Rotation::Unknown);
            }
            if get_bool(&item, "spent") {
                self.end_family(&grant).await?;
                return Ok(Rotation::Reused(grant));
            }
            let spend = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(
                    keys::refresh_pk(old_digest),
                    keys::REFRESH_SK,
                )))
                .update_expression("SET spent = :true")
                .condition_expression("spent = :false")
                .expression_attribute_values(":true", AttributeValue::Bool(true))
                .expression_attribute_values(":false", AttributeValue::Bool(false));
            let live = ConditionCheck::builder()
                .table_name(&self.table)
                .set_key(Some(Self::family_key(&grant)))
                .condition_expression("ended = :false")
                .expression_attribute_values(":false", AttributeValue::Bool(false))
                .build()
                .map_err(super::build_err)?;
            let next = Grant {
                expires_at,
                ..grant.clone()
            };
            let items = vec![
                tx_update(spend)?,
                TransactWriteItem::builder().condition_check(live).build(),
                tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(self.token_item(new_digest, &next)))
                        .condition_expression("attribute_not_exists(PK)"),
                )?,
            ];
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(Rotation::Rotated(next)),
                TxOutcome::ConditionFailed(_) => {
                    // Spent by a racing rotation, or the family ended: reuse.
                    self.end_family(&grant).await?;
                    return Ok(Rotation::Reused(grant));
                }
                TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn end_session(&self, token_digest: &str) -> StoreResult<Option<Grant>> {
        let Some(item) = self
            .get(Self::key(keys::refresh_pk(token_digest), keys::REFRESH_SK))
            .await?
        else {
            return Ok(None);
        };
        let grant = grant_from(&item)?;
        self.end_family(&grant).await?;
        Ok(Some(grant))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %operator))]
    async fn end_sessions_of(&self, tenant: &TenantId, operator: &OperatorId) -> StoreResult<()> {
        let families = self
            .query_prefix(keys::sessions_pk(tenant, operator), keys::FAMILY_PREFIX)
            .await?;
        for family in families {
            let Some(id) =
                opt_s(&family, keys::SK).and_then(|sk| sk.strip_prefix(keys::FAMILY_PREFIX))
            else {
                continue;
            };
            if get_bool(&family, "ended") {
                continue;
            }
            self.end_family(&Grant {
                tenant: tenant.clone(),
                operator: operator.clone(),
                family: id.to_string(),
                expires_at: Timestamp(0),
            })
            .await?;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn put_link(&self, digest: &str, link: &OneTimeLink) -> StoreResult<()> {
        let mut item = Self::key(keys::link_pk(digest), keys::LINK_SK);
        item.insert("body".into(), s(to_json(link)?));
        item.insert(keys::TTL.into(), n(link.expires_at.seconds()));
        self.put(item).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn peek_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>> {
        self.get(Self::key(keys::link_pk(digest), keys::LINK_SK))
            .await?
            .map(|item| json(get_s(&item, "body")?))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn take_link(&self, digest: &str) -> StoreResult<Option<OneTimeLink>> {
        // A delete that returns what it deleted: of racing takers, one gets it.
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::link_pk(digest), keys::LINK_SK)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(backend)?;
        out.attributes
            .map(|item| json(get_s(&item, "body")?))
            .transpose()
    }
}
