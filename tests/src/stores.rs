//! The two store implementations under test. DynamoDB runs on a moto server,
//! which `scripts/test` installs and starts; without it these tests fail loudly.

use std::sync::Arc;
use switchboard_app::Store;
use switchboard_aws::dynamo::schema::create_table;
use switchboard_aws::DynamoStore;
use switchboard_embedded::SqliteStore;

pub const MOTO_ENV: &str = "SWITCHBOARD_MOTO_ENDPOINT";

pub fn embedded() -> Arc<dyn Store> {
    Arc::new(SqliteStore::in_memory().expect("in-memory sqlite"))
}

pub fn moto_endpoint() -> String {
    match std::env::var(MOTO_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "DynamoDB tests need a moto server and {MOTO_ENV} is not set.\n\
             Run the whole suite with `scripts/test`, which installs and starts moto, or start it yourself:\n\
             \x20 pip install 'moto[server]' && moto_server -H 127.0.0.1 -p 5000\n\
             \x20 {MOTO_ENV}=http://127.0.0.1:5000 cargo test"
        ),
    }
}

pub async fn moto_sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(switchboard_aws::sdk_http_client())
        .endpoint_url(moto_endpoint())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .load()
        .await
}

/// A fresh table on moto for one test.
pub async fn dynamodb() -> DynamoStore {
    let sdk = moto_sdk_config().await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let table = format!("switchboard-test-{}", ulid_like());
    create_table(&client, &table)
        .await
        .unwrap_or_else(|e| panic!("cannot create table on moto at {}: {e}", moto_endpoint()));
    DynamoStore::new(client, table)
}

fn ulid_like() -> String {
    let n: u64 = rand::random();
    format!("{n:016x}")
}
