//! The local stack for the suites that drive it over real sockets: started
//! over a data directory, and clients that have said hello.

use crate::fakes::FixedClock;
use crate::ws::Client;
use serde_json::{json, Value};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use switchboard_local::{Options, Running};

/// The local stack on a free loopback port, keeping its data in `dir`.
pub async fn start(dir: &Path) -> Running {
    switchboard_local::start(Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.to_path_buf(),
    ))
    .await
    .expect("local stack starts")
}

/// The local stack on a clock the test moves, with no scheduled sweep (the
/// test runs it when it means to).
pub async fn start_with_clock(dir: &Path, clock: Arc<FixedClock>) -> Running {
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.to_path_buf(),
    );
    options.clock = clock;
    options.sweep_every = None;
    switchboard_local::start(options)
        .await
        .expect("local stack starts")
}

/// An operator console connected with `token`, and its welcome.
pub async fn operator(stack: &Running, token: &str) -> (Client, Value) {
    let mut c = Client::connect(&format!("{}?token={token}", stack.ws_url()))
        .await
        .expect("operator connects");
    let welcome = c.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome", "{welcome}");
    (c, welcome)
}

/// A new visitor on the demo widget, and the token that resumes them.
pub async fn visitor(stack: &Running) -> (Client, String) {
    let mut c = Client::connect(&format!(
        "{}?widgetId={}",
        stack.ws_url(),
        stack.seed.widget
    ))
    .await
    .expect("visitor connects");
    let welcome = c.request(json!({"action": "hello"}), "hello").await;
    let token = welcome["visitorToken"]
        .as_str()
        .expect("visitor token")
        .to_string();
    (c, token)
}

/// A new visitor on `widget` who has said hello.
pub async fn visitor_on(stack: &Running, widget: &str) -> Client {
    let mut c = Client::connect(&format!("{}?widgetId={widget}", stack.ws_url()))
        .await
        .expect("visitor connects");
    let welcome = c.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome", "{welcome}");
    c
}

/// Starts a chat as `name` in `language`; the conversation as started.
pub async fn start_chat(visitor: &mut Client, name: &str, language: &str) -> Value {
    let started = visitor
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": language, "browser": "Firefox", "os": "Linux",
                "widget": "Shop", "name": name, "pageUrl": "https://shop.example.com/"
            }}),
            "start",
        )
        .await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    started["view"]["conversation"].clone()
}

/// The timeline of the seeded tenant's conversation `id`, as stored.
pub async fn timeline(stack: &Running, id: &str) -> Vec<switchboard_domain::TimelineEvent> {
    use switchboard_app::ports::ConversationStore;
    let id = switchboard_domain::ConversationId::parse(id).expect("a conversation id");
    stack
        .store
        .timeline(&stack.seed.tenant, &id)
        .await
        .expect("timeline read")
}

/// The local stack for the admin API's tests: a clock the test moves, fast
/// password hashing, and mail to `smtp` (or the outbox).
pub async fn start_for_admin(dir: &Path, clock: Arc<FixedClock>, smtp: Option<u16>) -> Running {
    let mut options = Options::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dir.to_path_buf(),
    );
    options.clock = clock;
    options.sweep_every = None;
    options.passwords = Some(crate::fast_passwords());
    options.smtp = smtp.map(|port| ("127.0.0.1".to_string(), port));
    switchboard_local::start(options)
        .await
        .expect("local stack starts")
}
