//! Additional information. Field definitions share one partition per
//! tenant, `T#{t}#INFOFIELDS` / `F#{key}` (tens of them, read whole). A
//! contact's values sit beside their tags at `T#{t}#VIS#{v}` / `INFO`, one
//! attribute per field (`v_{key}`), so one UpdateItem sets and removes
//! exactly the keys it names and concurrent edits of other keys survive.

use super::conversation_record::{from_attribute, to_attribute};
use super::item::Item;
use super::{backend, keys, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use switchboard_app::ports::{ContactInfoStore, StoreError, StoreResult};
use switchboard_domain::workspace::{InfoField, InfoValues};
use switchboard_domain::{TenantId, VisitorId};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
];

const FIELD_PREFIX: &str = "F#";
pub(crate) const INFO_SK: &str = "INFO";
/// Value attributes are `v_{key}`; keys are `[a-z][a-z0-9_]*`, so the
/// names are safe and never meet the item's own attributes.
pub(crate) const VALUE_PREFIX: &str = "v_";

fn fields_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#INFOFIELDS")
}

fn field_key(tenant: &TenantId, key: &str) -> Item {
    DynamoStore::key(fields_pk(tenant), format!("{FIELD_PREFIX}{key}"))
}

fn field_from(item: &Item) -> StoreResult<InfoField> {
    from_attribute(item, "body")?
        .ok_or_else(|| StoreError::Corrupt("info field without body".into()))
}

fn values_of(item: Option<Item>) -> StoreResult<InfoValues> {
    let mut values = InfoValues::new();
    for (name, value) in item.unwrap_or_default() {
        if let Some(key) = name.strip_prefix(VALUE_PREFIX) {
            let value = serde_dynamo::from_attribute_value(value)
                .map_err(|e| StoreError::Corrupt(format!("info value {key}: {e}")))?;
            values.insert(key.to_string(), value);
        }
    }
    Ok(values)
}

#[async_trait]
impl ContactInfoStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %field.tenant))]
    async fn put_info_field(&self, field: &InfoField) -> StoreResult<Option<InfoField>> {
        let mut item = field_key(&field.tenant, &field.key);
        item.insert("body".into(), to_attribute(field)?);
        let out = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(backend)?;
        out.attributes.as_ref().map(field_from).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_info_field(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> StoreResult<Option<InfoField>> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(field_key(tenant, key)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(backend)?;
        out.attributes.as_ref().map(field_from).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn info_fields(&self, tenant: &TenantId) -> StoreResult<Vec<InfoField>> {
        self.query_prefix(fields_pk(tenant), FIELD_PREFIX)
            .await?
            .iter()
            .map(field_from)
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn contact_info(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<InfoValues> {
        values_of(
            self.get(Self::key(keys::visitor_pk(tenant, visitor), INFO_SK))
                .await?,
        )
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn change_contact_info(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        set: &InfoValues,
        remove: &[String],
    ) -> StoreResult<InfoValues> {
        if set.is_empty() && remove.is_empty() {
            return self.contact_info(tenant, visitor).await;
        }
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::visitor_pk(tenant, visitor), INFO_SK)))
            .return_values(ReturnValue::AllNew);
        let mut sets = Vec::new();
        for (i, (key, value)) in set.iter().enumerate() {
            sets.push(format!("#s{i} = :s{i}"));
            update = update
                .expression_attribute_names(format!("#s{i}"), format!("{VALUE_PREFIX}{key}"))
                .expression_attribute_values(format!(":s{i}"), to_attribute(value)?);
        }
        let mut removes = Vec::new();
        for (i, key) in remove.iter().enumerate() {
            removes.push(format!("#r{i}"));
            update =
                update.expression_attribute_names(format!("#r{i}"), format!("{VALUE_PREFIX}{key}"));
        }
        let mut expression = String::new();
        if !sets.is_empty() {
            expression.push_str(&format!("SET {} ", sets.join(", ")));
        }
        if !removes.is_empty() {
            expression.push_str(&format!("REMOVE {}", removes.join(", ")));
        }
        let out = update
            .update_expression(expression.trim_end())
            .send()
            .await
            .map_err(backend)?;
        values_of(out.attributes)
    }
}
