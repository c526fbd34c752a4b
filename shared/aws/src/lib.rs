//! AWS adapters (DynamoDB store, SQS bus, API Gateway push) and the start-up
//! wiring shared by every Lambda function.

pub mod apigw;
pub mod config;
pub mod dynamo;
pub mod http;
pub mod iam;
pub mod lambda;
pub mod secrets;
pub mod ses;
pub mod sqs;

pub use apigw::ApiGatewayPush;
pub use config::{Config, ConfigError, SigningKeySource};
pub use dynamo::DynamoStore;
pub use http::ReqwestTransport;
pub use sqs::{SqsBus, SqsChannelBus};

use std::sync::{Arc, OnceLock};
use std::time::Duration;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::{
    AccountStore, AssignBus, AuditLog, CardBus, CardStore, ChannelAccountStore,
    ChannelAccountWriter, Clock, ConnectionRegistry, ContactStore, ConversationStore,
    DeliveryStore, DirectoryStore, HttpTransport, IdGen, InboundBus, InvitationStore, MailBus,
    Mailer, MessageStore, OfflineStore, OutboundBus, Push, QueueBus, RoutingStore, SecretWriter,
    Secrets, SessionStore, WidgetStore,
};
use switchboard_app::ports::{
    BrowsingHistory, ContactInfoStore, ReportStore, TextBlockStore, UniteStore,
};
use switchboard_app::{Adapters, SystemClock, UlidIds};

/// The AWS side of [`Adapters`]: each client is built on the first request for
/// a port that needs it, once per execution environment, so a function builds
/// only the clients its use cases take.
pub struct AwsAdapters {
    sdk: aws_config::SdkConfig,
    config: Config,
    store: OnceLock<Arc<DynamoStore>>,
    sqs: OnceLock<aws_sdk_sqs::Client>,
    push: OnceLock<Arc<ApiGatewayPush>>,
}

impl AwsAdapters {
    pub fn new(sdk: aws_config::SdkConfig, config: Config) -> Self {
        AwsAdapters {
            sdk,
            config,
            store: OnceLock::new(),
            sqs: OnceLock::new(),
            push: OnceLock::new(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    fn store(&self) -> Arc<DynamoStore> {
        self.store
            .get_or_init(|| {
                Arc::new(DynamoStore::new(
                    aws_sdk_dynamodb::Client::new(&self.sdk),
                    self.config.table_name.clone(),
                ))
            })
            .clone()
    }

    fn sqs(&self) -> aws_sdk_sqs::Client {
        self.sqs
            .get_or_init(|| aws_sdk_sqs::Client::new(&self.sdk))
            .clone()
    }

    fn secrets_manager(&self) -> secrets::SecretsManager {
        secrets::SecretsManager::new(
            aws_sdk_secretsmanager::Client::new(&self.sdk),
            self.config.secrets_prefix.clone(),
        )
    }

    fn channel_bus(&self) -> SqsChannelBus {
        SqsChannelBus::new(
            self.sqs(),
            self.config.channel_inbound_url.clone(),
            self.config.channel_outbound_url.clone(),
        )
    }
}

impl Adapters for AwsAdapters {
    fn directory(&self) -> Arc<dyn DirectoryStore> {
        self.store()
    }
    fn routing(&self) -> Arc<dyn RoutingStore> {
        self.store()
    }
    fn invitations(&self) -> Arc<dyn InvitationStore> {
        self.store()
    }
    fn offline(&self) -> Arc<dyn OfflineStore> {
        self.store()
    }
    fn mail_bus(&self) -> Arc<dyn MailBus> {
        Arc::new(SqsBus::new(self.sqs(), self.config.mail_queue_url.clone()))
    }
    fn mailer(&self) -> Arc<dyn Mailer> {
        Arc::new(ses::SesMailer::new(
            aws_sdk_sesv2::Client::new(&self.sdk),
            self.config.mail_from.clone().unwrap_or_default(),
        ))
    }
    fn conversations(&self) -> Arc<dyn ConversationStore> {
        self.store()
    }
    fn messages(&self) -> Arc<dyn MessageStore> {
        self.store()
    }
    fn delivery(&self) -> Arc<dyn DeliveryStore> {
        self.store()
    }
    fn contacts(&self) -> Arc<dyn ContactStore> {
        self.store()
    }
    fn connections(&self) -> Arc<dyn ConnectionRegistry> {
        self.store()
    }
    fn cards(&self) -> Arc<dyn CardStore> {
        self.store()
    }
    fn accounts(&self) -> Arc<dyn AccountStore> {
        self.store()
    }
    fn sessions(&self) -> Arc<dyn SessionStore> {
        self.store()
    }
    fn audit(&self) -> Arc<dyn AuditLog> {
        self.store()
    }
    fn widgets(&self) -> Arc<dyn WidgetStore> {
        self.store()
    }
    fn text_blocks(&self) -> Arc<dyn TextBlockStore> {
        self.store()
    }
    fn contact_info(&self) -> Arc<dyn ContactInfoStore> {
        self.store()
    }
    fn browsing(&self) -> Arc<dyn BrowsingHistory> {
        self.store()
    }
    fn unite(&self) -> Arc<dyn UniteStore> {
        self.store()
    }
    fn reports(&self) -> Arc<dyn ReportStore> {
        self.store()
    }
    fn channel_accounts(&self) -> Arc<dyn ChannelAccountStore> {
        self.store()
    }
    fn channel_account_writer(&self) -> Arc<dyn ChannelAccountWriter> {
        self.store()
    }
    fn secrets(&self) -> Arc<dyn Secrets> {
        Arc::new(self.secrets_manager())
    }
    fn secret_writer(&self) -> Arc<dyn SecretWriter> {
        Arc::new(self.secrets_manager())
    }
    fn queue_bus(&self) -> Arc<dyn QueueBus> {
        Arc::new(SqsBus::new(
            self.sqs(),
            self.config.queue_events_url.clone(),
        ))
    }
    fn assign_bus(&self) -> Arc<dyn AssignBus> {
        Arc::new(SqsBus::new(
            self.sqs(),
            self.config.assign_queue_url.clone(),
        ))
    }
    fn inbound_bus(&self) -> Arc<dyn InboundBus> {
        Arc::new(self.channel_bus())
    }
    fn outbound_bus(&self) -> Arc<dyn OutboundBus> {
        Arc::new(self.channel_bus())
    }
    fn card_bus(&self) -> Arc<dyn CardBus> {
        Arc::new(SqsBus::new(
            self.sqs(),
            self.config.card_submissions_url.clone(),
        ))
    }
    fn push(&self) -> Arc<dyn Push> {
        self.push
            .get_or_init(|| Arc::new(ApiGatewayPush::new(&self.sdk, &self.config.ws_callback_url)))
            .clone()
    }
    fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }
    fn ids(&self) -> Arc<dyn IdGen> {
        Arc::new(UlidIds)
    }
}

/// Start-up for every function: JSON logs (honouring Lambda's log settings),
/// configuration, and the adapters. A bad configuration ends the process here.
pub async fn init() -> Result<AwsAdapters, lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env().map_err(|e| {
        tracing::error!(error = %e, "invalid configuration");
        e
    })?;
    Ok(AwsAdapters::new(sdk_config().await, config))
}

/// The HTTPS client every SDK client shares: hyper with rustls on ring. It is
/// the TLS stack and crypto provider reqwest uses for the providers' APIs, so
/// a function links one of each; and ring reads the OS's random source
/// directly, where AWS-LC spent about 50 ms seeding its generator on the
/// first handshake of every cold start.
pub fn sdk_http_client() -> aws_sdk_dynamodb::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The token signing key, for the functions that issue or check tokens: read
/// once per cold start from Secrets Manager (or given inline). Without it
/// the function stops here.
pub async fn init_tokens(
    aws: &AwsAdapters,
) -> Result<switchboard_app::auth::TokenService, lambda_runtime::Error> {
    let fail = |message: String| {
        tracing::error!(error = %message, "no token signing key");
        lambda_runtime::Error::from(message)
    };
    match &aws.config.signing_key {
        SigningKeySource::Inline(tokens) => Ok(tokens.clone()),
        SigningKeySource::Missing => Err(fail(
            "TOKEN_SIGNING_KEY_SECRET (or TOKEN_SIGNING_KEY) is required".into(),
        )),
        SigningKeySource::Secret(id) => {
            let client = aws_sdk_secretsmanager::Client::new(&aws.sdk);
            let value = client
                .get_secret_value()
                .secret_id(id)
                .send()
                .await
                .map_err(|e| {
                    fail(format!(
                        "reading the signing key {id}: {}",
                        switchboard_app::error::chain(&e)
                    ))
                })?
                .secret_string
                .ok_or_else(|| fail(format!("the signing key {id} has no string value")))?;
            switchboard_app::auth::TokenService::new(value.into_bytes())
                .map_err(|e| fail(format!("the signing key {id}: {e}")))
        }
    }
}

/// The SDK configuration from the environment, with [`sdk_http_client`].
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(sdk_http_client())
        .load()
        .await
}

/// The channels document, for the webhook and sender functions.
pub fn init_channels_config() -> Result<Arc<ChannelsConfig>, lambda_runtime::Error> {
    let config = config::channels_from_env().map_err(|e| {
        tracing::error!(error = %e, "invalid channels configuration");
        e
    })?;
    Ok(Arc::new(config))
}

/// The HTTP client for providers' APIs, for the sender.
pub fn init_http() -> Result<Arc<dyn HttpTransport>, lambda_runtime::Error> {
    // Below the sender's Lambda timeout, so a hung provider is a retry, not a kill.
    Ok(Arc::new(ReqwestTransport::new(Duration::from_secs(10))?))
}
