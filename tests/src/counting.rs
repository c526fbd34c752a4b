//! Counting what an action costs: every DynamoDB operation the real adapters
//! issue (seen by an SDK interceptor, so nothing in the adapters is bent for
//! the count), every queue message and every push.

use aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsInput;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use switchboard_aws::dynamo::schema::create_table;
use switchboard_aws::DynamoStore;

/// One DynamoDB operation as issued: its name and, for a transaction, how
/// many items it writes (each costs two write units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub operation: String,
    pub items: usize,
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
        let items = context
            .input()
            .downcast_ref::<TransactWriteItemsInput>()
            .and_then(|t| t.transact_items.as_ref().map(Vec::len))
            .unwrap_or(1);
        (self.0)
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Call { operation, items });
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
