//! The whole scenario with the logs captured as Lambda writes them (JSON),
//! then a search of every line for what must never be logged: message text,
//! tokens and secrets. Ids may appear; what people wrote may not.

use serde_json::{json, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use switchboard_tests::channels::{Vector, META_APP_SECRET};
use switchboard_tests::local;
use switchboard_tests::ws::Client;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_message_text_token_or_secret_reaches_the_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        // A line per closed span, so every span's fields are searched too.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "info,switchboard_app=trace,switchboard_aws=trace,switchboard_embedded=trace,\
             switchboard_local=trace,ws_connect=trace,ws_message=trace,ws_disconnect=trace,\
             queue_fanout=trace,channel_webhook=trace,channel_inbound=trace,channel_sender=trace",
        ))
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let stack = local::start(dir.path()).await;
    let admin_token = stack.seed.admin_token.clone();
    let visitor_text = "HYGIENE-visitor-asks-about-parcel-4711";
    let operator_text = "HYGIENE-operator-answers-0815";
    let bad_frame_text = "HYGIENE-text-in-a-bad-frame";

    let (mut operator, _) = local::operator(&stack, &admin_token).await;
    let (mut visitor, visitor_token) = local::visitor(&stack).await;
    let started = visitor
        .request(
            json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en",
                   "browser": "Firefox", "os": "Linux", "widget": "Support", "pageUrl": "https://example.com",
                   "name": "HYGIENE-Visitor-Name"}}),
            "start",
        )
        .await;
    let conversation = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    visitor
        .request(
            json!({"action": "message.send", "clientMessageId": "m1", "text": visitor_text}),
            "m1",
        )
        .await;
    // A frame that is refused still carries text; the refusal must not log it.
    let refused = visitor
        .request(
            json!({"action": "message.send", "text": bad_frame_text}),
            "bad",
        )
        .await;
    assert_eq!(refused["code"], "invalid_field");
    let accepted = operator
        .request(
            json!({"action": "conversation.accept", "conversationId": conversation}),
            "accept",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    operator
        .request(
            json!({"action": "message.send", "conversationId": conversation, "clientMessageId": "a1", "text": operator_text}),
            "a1",
        )
        .await;
    visitor.expect("message").await;
    visitor
        .request(json!({"action": "conversation.close"}), "close")
        .await;
    // A refused connect with a token-shaped secret.
    assert_eq!(
        Client::connect(&format!("{}?token=HYGIENE.forged.token", stack.ws_url()))
            .await
            .err(),
        Some(401)
    );

    // A signed WhatsApp message through the webhook, the queue and the consumer.
    let vector = Vector::load("003");
    let channel_text = vector.expected()["normalized_events"][0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let http = reqwest::Client::new();
    let mut request = http.post(format!("http://{}{}", stack.addr, vector.uri()));
    for (k, v) in vector.headers() {
        request = request.header(k, v);
    }
    let answer = request.body(vector.body()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    operator
        .expect_where("the WhatsApp client in the queue", |e| {
            switchboard_tests::ws::queue_change(e, "added", None).is_some()
        })
        .await;
    stack.queue.idle().await;
    stack.inbound.idle().await;
    visitor.close().await;
    operator.close().await;
    stack.stop().await;

    let raw = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = raw.lines().collect();
    assert!(lines.len() > 10, "the capture works: {} lines", lines.len());
    for line in &lines {
        let parsed: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(parsed.get("level").is_some(), "{line}");
    }
    assert!(
        raw.contains("\"tenant\":\"demo\""),
        "spans carry the tenant: {}",
        &raw[..raw.len().min(2000)]
    );
    for span in ["handle_frame", "append_message", "ingest", "sqs_record"] {
        assert!(
            raw.contains(&format!("\"name\":\"{span}\"")),
            "the {span} span is captured and searched too"
        );
    }
    let forbidden = [
        ("visitor's message", visitor_text.to_string()),
        ("operator's reply", operator_text.to_string()),
        ("text of a refused frame", bad_frame_text.to_string()),
        ("the visitor's name", "HYGIENE-Visitor-Name".to_string()),
        ("WhatsApp message text", channel_text),
        ("operator token", admin_token),
        ("visitor token", visitor_token),
        ("forged token", "HYGIENE.forged.token".to_string()),
        ("Meta app secret", META_APP_SECRET.to_string()),
        ("WhatsApp access token", "local-whatsapp-token".to_string()),
        ("VK secret", "vk-callback-secret-test".to_string()),
    ];
    for (what, needle) in forbidden {
        let hits: Vec<&&str> = lines.iter().filter(|l| l.contains(&needle)).collect();
        assert!(
            hits.is_empty(),
            "{what} appears in the logs:\n{}",
            hits.iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
