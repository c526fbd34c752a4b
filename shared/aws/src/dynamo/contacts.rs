//! Channel contacts: one item per contact, merged under an optimistic version;
//! and every client's tags, a string set beside their current conversation.

use super::item::{get_s, json, n, opt_n, s, to_json, Item};
use super::keys;
use super::{backend, backoff, is_conditional_failure, DynamoStore, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use std::collections::HashMap;
use switchboard_app::ports::{ContactStore, StoreError, StoreResult};
use switchboard_domain::{Contact, TenantId, VisitorId};

/// What this port's adapter asks of DynamoDB (merged under a version condition on PutItem). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = false;

#[async_trait]
impl ContactStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %contact.tenant, visitor = %contact.visitor))]
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact> {
        let key = Self::key(
            keys::contact_pk(&contact.tenant, &contact.visitor),
            keys::CONTACT_SK,
        );
        for attempt in 0..MAX_ATTEMPTS {
            let existing = self.get(key.clone()).await?;
            let (merged, version, stored_body) = match &existing {
                Some(item) => {
                    let body = get_s(item, "body")?;
                    let mut known: Contact = json(body)?;
                    known.merge(contact);
                    (known, opt_n(item, "version")?.unwrap_or(0), Some(body))
                }
                None => (contact.clone(), 0, None),
            };
            let body = to_json(&merged)?;
            // A provider's retry or an echo tells nothing new: no write then.
            if stored_body == Some(body.as_str()) {
                return Ok(merged);
            }
            let mut item = key.clone();
            item.insert("body".into(), s(body));
            item.insert("version".into(), n(version + 1));
            let written = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK) OR version = :prev")
                .expression_attribute_values(":prev", n(version))
                .send()
                .await;
            match written {
                Ok(_) => return Ok(merged),
                Err(e) if is_conditional_failure(&e) => backoff(attempt).await,
                Err(e) => return Err(backend(e)),
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn contact(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Contact>> {
        self.get(Self::key(
            keys::contact_pk(tenant, visitor),
            keys::CONTACT_SK,
        ))
        .await?
        .map(|i| get_s(&i, "body").and_then(json))
        .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn tag_client(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        tags: &[String],
        add: bool,
    ) -> StoreResult<Vec<String>> {
        let key = Self::key(keys::visitor_pk(tenant, visitor), TAGS_SK);
        if tags.is_empty() {
            return Ok(self
                .get(key)
                .await?
                .map(|i| tags_of(&i))
                .unwrap_or_default());
        }
        let set = AttributeValue::Ss(tags.to_vec());
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .update_expression(if add { "ADD tags :t" } else { "DELETE tags :t" })
            .expression_attribute_values(":t", set)
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(backend)?;
        Ok(out.attributes.map(|i| tags_of(&i)).unwrap_or_default())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn client_tags(
        &self,
        tenant: &TenantId,
        visitors: &[VisitorId],
    ) -> StoreResult<HashMap<VisitorId, Vec<String>>> {
        let wanted: Vec<Item> = visitors
            .iter()
            .map(|v| Self::key(keys::visitor_pk(tenant, v), TAGS_SK))
            .collect();
        let found = self.batch_get(&wanted).await?;
        Ok(visitors
            .iter()
            .zip(found)
            .filter_map(|(v, item)| Some((v.clone(), tags_of(&item?))))
            .filter(|(_, tags)| !tags.is_empty())
            .collect())
    }
}

/// A client's tags: `T#{t}#VIS#{v}` / `TAGS`, a string set.
pub(crate) const TAGS_SK: &str = "TAGS";

fn tags_of(item: &Item) -> Vec<String> {
    let mut tags = match item.get("tags") {
        Some(AttributeValue::Ss(tags)) => tags.clone(),
        _ => Vec::new(),
    };
    tags.sort();
    tags
}
