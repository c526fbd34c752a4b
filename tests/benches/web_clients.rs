//! The web clients in Chromium against a fresh local stack, printed as a
//! table (web/bench/browser.mjs does the measuring):
//!
//!     cargo bench -p switchboard-tests --bench web_clients
//!
//! Seeds a conversation of 1,000 client messages held by alice, so the
//! console has a long chat to render. Needs web/node_modules and Chromium,
//! which scripts/test installs.

use serde_json::json;
use std::path::Path;
use switchboard_tests::local;

const LONG_CHAT: &str = "Long Chat";
const MESSAGES: usize = 1_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = local::start(dir.path()).await;
    let (mut alice, _) = local::operator(&stack, &stack.seed.admin_token).await;
    let (mut visitor, _) = local::visitor(&stack).await;
    let conversation = local::start_chat(&mut visitor, LONG_CHAT, "en").await;
    let id = conversation["id"].as_str().expect("id").to_string();
    let accepted = alice
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "accept",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    for i in 0..MESSAGES {
        let ack = visitor
            .request(
                json!({"action": "message.send", "clientMessageId": format!("m-{i}"),
                       "text": format!("Message {i} of the long chat, with a little text to wrap")}),
                &format!("m{i}"),
            )
            .await;
        assert_eq!(ack["event"], "message.ack", "{ack}");
    }
    visitor.close().await;
    alice.close().await;

    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
    let status = tokio::process::Command::new("node")
        .arg("bench/browser.mjs")
        .current_dir(&web)
        .env("SWITCHBOARD_URL", stack.http_url())
        .env("SWITCHBOARD_DEMO_PASSWORD", &stack.seed.password)
        .env("SWITCHBOARD_LONG_CHAT", LONG_CHAT)
        .status()
        .await
        .expect("node runs");
    stack.stop().await;
    assert!(status.success(), "web/bench/browser.mjs failed");
}
