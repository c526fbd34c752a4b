//! Counting what an action costs: every DynamoDB operation the real adapters
//! issue (seen by an SDK interceptor, so nothing in the adapters is bent for
//! the count), every queue message and every push.

use aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemInput;
use aws_sdk_dynamodb::operation::get_item::GetItemInput;
use aws_sdk_dynamodb::operation::query::QueryInput;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use switchboard_aws::dynamo::schema::create_table;
use switchboard_aws::DynamoStore;

/// One DynamoDB operation as issued: its name, how many items it names (a
/// transaction's writes, a batch's keys), and whether it reads strongly
/// consistently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub operation: String,
    pub items: usize,
    pub consistent: bool,
}

impl Call {
    /// On-demand request units, for items under 1 KB written and 4 KB read
    /// (the sizes here: a conversation's META is the largest, under 2 KB with
    /// its sessions): (read units, write units). A strongly consistent read
    /// is one unit, an eventual one half; a transaction's write is two. Writes
    /// that also update a GSI cost one more unit there, not counted here.
    pub fn units(&self) -> (f64, f64) {
        let read = if self.consistent { 1.0 } else { 0.5 };
        match self.operation.as_str() {
            "GetItem" | "Query" => (read, 0.0),
            "BatchGetItem" => (read * self.items as f64, 0.0),
            "TransactWriteItems" => (0.0, 2.0 * self.items as f64),
            "PutItem" | "UpdateItem" | "DeleteItem" => (0.0, 1.0),
            _ => (0.0, 0.0),
        }
    }
}

/// Shared log of the operations a DynamoDB client issued.
#[derive(Debug, Clone, Default)]
pub struct DynamoCalls(Arc<Mutex<Vec<Call>>>);

impl DynamoCalls {
    /// The calls since the last `take`, and starts a new count.
    pub fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// "3 (GetItem 1, Query 1, TransactWriteItems 1)".
pub fn summary(calls: &[Call]) -> String {
    let mut by_op: BTreeMap<&str, usize> = BTreeMap::new();
    for c in calls {
        *by_op.entry(c.operation.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = by_op.iter().map(|(op, n)| format!("{op} {n}")).collect();
    format!("{} ({})", calls.len(), parts.join(", "))
}

#[derive(Debug)]
struct Recorder(DynamoCalls);

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "CallRecorder"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let operation = cfg
            .load::<Metadata>()
            .map(|m| m.name().to_string())
            .unwrap_or_else(|| "unknown".into());
        let input = context.input();
        let (items, consistent) = if let Some(t) = input.downcast_ref::<TransactWriteItemsInput>() {
            (t.transact_items.as_ref().map_or(0, Vec::len), false)
        } else if let Some(b) = input.downcast_ref::<BatchGetItemInput>() {
            let tables = b.request_items.as_ref();
            let keys = tables.map_or(0, |t| t.values().map(|k| k.keys().len()).sum());
            let consistent =
                tables.is_some_and(|t| t.values().all(|k| k.consistent_read() == Some(true)));
            (keys, consistent)
        } else if let Some(g) = input.downcast_ref::<GetItemInput>() {
            (1, g.consistent_read() == Some(true))
        } else if let Some(q) = input.downcast_ref::<QueryInput>() {
            (1, q.consistent_read() == Some(true))
        } else {
            (1, false)
        };
        (self.0)
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Call {
                operation,
                items,
                consistent,
            });
        Ok(())
    }
}

/// A fresh table on moto behind a client whose every call is recorded.
pub async fn counted_dynamodb() -> (DynamoStore, DynamoCalls) {
    let sdk = crate::stores::moto_sdk_config().await;
    let calls = DynamoCalls::default();
    let config = aws_sdk_dynamodb::config::Builder::from(&sdk)
        .interceptor(Recorder(calls.clone()))
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let table = format!("switchboard-count-{:016x}", rand::random::<u64>());
    create_table(&client, &table)
        .await
        .unwrap_or_else(|e| panic!("cannot create table on moto: {e}"));
    calls.take();
    (DynamoStore::new(client, table), calls)
}
