//! Frames through the dispatcher and every action's use case, on the embedded
//! store, from a visitor and from an admin operator. Pushes go nowhere; what
//! matters is that no frame panics or wedges the process.
#![no_main]
use async_trait::async_trait;
use libfuzzer_sys::fuzz_target;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::{Clock, IdGen, Push, PushError};
use switchboard_app::{AdapterSet, ConnectRequest, Connector, Frames};
use switchboard_domain::*;
use switchboard_embedded::{LocalChannelBus, LocalQueue, SqliteStore};

struct Nowhere;

#[async_trait]
impl Push for Nowhere {
    async fn send(&self, _: &ConnectionId, _: &[u8]) -> Result<(), PushError> {
        Ok(())
    }
    async fn close(&self, _: &ConnectionId) -> Result<(), PushError> {
        Ok(())
    }
}

struct Fixed;
impl Clock for Fixed {
    fn now(&self) -> Timestamp {
        Timestamp(1_800_000_000_000)
    }
}

#[derive(Default)]
struct Counter(AtomicU64);
impl IdGen for Counter {
    fn new_id(&self, prefix: &str) -> String {
        format!("{prefix}_{}", self.0.fetch_add(1, Ordering::Relaxed))
    }
}

struct World {
    runtime: tokio::runtime::Runtime,
    frames: Frames,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let store = match SqliteStore::in_memory() {
            Ok(s) => Arc::new(s),
            Err(e) => panic!("{e}"),
        };
        let queue = || Arc::new(LocalQueue::new(Duration::from_secs(30), 5));
        let channels = Arc::new(LocalChannelBus {
            inbound: queue(),
            outbound: queue(),
        });
        let adapters = AdapterSet::with_store(
            store.clone(),
            queue(),
            queue(),
            channels.clone(),
            channels,
            {
                let (queue, mailer) = (queue(), std::sync::Arc::new(switchboard_embedded::OutboxMailer::new(std::env::temp_dir().join("switchboard-fuzz-outbox"))));
                (queue as std::sync::Arc<dyn switchboard_app::ports::MailBus>, mailer as std::sync::Arc<dyn switchboard_app::ports::Mailer>)
            },
            Arc::new(Nowhere),
            Arc::new(Fixed),
            Arc::new(Counter::default()),
        );
        let tokens = match TokenService::new(vec![9u8; 32]) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        let tenant = TenantId::parse("fuzz").ok();
        let widget = WidgetId::parse("fuzz-widget").ok();
        let operator = OperatorId::parse("ops").ok();
        let connector = Connector::build(&adapters, tokens.clone());
        runtime.block_on(async {
            use switchboard_app::ports::DirectoryStore;
            let (Some(tenant), Some(widget), Some(operator)) = (tenant, widget, operator) else {
                panic!("ids");
            };
            let _ = store
                .put_tenant(&Tenant {
                    id: tenant.clone(),
                    name: "Fuzz".into(),
                    settings: TenantSettings::default(),
                })
                .await;
            let _ = store
                .put_widget(&Widget {
                    group: None,
                    offline_email: None,
                    id: widget.clone(),
                    tenant: tenant.clone(),
                    name: "Fuzz".into(),
                })
                .await;
            let token = tokens
                .issue_operator(
                    &tenant,
                    &operator,
                    "Ops",
                    &[Role::Operator, Role::Admin],
                    Timestamp(1_900_000_000_000),
                )
                .unwrap_or_default();
            let _ = connector
                .connect(ConnectRequest {
                    connection_id: "operator".into(),
                    token: Some(token),
                    ..ConnectRequest::default()
                })
                .await;
            let _ = connector
                .connect(ConnectRequest {
                    connection_id: "visitor".into(),
                    widget_id: Some(widget.to_string()),
                    ..ConnectRequest::default()
                })
                .await;
        });
        World {
            runtime,
            frames: Frames::build(&adapters, tokens),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let w = world();
    w.runtime.block_on(async {
        let _ = w.frames.handle_frame("visitor", text).await;
        let _ = w.frames.handle_frame("operator", text).await;
    });
});
