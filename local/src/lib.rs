//! The local stack: everything Switchboard runs on AWS, on 127.0.0.1 with nothing
//! but cargo. The Lambda handlers are the same crates the functions deploy; what
//! stands in for AWS is a WebSocket gateway with API Gateway's semantics, the
//! embedded SQLite store and an in-process queue with SQS-like redelivery.

mod gateway;
mod queue_runner;
pub mod seed;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use switchboard_app::ports::Clock;
use switchboard_app::{App, IdGen, SystemClock, UlidIds};
use switchboard_aws::ApiGatewayPush;
use switchboard_embedded::{LocalQueue, SqliteStore};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use seed::Seed;

/// The stage name in URLs, as API Gateway has one.
pub const STAGE: &str = "local";

#[derive(Clone)]
pub struct Options {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// How long a received queue message stays invisible before redelivery.
    pub queue_visibility: Duration,
}

impl Options {
    pub fn new(bind: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            bind,
            data_dir,
            clock: Arc::new(SystemClock),
            ids: Arc::new(UlidIds),
            queue_visibility: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("data directory: {0}")]
    DataDir(String),
    #[error("store: {0}")]
    Store(#[from] switchboard_app::ports::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Token(String),
}

/// A running local stack. Dropping it does not stop it; call [`Running::stop`].
pub struct Running {
    pub addr: SocketAddr,
    pub seed: Seed,
    pub app: App,
    pub queue: Arc<LocalQueue>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/{STAGE}", self.addr)
    }

    pub fn callback_url(&self) -> String {
        format!("http://{}/{STAGE}", self.addr)
    }

    /// Closes every connection (each gets its `$disconnect`) and stops serving.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Starts the gateway, the queue consumer and the store; seeds a demo tenant
/// on a fresh data directory.
pub async fn start(options: Options) -> Result<Running, StartError> {
    std::fs::create_dir_all(&options.data_dir).map_err(|e| StartError::DataDir(e.to_string()))?;
    let store = Arc::new(SqliteStore::open(&options.data_dir)?);
    let tokens = seed::signing_key(&options.data_dir)?;
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .map_err(|source| StartError::Bind {
            addr: options.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: options.bind,
        source,
    })?;
    let queue = Arc::new(LocalQueue::new(options.queue_visibility, 5));
    // Pushes go through the real API Gateway adapter, over HTTP, to this gateway's
    // own @connections endpoint: the same code path as on AWS.
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "local",
            "local",
            None,
            None,
            "switchboard-local",
        ))
        .load()
        .await;
    let push = ApiGatewayPush::new(&sdk, &format!("http://{addr}/{STAGE}"));
    let app = App {
        store: store.clone(),
        bus: queue.clone(),
        push: Arc::new(push),
        clock: options.clock.clone(),
        ids: options.ids.clone(),
        tokens,
    };
    let seed = seed::ensure_demo(&app).await?;

    let (shutdown, stop_rx) = watch::channel(false);
    let gateway = gateway::Gateway::new(app.clone());
    let server = tokio::spawn(gateway.serve(listener, stop_rx.clone()));
    let consumer = tokio::spawn(queue_runner::run(app.clone(), queue.clone(), stop_rx));
    Ok(Running {
        addr,
        seed,
        app,
        queue,
        shutdown,
        tasks: vec![server, consumer],
    })
}
