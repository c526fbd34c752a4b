//! Browsing history: one item per visitor beside their tags,
//! `T#{t}#VIS#{v}` / `PAGES`, whose `views` list is appended to in one
//! UpdateItem. When it has grown [`TRIM_EVERY`] past what is kept, the
//! oldest are removed under a condition on its size, so a concurrent
//! append is never the one removed: about 1.1 writes per page view.

use super::conversation_record::to_attribute;
use super::item::Item;
use super::{backend, is_conditional_failure, keys, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use switchboard_app::ports::{BrowsingHistory, StoreError, StoreResult};
use switchboard_domain::workspace::PageView;
use switchboard_domain::{TenantId, VisitorId};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &["dynamodb:GetItem", "dynamodb:UpdateItem"];

const PAGES_SK: &str = "PAGES";
/// How far past [`PageView::KEPT`] the list may grow before it is trimmed.
const TRIM_EVERY: usize = 10;

fn views_of(item: &Item) -> StoreResult<Vec<PageView>> {
    match item.get("views") {
        None => Ok(Vec::new()),
        Some(value) => serde_dynamo::from_attribute_value(value.clone())
            .map_err(|e| StoreError::Corrupt(format!("page views: {e}"))),
    }
}

#[async_trait]
impl BrowsingHistory for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn record_page_view(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        view: &PageView,
    ) -> StoreResult<()> {
        let key = Self::key(keys::visitor_pk(tenant, visitor), PAGES_SK);
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key.clone()))
            .update_expression("SET #views = list_append(if_not_exists(#views, :empty), :new)")
            .expression_attribute_names("#views", "views")
            .expression_attribute_values(":empty", AttributeValue::L(Vec::new()))
            .expression_attribute_values(":new", AttributeValue::L(vec![to_attribute(view)?]))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(backend)?;
        let length = match out.attributes.as_ref().and_then(|a| a.get("views")) {
            Some(AttributeValue::L(list)) => list.len(),
            _ => 0,
        };
        if length < PageView::KEPT + TRIM_EVERY {
            return Ok(());
        }
        let excess = length - PageView::KEPT;
        let remove = (0..excess)
            .map(|i| format!("#views[{i}]"))
            .collect::<Vec<_>>()
            .join(", ");
        let trimmed = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .update_expression(format!("REMOVE {remove}"))
            .condition_expression("size(#views) = :length")
            .expression_attribute_names("#views", "views")
            .expression_attribute_values(":length", AttributeValue::N(length.to_string()))
            .send()
            .await;
        match trimmed {
            // Someone appended meanwhile: the next append trims.
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
            Ok(_) => Ok(()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn page_views(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Vec<PageView>> {
        let item = self
            .get(Self::key(keys::visitor_pk(tenant, visitor), PAGES_SK))
            .await?;
        let mut views = match item {
            Some(item) => views_of(&item)?,
            None => Vec::new(),
        };
        views.reverse();
        views.truncate(PageView::KEPT);
        Ok(views)
    }
}
