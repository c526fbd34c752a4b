//! The local stack: everything Switchboard runs on AWS, on 127.0.0.1 with nothing
//! but cargo. The Lambda handlers are the same crates the functions deploy; what
//! stands in for AWS is a WebSocket gateway with API Gateway's semantics, the
//! embedded SQLite store and an in-process queue with SQS-like redelivery.

pub mod bootstrap;
pub mod channels;
mod functions;
mod gateway;
mod http_api;
pub mod live;
mod queue_runner;
pub mod seed;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::{Clock, HttpTransport, Mailer};
use switchboard_app::usecases::admin::Passwords;
use switchboard_app::{AdapterSet, Assigner, IdGen, RetryPolicy, SystemClock, UlidIds};
use switchboard_aws::ReqwestTransport;
use switchboard_embedded::{
    FileSecrets, LocalChannelBus, LocalQueue, OutboxMailer, SmtpMailer, SqliteStore,
};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use functions::Functions;
pub use live::{InProcessPush, LiveConnections};
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
    /// Channel secrets and account bindings; None reads (or on first start
    /// writes) `channels.json` in the data directory.
    pub channels: Option<ChannelsConfig>,
    pub retry: RetryPolicy,
    /// How often the assignment sweep runs (EventBridge's schedule on AWS);
    /// None: never, for tests that drive it themselves.
    pub sweep_every: Option<Duration>,
    /// An SMTP server (host, port) for offline forms; None: `.eml` files in
    /// the data directory's `outbox`.
    pub smtp: Option<(String, u16)>,
    /// How passwords are hashed; None: argon2id as on AWS.
    pub passwords: Option<Passwords>,
}

impl Options {
    pub fn new(bind: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            bind,
            data_dir,
            clock: Arc::new(SystemClock),
            ids: Arc::new(UlidIds),
            queue_visibility: Duration::from_secs(30),
            channels: None,
            retry: RetryPolicy::default(),
            sweep_every: Some(Duration::from_secs(30)),
            smtp: None,
            passwords: None,
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
    #[error("{0}")]
    Channels(String),
}

/// A running local stack. Dropping it does not stop it; call [`Running::stop`].
pub struct Running {
    pub addr: SocketAddr,
    pub seed: Seed,
    /// Every port, as the functions are given them.
    pub adapters: AdapterSet,
    /// The store behind every storage port, for tests and tools.
    pub store: Arc<SqliteStore>,
    pub tokens: TokenService,
    pub functions: Functions,
    pub queue: Arc<LocalQueue>,
    /// Triggers for the queue-assignment function.
    pub assign: Arc<LocalQueue>,
    /// Offline requests waiting for the mail function.
    pub mail: Arc<LocalQueue>,
    /// Normalized webhook events waiting for the inbound consumer.
    pub inbound: Arc<LocalQueue>,
    /// Operators' channel messages waiting for the sender.
    pub outbound: Arc<LocalQueue>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/{STAGE}", self.addr)
    }

    /// Base of the HTTP routes (`/webhooks/...`), as the HTTP API's default stage.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Resolves once every queue is drained: webhook events ingested, sends
    /// done, queue changes fanned out.
    pub async fn settled(&self) {
        loop {
            self.inbound.idle().await;
            self.outbound.idle().await;
            self.assign.idle().await;
            self.mail.idle().await;
            self.queue.idle().await;
            if self.inbound.pending()
                + self.outbound.pending()
                + self.assign.pending()
                + self.mail.pending()
                + self.queue.pending()
                == 0
            {
                return;
            }
        }
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
    let assign = Arc::new(LocalQueue::new(options.queue_visibility, 5));
    let mail = Arc::new(LocalQueue::new(options.queue_visibility, 5));
    let mailer: Arc<dyn Mailer> = match &options.smtp {
        Some((host, port)) => Arc::new(SmtpMailer::new(host, *port)),
        None => Arc::new(OutboxMailer::new(options.data_dir.join("outbox"))),
    };
    let channel_bus = LocalChannelBus {
        inbound: Arc::new(LocalQueue::new(options.queue_visibility, 5)),
        outbound: Arc::new(LocalQueue::new(
            options.queue_visibility,
            options.retry.max_receives,
        )),
        cards: Arc::new(LocalQueue::new(options.queue_visibility, 5)),
    };
    let channels_config = match options.channels.clone() {
        Some(c) => c,
        None => channels::load_or_create(&options.data_dir)?,
    };
    // Pushes reach the gateway's sockets in-process, through the same port the
    // API Gateway adapter implements; `@connections` is served as well, and
    // `tests/tests/gateway_push.rs` holds that adapter to it.
    let live = Arc::new(LiveConnections::default());
    let push = InProcessPush::new(live.clone());
    let adapters = AdapterSet::with_store(
        store.clone(),
        queue.clone(),
        assign.clone(),
        Arc::new(channel_bus.clone()),
        (mail.clone(), mailer),
        Arc::new(push),
        options.clock.clone(),
        options.ids.clone(),
        {
            let secrets = Arc::new(FileSecrets::new(options.data_dir.join("secrets")));
            (secrets.clone(), secrets)
        },
    );
    let passwords = match options.passwords.clone() {
        Some(p) => p,
        None => Passwords::recommended().map_err(|e| StartError::Token(e.to_string()))?,
    };
    let seed = seed::ensure_demo(
        store.as_ref(),
        &tokens,
        &passwords,
        &options.data_dir,
        options.clock.now(),
    )
    .await?;

    let http: Arc<dyn HttpTransport> = Arc::new(
        ReqwestTransport::new(Duration::from_secs(10))
            .map_err(|e| StartError::Channels(switchboard_app::error::chain(&e)))?,
    );
    let functions = Functions::wire(
        &adapters,
        &tokens,
        Arc::new(channels_config),
        http,
        options.retry,
        Some(format!("http://{addr}")),
        passwords,
    );

    let (shutdown, stop_rx) = watch::channel(false);
    let gateway = gateway::Gateway::new(functions.clone(), live);
    let server = tokio::spawn(gateway.serve(listener, stop_rx.clone()));
    let fanout_uc = functions.fanout.clone();
    let fanout = tokio::spawn(queue_runner::run(
        queue.clone(),
        stop_rx.clone(),
        queue_runner::Batching::QUEUE_EVENTS,
        move |e| {
            let fanout = fanout_uc.clone();
            async move { queue_fanout::handle(&fanout, e).await }
        },
    ));
    let ingest_uc = functions.inbound.clone();
    let inbound = tokio::spawn(queue_runner::run(
        channel_bus.inbound.clone(),
        stop_rx.clone(),
        queue_runner::Batching::FIFO,
        move |e| {
            let ingest = ingest_uc.clone();
            async move { channel_inbound::handle(&ingest, e).await }
        },
    ));
    let mail_uc = functions.mail.clone();
    let mailing = tokio::spawn(queue_runner::run(
        mail.clone(),
        stop_rx.clone(),
        queue_runner::Batching::FIFO,
        move |e| {
            let mail = mail_uc.clone();
            async move { offline_mail::handle(&mail, e).await }
        },
    ));
    let assign_uc = functions.assign.clone();
    let assigner = tokio::spawn(queue_runner::run(
        assign.clone(),
        stop_rx.clone(),
        queue_runner::Batching::ASSIGN,
        move |e| {
            let assign = assign_uc.clone();
            async move { queue_assign::handle_batch(&assign, e).await }
        },
    ));
    let sweep = tokio::spawn(sweep_timer(
        functions.assign.clone(),
        options.sweep_every,
        stop_rx.clone(),
    ));
    let cards_uc = functions.cards.clone();
    let card_answers = tokio::spawn(queue_runner::run(
        channel_bus.cards.clone(),
        stop_rx.clone(),
        queue_runner::Batching::FIFO,
        move |e| {
            let cards = cards_uc.clone();
            async move { hero_card_submit::handle_batch(&cards, e).await }
        },
    ));
    let sender_uc = functions.sender.clone();
    let sender = tokio::spawn(queue_runner::run(
        channel_bus.outbound.clone(),
        stop_rx,
        queue_runner::Batching::FIFO,
        move |e| {
            let sender = sender_uc.clone();
            async move { channel_sender::handle(&sender, e).await }
        },
    ));
    Ok(Running {
        addr,
        seed,
        adapters,
        store,
        tokens,
        functions,
        queue,
        assign,
        mail,
        inbound: channel_bus.inbound,
        outbound: channel_bus.outbound,
        shutdown,
        tasks: vec![
            server,
            fanout,
            assigner,
            sweep,
            mailing,
            inbound,
            sender,
            card_answers,
        ],
    })
}

/// The schedule that, on AWS, invokes the queue-assignment function's sweep.
async fn sweep_timer(assigner: Assigner, every: Option<Duration>, mut stop: watch::Receiver<bool>) {
    let Some(every) = every else {
        return;
    };
    // The first sweep one period after start, as a schedule's would be.
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                if let Err(e) = assigner.sweep().await {
                    tracing::error!(error = %switchboard_app::error::chain(&e), "sweep failed");
                }
            }
            _ = stop.changed() => return,
        }
    }
}
