//! One page of a partition or of an index partition, for the admin listings:
//! the cursor a caller hands back is the last item's id, from which the
//! exclusive start key is rebuilt.

use super::item::Item;
use super::{backend, keys, DynamoStore};
use aws_sdk_dynamodb::types::AttributeValue;
use switchboard_app::ports::StoreResult;

/// Where a listing reads: a table partition whose sort keys are
/// `{prefix}{id}`, or a GSI1 partition whose sort keys are `{id}` (whose
/// items' table keys `table_key` rebuilds from an id).
pub(crate) enum Listing<'a> {
    Partition {
        pk: String,
        prefix: &'a str,
    },
    Gsi1 {
        pk: String,
        table_key: &'a (dyn Fn(&str) -> Item + Sync),
    },
}

impl DynamoStore {
    /// Up to `limit` items after the id `after`, in id order (or reverse),
    /// and the id to continue from if the read stopped short of the end.
    pub(crate) async fn query_page(
        &self,
        listing: Listing<'_>,
        after: Option<&str>,
        limit: usize,
        newest_first: bool,
    ) -> StoreResult<(Vec<Item>, Option<String>)> {
        let limit = i32::try_from(limit.clamp(1, 1000)).unwrap_or(1000);
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .limit(limit)
            .scan_index_forward(!newest_first);
        // Where the id a cursor carries sits in an item: its sort key
        // after the prefix, or its GSI1 sort key.
        let (query, id_attr, prefix) = match listing {
            Listing::Partition { pk, prefix } => {
                let start = after.map(|id| Self::key(pk.clone(), format!("{prefix}{id}")));
                let q = query
                    .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                    .expression_attribute_values(":pk", AttributeValue::S(pk))
                    .expression_attribute_values(":prefix", AttributeValue::S(prefix.into()))
                    .consistent_read(true)
                    .set_exclusive_start_key(start);
                (q, keys::SK, prefix)
            }
            Listing::Gsi1 { pk, table_key } => {
                let start = after.map(|id| {
                    let mut key = table_key(id);
                    key.insert(keys::GSI1PK.into(), AttributeValue::S(pk.clone()));
                    key.insert(keys::GSI1SK.into(), AttributeValue::S(id.to_string()));
                    key
                });
                let q = query
                    .index_name(keys::GSI1)
                    .key_condition_expression("GSI1PK = :pk")
                    .expression_attribute_values(":pk", AttributeValue::S(pk))
                    .set_exclusive_start_key(start);
                (q, keys::GSI1SK, "")
            }
        };
        let out = query.send().await.map_err(backend)?;
        let items = out.items.unwrap_or_default();
        let next = match out.last_evaluated_key {
            Some(_) => items
                .last()
                .and_then(|item| item.get(id_attr))
                .and_then(|v| v.as_s().ok())
                .and_then(|sk| sk.strip_prefix(prefix))
                .map(str::to_string),
            None => None,
        };
        Ok((items, next))
    }
}
