//! AWS adapters (DynamoDB store, SQS bus, API Gateway push) and the start-up
//! wiring shared by every Lambda function.

pub mod apigw;
pub mod config;
pub mod dynamo;
pub mod http;
pub mod lambda;
pub mod sqs;

pub use apigw::ApiGatewayPush;
pub use config::{Config, ConfigError};
pub use dynamo::DynamoStore;
pub use http::ReqwestTransport;
pub use sqs::{SqsBus, SqsChannelBus};

use std::sync::Arc;
use std::time::Duration;
use switchboard_app::{App, ChannelGateway, RetryPolicy, SystemClock, UlidIds};

/// Builds the application with AWS adapters. Clients are created once here, per
/// execution environment, and reused by every invocation.
pub async fn build_app(config: Config) -> App {
    let sdk = aws_config::load_from_env().await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk), config.table_name);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let bus = SqsBus::new(sqs.clone(), config.queue_events_url);
    let channels = SqsChannelBus::new(sqs, config.channel_inbound_url, config.channel_outbound_url);
    let push = ApiGatewayPush::new(&sdk, &config.ws_callback_url);
    App {
        store: Arc::new(store),
        bus: Arc::new(bus),
        channels: Arc::new(channels),
        push: Arc::new(push),
        clock: Arc::new(SystemClock),
        ids: Arc::new(UlidIds),
        tokens: config.tokens,
    }
}

/// Start-up for every function: JSON logs (honouring Lambda's log settings),
/// configuration, and the app. A bad configuration ends the process here.
pub async fn init() -> Result<App, lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env().map_err(|e| {
        tracing::error!(error = %e, "invalid configuration");
        e
    })?;
    Ok(build_app(config).await)
}

/// Start-up for the channel functions (webhook, inbound consumer, sender):
/// the app plus the channels document and an HTTP client for providers.
pub async fn init_channels() -> Result<ChannelGateway, lambda_runtime::Error> {
    let app = init().await?;
    let config = config::channels_from_env().map_err(|e| {
        tracing::error!(error = %e, "invalid channels configuration");
        e
    })?;
    // Below the sender's Lambda timeout, so a hung provider is a retry, not a kill.
    let http = ReqwestTransport::new(Duration::from_secs(10))?;
    Ok(ChannelGateway {
        app,
        config: Arc::new(config),
        http: Arc::new(http),
        retry: RetryPolicy::default(),
    })
}
