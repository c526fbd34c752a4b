//! The protocol's JSON Schema in `docs/protocol/` is what the Rust types
//! say (`UPDATE_SCHEMA=1` rewrites it), and real frames through the local
//! stack validate against it: the schema the web clients' types come from
//! describes what the gateway really sends and accepts.

use serde_json::{json, Value};
use std::path::Path;
use switchboard_app::protocol::asyncapi::asyncapi_document;
use switchboard_app::protocol::schema::{actions_schema, events_schema};
use switchboard_tests::local;

fn check(file: &str, schema: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(file);
    let text = format!("{}\n", serde_json::to_string_pretty(schema).expect("json"));
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run `UPDATE_SCHEMA=1 scripts/test -p switchboard-tests --test protocol_schema`, then `npm run build` in web/",
        path.display()
    );
}

#[test]
fn the_committed_schema_is_what_the_types_say() {
    check("protocol/actions.schema.json", &actions_schema());
    check("protocol/events.schema.json", &events_schema());
    check("asyncapi.json", &asyncapi_document());
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, frame: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(frame)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} {frame} does not match the schema: {errors:?}"
    );
}

/// A chat from start to close, a Hero Card, lists and a refusal: every frame
/// sent validates against the actions' schema, every frame received against
/// the events'.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_frames_match_the_schema() {
    let actions = validator(&actions_schema());
    let events = validator(&events_schema());
    let dir = tempfile::tempdir().expect("temp dir");
    let stack = local::start(dir.path()).await;
    let (mut operator, welcome) = local::operator(&stack, &stack.seed.admin_token).await;
    let (mut visitor, _) = local::visitor(&stack).await;
    let mut received = vec![welcome];
    let mut sent = Vec::new();

    let start = json!({"action": "conversation.start", "requestId": "s", "entry": {
        "type": "chat", "language": "en", "browser": "Firefox 131", "os": "Linux",
        "widget": "Shop", "pageUrl": "https://shop.example.com/", "name": "Grace", "phone": "+49 170 1234567"}});
    sent.push(start.clone());
    let started = visitor.request(start, "s").await;
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    received.push(started);
    received.push(operator.expect("queue.updated").await);
    received.push(visitor.expect("queue.position").await);

    let mut ask = |frame: Value| {
        sent.push(frame.clone());
        frame
    };
    let script = [
        (
            json!({"action": "conversation.preview", "conversationId": id}),
            "conversation.preview",
        ),
        (
            json!({"action": "conversation.accept", "conversationId": id}),
            "conversation.accepted",
        ),
        (
            json!({"action": "typing", "conversationId": id, "typing": true}),
            "",
        ),
        (
            json!({"action": "message.send", "conversationId": id, "clientMessageId": "o-1", "text": "Hello Grace"}),
            "message.ack",
        ),
        (
            json!({"action": "note.add", "conversationId": id, "clientMessageId": "n-1", "text": "VIP"}),
            "message.ack",
        ),
        (
            json!({"action": "history", "conversationId": id, "limit": 10}),
            "history",
        ),
        (
            json!({"action": "card.list", "conversationId": id}),
            "card.list",
        ),
        (
            json!({"action": "card.preview", "conversationId": id, "cardId": "card_delivery", "values": {"address": "Main Street 1"}}),
            "card.preview",
        ),
        (
            json!({"action": "card.send", "conversationId": id, "cardId": "card_delivery", "clientMessageId": "c-1", "values": {"slot": "am"}}),
            "message.ack",
        ),
        (
            json!({"action": "invitation.create", "validMinutes": 30}),
            "invitation.created",
        ),
        (json!({"action": "group.list"}), "group.list"),
        (json!({"action": "sla.list"}), "sla.list"),
        (json!({"action": "queue.list"}), "queue.snapshot"),
        (json!({"action": "conversation.list"}), "conversation.list"),
        (
            json!({"action": "conversation.search", "query": "Grace"}),
            "conversation.search",
        ),
        (
            json!({"action": "client.preview", "conversationId": id}),
            "client.preview",
        ),
        (
            json!({"action": "client.pages", "conversationId": id}),
            "client.pages",
        ),
        (
            json!({"action": "conversation.tags", "conversationId": id, "add": ["vip"]}),
            "conversation.tags",
        ),
        (
            json!({"action": "operator.status", "status": "away"}),
            "operator.state",
        ),
        (
            json!({"action": "operator.status", "status": "online"}),
            "operator.state",
        ),
        (json!({"action": "no.such.thing"}), "error"),
        (json!({"action": "ping"}), "pong"),
    ];
    for (i, (frame, answer)) in script.into_iter().enumerate() {
        let request_id = format!("q{i}");
        let mut frame = ask(frame);
        if answer.is_empty() {
            operator.send(frame).await;
            continue;
        }
        frame["requestId"] = json!(request_id);
        let reply = operator.request(frame, &request_id).await;
        assert!(
            reply["event"] == answer || reply["event"] == "error" && answer == "error",
            "{reply}"
        );
        received.push(reply);
    }
    let visitor_frames = [
        json!({"action": "message.send", "clientMessageId": "v-1", "text": "Hi!"}),
        json!({"action": "page.view", "url": "https://shop.example.com/cart", "title": "Cart"}),
        json!({"action": "conversation.close"}),
    ];
    for frame in visitor_frames {
        sent.push(frame.clone());
        visitor.send(frame).await;
    }
    received.push(operator.expect("conversation.closed").await);
    received.push(visitor.expect("conversation.closed").await);
    received.extend(operator.take_unconsumed());
    received.extend(visitor.take_unconsumed());

    for frame in &sent {
        if frame["action"] == "no.such.thing" {
            assert!(
                !actions.is_valid(frame),
                "the schema takes an unknown action"
            );
            continue;
        }
        assert_valid(&actions, frame, "sent");
    }
    let mut kinds = std::collections::BTreeSet::new();
    for frame in &received {
        assert_valid(&events, frame, "received");
        kinds.insert(frame["event"].as_str().unwrap_or_default().to_string());
    }
    // The walk above reached the events the clients live on.
    for kind in [
        "welcome",
        "message",
        "typing",
        "card",
        "conversation.accepted",
        "queue.updated",
    ] {
        assert!(kinds.contains(kind), "no {kind} among {kinds:?}");
    }
    stack.stop().await;
}

/// docs/protocol.md names every action and event of the AsyncAPI document,
/// and the document is valid AsyncAPI 3 (its official parser, from
/// web/node_modules).
#[test]
fn the_asyncapi_document_is_valid_and_protocol_md_describes_all_of_it() {
    let doc = asyncapi_document();
    let prose =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/protocol.md"))
            .expect("docs/protocol.md");
    let messages = doc["components"]["messages"].as_object().expect("messages");
    let missing: Vec<&str> = messages
        .values()
        .filter_map(|m| m["name"].as_str())
        .filter(|name| {
            !prose.contains(&format!("\"{name}\"")) && !prose.contains(&format!("`{name}`"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/protocol.md does not describe {missing:?}"
    );

    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web");
    assert!(
        web.join("node_modules/@asyncapi/parser").is_dir(),
        "web/node_modules is missing: run scripts/test (it runs `npm ci` in web/)"
    );
    let output = std::process::Command::new("node")
        .arg("validate-asyncapi.mjs")
        .current_dir(&web)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
