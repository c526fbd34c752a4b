//! Internal notes through the local stack: the operator's tabs see them, in
//! the conversation's order; the visitor's socket never does, neither as an
//! event nor in history, a welcome or an accepted view.

use serde_json::{json, Value};
use switchboard_tests::local;
use switchboard_tests::ws::Client;

const NOTE: &str = "INTERNAL: same customer as ticket 4411, be generous";

fn texts(messages: &Value) -> Vec<String> {
    messages
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_reaches_operators_and_never_the_visitor() {
    let dir = tempfile::tempdir().unwrap();
    let stack = local::start(dir.path()).await;
    let (mut alice, _) = local::operator(&stack, &stack.seed.admin_token).await;
    let (mut alice_tab2, _) = local::operator(&stack, &stack.seed.admin_token).await;
    let (mut visitor, visitor_token) = local::visitor(&stack).await;
    let started = visitor
        .request(
            json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en",
                   "browser": "Firefox", "os": "Linux", "widget": "Support", "pageUrl": "https://example.com"}}),
            "start",
        )
        .await;
    let conversation = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    visitor
        .request(
            json!({"action": "message.send", "clientMessageId": "v1", "text": "Hello?"}),
            "v1",
        )
        .await;

    // A note while it still waits: the accepted view the visitor gets must not carry it.
    let ack = alice
        .request(
            json!({"action": "note.add", "conversationId": conversation, "clientMessageId": "n1", "text": NOTE}),
            "n1",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    let accepted = alice
        .request(
            json!({"action": "conversation.accept", "conversationId": conversation}),
            "accept",
        )
        .await;
    assert!(texts(&accepted["view"]["messages"]).contains(&NOTE.to_string()));
    // The session record travels with the conversation to the console.
    let sessions = &accepted["view"]["conversation"]["sessions"];
    assert_eq!(sessions[0]["number"], 1, "{sessions}");
    assert_eq!(sessions[0]["operator"], "alice", "{sessions}");
    assert!(sessions[0]["acceptedAt"].is_u64(), "{sessions}");
    let visitor_accepted = visitor.expect("conversation.accepted").await;
    assert_eq!(texts(&visitor_accepted["view"]["messages"]), vec!["Hello?"]);

    // A note while active: the other tab sees it, the visitor does not.
    alice
        .request(
            json!({"action": "note.add", "conversationId": conversation, "clientMessageId": "n2", "text": NOTE}),
            "n2",
        )
        .await;
    let in_tab2 = alice_tab2
        .expect_where("the note in the second tab", |e| {
            e["event"] == "message" && e["message"]["type"] == "note"
        })
        .await;
    assert_eq!(in_tab2["message"]["text"], NOTE);
    alice
        .request(
            json!({"action": "message.send", "conversationId": conversation, "clientMessageId": "a1", "text": "Hi, how can I help?"}),
            "a1",
        )
        .await;
    // The next message the visitor gets is the reply: the note went nowhere.
    let next = visitor.expect("message").await;
    assert_eq!(next["message"]["text"], "Hi, how can I help?");

    let history = visitor
        .request(
            json!({"action": "history", "conversationId": conversation}),
            "history",
        )
        .await;
    assert_eq!(
        texts(&history["messages"]),
        vec!["Hello?", "Hi, how can I help?"]
    );
    let operator_history = alice
        .request(
            json!({"action": "history", "conversationId": conversation}),
            "history",
        )
        .await;
    assert_eq!(
        texts(&operator_history["messages"]),
        vec!["Hello?", NOTE, NOTE, "Hi, how can I help?"]
    );

    // A new tab of the visitor: the welcome view is filtered too.
    let mut again = Client::connect(&format!("{}?visitorToken={visitor_token}", stack.ws_url()))
        .await
        .unwrap();
    let welcome = again.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(
        texts(&welcome["conversation"]["messages"]),
        vec!["Hello?", "Hi, how can I help?"]
    );
    for event in visitor.unconsumed().iter().chain(again.unconsumed().iter()) {
        assert!(!event.to_string().contains("INTERNAL"), "leaked: {event}");
    }

    // A visitor cannot write notes.
    let refused = visitor
        .request(
            json!({"action": "note.add", "conversationId": conversation, "clientMessageId": "x", "text": "hi"}),
            "x",
        )
        .await;
    assert_eq!(refused["code"], "forbidden");
    stack.stop().await;
}
