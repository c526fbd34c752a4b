//! The widget catalogue: `WIDGET#{id}` (ids are global, since the visitor's
//! socket names only the widget), listed per tenant through GSI1
//! `T#{t}#WIDGETS`.

use super::item::{s, Item};
use super::keys;
use super::page::Listing;
use super::{backend, directory::widget_from, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use switchboard_app::ports::{Page, StoreResult, WidgetStore};
use switchboard_domain::{TenantId, Widget, WidgetId};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"];
pub const USES_INDEX: bool = true;

pub(super) fn widget_item(widget: &Widget) -> Item {
    let mut item = DynamoStore::key(keys::widget_pk(&widget.id), keys::WIDGET_SK);
    item.insert("widget".into(), s(widget.id.as_str()));
    item.insert("tenant".into(), s(widget.tenant.as_str()));
    item.insert("name".into(), s(&widget.name));
    if let Some(group) = &widget.group {
        item.insert("group".into(), s(group.as_str()));
    }
    if let Some(email) = &widget.offline_email {
        item.insert("offlineEmail".into(), s(email));
    }
    if !widget.allowed_origins.is_empty() {
        item.insert(
            "allowedOrigins".into(),
            AttributeValue::L(widget.allowed_origins.iter().map(s).collect()),
        );
    }
    item.insert(
        "entries".into(),
        AttributeValue::L(widget.entries.iter().map(|e| s(e.as_str())).collect()),
    );
    item.insert(keys::GSI1PK.into(), s(keys::widgets_gsi_pk(&widget.tenant)));
    item.insert(keys::GSI1SK.into(), s(widget.id.as_str()));
    item
}

fn widget_key(id: &str) -> Item {
    DynamoStore::key(keys::widget_pk_raw(id), keys::WIDGET_SK)
}

impl DynamoStore {
    async fn put_widget_if(&self, widget: &Widget, condition: &str) -> StoreResult<bool> {
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(widget_item(widget)))
            .condition_expression(condition);
        if condition.contains(":tenant") {
            put = put.expression_attribute_values(":tenant", s(widget.tenant.as_str()));
        }
        match put.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }
}

#[async_trait]
impl WidgetStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %widget.tenant, widget = %widget.id))]
    async fn create_widget(&self, widget: &Widget) -> StoreResult<bool> {
        self.put_widget_if(widget, "attribute_not_exists(PK)").await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %widget.tenant, widget = %widget.id))]
    async fn replace_widget(&self, widget: &Widget) -> StoreResult<bool> {
        self.put_widget_if(widget, "tenant = :tenant").await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %id))]
    async fn delete_widget(&self, tenant: &TenantId, id: &WidgetId) -> StoreResult<Option<Widget>> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(widget_key(id.as_str())))
            .condition_expression("tenant = :tenant")
            .expression_attribute_values(":tenant", s(tenant.as_str()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => out.attributes.map(|i| widget_from(&i)).transpose(),
            Err(e) if is_conditional_failure(&e) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn widgets(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Widget>> {
        let listing = Listing::Gsi1 {
            pk: keys::widgets_gsi_pk(tenant),
            table_key: &widget_key,
        };
        let (items, next) = self.query_page(listing, after, limit, false).await?;
        let items = items
            .iter()
            .map(widget_from)
            .collect::<StoreResult<Vec<Widget>>>()?;
        Ok(Page { items, next })
    }
}
