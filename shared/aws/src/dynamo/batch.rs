//! Reading several items in one round trip (`BatchGetItem`), strongly
//! consistent, for a change that needs more than one item's state at once.

use super::item::Item;
use super::{backend, backoff, keys, DynamoStore, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use std::collections::HashMap;
use switchboard_app::ports::{StoreError, StoreResult};

/// `BatchGetItem` takes at most this many keys.
const BATCH_KEYS: usize = 100;

fn key_of(item: &Item) -> Option<(String, String)> {
    match (item.get(keys::PK), item.get(keys::SK)) {
        (Some(AttributeValue::S(pk)), Some(AttributeValue::S(sk))) => {
            Some((pk.clone(), sk.clone()))
        }
        _ => None,
    }
}

impl DynamoStore {
    /// The items under `wanted`, in the same order, None where there is none.
    /// Keys the service leaves unprocessed (throttling) are asked again.
    pub(crate) async fn batch_get(&self, wanted: &[Item]) -> StoreResult<Vec<Option<Item>>> {
        let mut found: HashMap<(String, String), Item> = HashMap::new();
        for chunk in wanted.chunks(BATCH_KEYS) {
            let mut pending = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(true)
                    .build()
                    .map_err(|e| StoreError::backend("building a batch read", e))?,
            );
            let mut attempt = 0;
            while let Some(request) = pending.take() {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(backend)?;
                for item in out
                    .responses
                    .and_then(|mut r| r.remove(&self.table))
                    .unwrap_or_default()
                {
                    if let Some(key) = key_of(&item) {
                        found.insert(key, item);
                    }
                }
                pending = out
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                    .filter(|k| !k.keys().is_empty());
                if pending.is_some() {
                    attempt += 1;
                    if attempt >= MAX_ATTEMPTS {
                        return Err(StoreError::Contention(MAX_ATTEMPTS));
                    }
                    backoff(attempt).await;
                }
            }
        }
        Ok(wanted
            .iter()
            .map(|k| key_of(k).and_then(|k| found.get(&k).cloned()))
            .collect())
    }
}
