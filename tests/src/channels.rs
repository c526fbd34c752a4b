//! Channel test support: the reference webhook vectors, a gateway over the
//! embedded store with recording fakes, and signing helpers.

use crate::fakes::{FixedClock, RecordingChannelBus, RecordingPush, ScriptedHttp, SequentialIds};
use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use base64::Engine;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::{AdapterSet, RetryPolicy, Store};
use switchboard_domain::{
    Capacity, Tenant, TenantId, TenantSettings, Widget, WidgetEntry, WidgetId,
};
use switchboard_embedded::{LocalQueue, SqliteStore};
use switchboard_local::Functions;

pub const META_APP_SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const APPLE_MSP_ID: &str = "6f1c2a9e-4b7d-4e3a-9d21-5a8c0f3e7b14";
pub const APPLE_SECRET_B64: &str = "b21uaS10ZXN0LW1zcC1zZWNyZXQtMzItYnl0ZXMhISE=";
pub const APPLE_BUSINESS: &str = "0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07";
pub const WA_PHONE_NUMBER_ID: &str = "420000000000002";
/// The vectors' JWT `iat`.
pub const VECTOR_TIME_MS: u64 = 1_767_225_660_000;

/// One reference vector (`tests/fixtures/channels/NNN_*.json`).
#[derive(Debug, Clone)]
pub struct Vector {
    pub name: String,
    pub raw: Value,
}

impl Vector {
    pub fn load(prefix: &str) -> Vector {
        all()
            .into_iter()
            .find(|v| v.name.starts_with(prefix))
            .unwrap_or_else(|| panic!("no vector {prefix}"))
    }

    pub fn body(&self) -> Vec<u8> {
        let body = self.raw["body"].as_str().unwrap_or_default();
        match self.raw["body_encoding"].as_str() {
            Some("base64") => base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap(),
            _ => body.as_bytes().to_vec(),
        }
    }

    pub fn headers(&self) -> Vec<(String, String)> {
        self.raw["headers"]
            .as_object()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn uri(&self) -> String {
        let path = self.raw["path_hint"].as_str().unwrap().to_string();
        match self.raw["query"].as_object() {
            Some(q) => {
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in q {
                    s.append_pair(k, v.as_str().unwrap_or_default());
                }
                format!("{path}?{}", s.finish())
            }
            None => path,
        }
    }

    /// The request as API Gateway's HTTP API hands it to the function.
    pub fn lambda_request(&self) -> lambda_http::Request {
        let mut builder = lambda_http::http::Request::builder()
            .method(self.raw["method"].as_str().unwrap())
            .uri(self.uri());
        for (k, v) in self.headers() {
            builder = builder.header(k.to_ascii_lowercase(), v);
        }
        let body = self.body();
        let body = match String::from_utf8(body) {
            Ok(text) => lambda_http::Body::Text(text),
            Err(e) => lambda_http::Body::Binary(e.into_bytes()),
        };
        builder.body(body).unwrap()
    }

    pub fn expected(&self) -> &Value {
        &self.raw["expected"]
    }
}

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/channels")
}

pub fn all() -> Vec<Vector> {
    let mut names: Vec<_> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let raw = std::fs::read_to_string(fixtures_dir().join(&name)).unwrap();
            Vector {
                name,
                raw: serde_json::from_str(&raw).unwrap(),
            }
        })
        .collect()
}

/// The vectors' accounts with the WhatsApp number routed to `group`.
pub fn config_routing_whatsapp_to(group: &str) -> ChannelsConfig {
    let mut doc: Value =
        serde_json::from_str(&switchboard_local::channels::demo_config_json()).unwrap();
    doc["accounts"][0]["group"] = serde_json::json!(group);
    ChannelsConfig::parse(&doc.to_string()).unwrap()
}

/// The test accounts of the vectors, bound to tenant `demo`, sending to `base`.
pub fn config(base: &str) -> ChannelsConfig {
    let mut doc: Value =
        serde_json::from_str(&switchboard_local::channels::demo_config_json()).unwrap();
    doc["endpoints"] = serde_json::json!({
        "graph": format!("{base}/graph"),
        "apple": format!("{base}/apple"),
        "vk": format!("{base}/vk"),
    });
    ChannelsConfig::parse(&doc.to_string()).unwrap()
}

pub struct ChannelHarness {
    pub functions: Functions,
    pub tokens: TokenService,
    pub store: Arc<dyn Store>,
    pub bus: Arc<RecordingChannelBus>,
    pub push: Arc<RecordingPush>,
    pub http: Arc<ScriptedHttp>,
    pub clock: Arc<FixedClock>,
    pub queue: Arc<LocalQueue>,
    /// Triggers for the queue-assignment function.
    pub assign: Arc<LocalQueue>,
    /// Offline requests for the mail function, and what it sent.
    pub mail: Arc<LocalQueue>,
    pub mailer: Arc<crate::fakes::RecordingMailer>,
}

/// Over the embedded store.
pub fn harness() -> ChannelHarness {
    harness_with(Arc::new(SqliteStore::in_memory().unwrap()))
}

pub fn harness_with(store: Arc<dyn Store>) -> ChannelHarness {
    harness_configured(store, config("http://provider.invalid"))
}

/// Over `store`, with the channel accounts of `channels`.
pub fn harness_configured(store: Arc<dyn Store>, channels: ChannelsConfig) -> ChannelHarness {
    let bus = Arc::new(RecordingChannelBus::default());
    let push = Arc::new(RecordingPush::default());
    let http = Arc::new(ScriptedHttp::default());
    let clock = Arc::new(FixedClock::at(VECTOR_TIME_MS));
    let queue = Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5));
    let assign = Arc::new(LocalQueue::new(std::time::Duration::from_secs(30), 5));
    let (mail, mailer) = crate::fakes::mail_ports();
    let adapters = AdapterSet::with_store(
        store.clone(),
        queue.clone(),
        assign.clone(),
        bus.clone(),
        (mail.clone(), mailer.clone()),
        push.clone(),
        clock.clone(),
        Arc::new(SequentialIds::default()),
        crate::fakes::memory_secrets(),
    );
    let tokens = TokenService::new(vec![7u8; 32]).unwrap();
    let functions = Functions::wire(
        &adapters,
        &tokens,
        Arc::new(channels),
        http.clone(),
        RetryPolicy {
            attempts: 3,
            base_delay: std::time::Duration::from_millis(1),
            max_receives: 3,
        },
        Some("https://api.example".into()),
        crate::fast_passwords(),
    );
    ChannelHarness {
        functions,
        tokens,
        store,
        bus,
        push,
        http,
        clock,
        queue,
        assign,
        mail,
        mailer,
    }
}

/// `X-Hub-Signature-256` for a body, with the vectors' app secret.
pub fn meta_signature(body: &[u8]) -> String {
    switchboard_app::channels::auth::meta_signature(body, META_APP_SECRET.as_bytes())
}

/// An Apple inbound token with the vectors' MSP id and secret.
pub fn apple_token() -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(APPLE_SECRET_B64)
        .unwrap();
    switchboard_app::jwt::sign(
        &serde_json::json!({"aud": APPLE_MSP_ID, "iat": 1_767_225_600}),
        &key,
    )
    .unwrap()
}

/// Keys of the vectors' expected events that describe handling rather than
/// the event itself.
const COMMENTARY: &[&str] = &["applies_to", "resolve", "download"];

/// Every key of `expected` is in `actual` with the same value (recursively);
/// `actual` may carry more.
pub fn assert_subset(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                if COMMENTARY.contains(&k.as_str()) {
                    continue;
                }
                let got = a.get(k).unwrap_or(&Value::Null);
                assert_subset(v, got, &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{at}: length differs: {actual}");
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                assert_subset(e, a, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

/// The functions wired over `adapters`, with the reference channels
/// configuration and an HTTP client that must never be called.
pub fn wire_functions(adapters: &AdapterSet, tokens: &TokenService) -> Functions {
    Functions::wire(
        adapters,
        tokens,
        Arc::new(config("http://provider.invalid")),
        Arc::new(ScriptedHttp::default()),
        RetryPolicy::default(),
        None,
        crate::fast_passwords(),
    )
}

/// Records as Lambda's SQS event source hands them to a function.
pub fn sqs_event(bodies: Vec<String>, receive_count: u32) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut r = SqsMessage::default();
            r.message_id = Some(format!("m{i}"));
            r.body = Some(body);
            r.attributes
                .insert("ApproximateReceiveCount".into(), receive_count.to_string());
            r
        })
        .collect();
    event
}

/// A WhatsApp text from the vectors' contact, as Meta posts it.
pub fn whatsapp_text(wamid: &str, text: &str) -> String {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
                  "contacts": [{"profile": {"name": "Amélie Dupont"}, "wa_id": "447700900123"}],
                  "messages": [{"from": "447700900123", "id": wamid, "timestamp": "1767225601",
                                "type": "text", "text": {"body": text}}]}}]}]})
    .to_string()
}

/// A WhatsApp receipt for one of our messages, with our callback data if given.
pub fn whatsapp_status(wamid: &str, status: &str, callback: Option<&str>) -> String {
    let mut s = json!({"id": wamid, "status": status, "timestamp": "1767225700", "recipient_id": "447700900123"});
    if let Some(cb) = callback {
        s["biz_opaque_callback_data"] = json!(cb);
    }
    json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
                  "statuses": [s]}}]}]})
    .to_string()
}

impl ChannelHarness {
    /// A webhook POST signed with the vectors' app secret; the answer's status.
    pub async fn post_signed(&self, path: &str, body: &str) -> u16 {
        let request = lambda_http::http::Request::builder()
            .method("POST")
            .uri(path)
            .header("x-hub-signature-256", meta_signature(body.as_bytes()))
            .body(lambda_http::Body::Text(body.to_string()))
            .unwrap();
        channel_webhook::handle(&self.functions.webhook, request)
            .await
            .status()
            .as_u16()
    }

    /// Runs everything the webhook queued through the inbound consumer, as
    /// one SQS batch; how many records it held.
    pub async fn consume_inbound(&self) -> usize {
        let envelopes: Vec<String> = std::mem::take(&mut *self.bus.inbound.lock().unwrap())
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect();
        let count = envelopes.len();
        let response =
            channel_inbound::handle(&self.functions.inbound, sqs_event(envelopes, 1)).await;
        assert!(response.batch_item_failures.is_empty());
        count
    }

    /// Runs the queued outbound jobs through the sender; how many failed.
    pub async fn send_jobs(&self, receive_count: u32) -> usize {
        let jobs: Vec<String> = std::mem::take(&mut *self.bus.outbound.lock().unwrap())
            .iter()
            .map(|j| serde_json::to_string(j).unwrap())
            .collect();
        let response =
            channel_sender::handle(&self.functions.sender, sqs_event(jobs, receive_count)).await;
        response.batch_item_failures.len()
    }

    /// Runs what the waiting-queue bus holds through the queue function, in
    /// SQS batches of `batch` as Lambda delivers them; how many records.
    pub async fn run_queue_function(&self, batch: usize) -> usize {
        let mut handled = 0;
        while self.queue.pending() > 0 {
            let received = self.queue.receive(batch).await;
            let event = sqs_event(received.iter().map(|m| m.body.clone()).collect(), 1);
            let response = queue_fanout::handle(&self.functions.fanout, event).await;
            assert!(
                response.batch_item_failures.is_empty(),
                "queue records failed"
            );
            self.queue.settle(&received, &[]);
            handled += received.len();
        }
        handled
    }

    /// Runs what the mail bus holds through the mail function's handler;
    /// how many records.
    pub async fn run_mail_function(&self) -> usize {
        let mut handled = 0;
        while self.mail.pending() > 0 {
            let received = self.mail.receive(10).await;
            let event = sqs_event(received.iter().map(|m| m.body.clone()).collect(), 1);
            let response = offline_mail::handle(&self.functions.mail, event).await;
            assert!(
                response.batch_item_failures.is_empty(),
                "mail records failed"
            );
            self.mail.settle(&received, &[]);
            handled += received.len();
        }
        handled
    }

    /// Assignment triggers waiting on the assign bus.
    pub fn assign_pending(&self) -> usize {
        self.assign.pending()
    }

    /// Runs what the assign bus holds through the queue-assignment
    /// function's handler, ten records a batch as its event source mapping
    /// delivers them; how many records.
    pub async fn run_assign_function(&self) -> usize {
        let mut handled = 0;
        while self.assign.pending() > 0 {
            let received = self.assign.receive(10).await;
            let event = sqs_event(received.iter().map(|m| m.body.clone()).collect(), 1);
            let response = queue_assign::handle_batch(&self.functions.assign, event).await;
            assert!(
                response.batch_item_failures.is_empty(),
                "assignment records failed"
            );
            self.assign.settle(&received, &[]);
            handled += received.len();
        }
        handled
    }
}

impl ChannelHarness {
    /// A tenant allowing `max_chats` per operator, with the website widget `site`.
    pub async fn tenant_with_widget(&self, tenant: &str, max_chats: u32) -> TenantId {
        let id = TenantId::parse(tenant).unwrap();
        self.store
            .put_tenant(&Tenant {
                timezone: None,
                id: id.clone(),
                name: tenant.into(),
                settings: TenantSettings {
                    max_chats: Capacity::new(max_chats).unwrap(),
                    ..Default::default()
                },
            })
            .await
            .unwrap();
        self.store
            .put_widget(&Widget {
                group: None,
                offline_email: None,
                allowed_origins: Vec::new(),
                entries: WidgetEntry::all(),
                id: WidgetId::parse("site").unwrap(),
                tenant: id.clone(),
                name: "Website".into(),
            })
            .await
            .unwrap();
        id
    }
}
