//! A conversation's transcript over the admin API on the local stack: CSV
//! as spreadsheets read it, notes only when asked for, and only for an
//! operator who may open the conversation.

use serde_json::json;
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, invited_operator, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_chat, start_for_admin, visitor_on};

const T0: u64 = 1_800_000_000_000;

fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transcript_is_csv_with_notes_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_for_admin(dir.path(), clock.clone(), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let olga = access(&invited_operator(dir.path(), &api, &ann, "olga@acme.example", "Olga").await);
    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", Some(&ann), Some(shop))
            .await
            .0,
        201
    );

    let (mut console, _) = operator(&stack, &ann).await;
    let mut visitor = visitor_on(&stack, "shop").await;
    let chat = start_chat(&mut visitor, "Grüße, \"Grace\"", "en").await;
    let id = chat["id"].as_str().unwrap().to_string();
    clock.advance(60_000);
    let accepted = console
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "a",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    for (i, text) in ["Hello, I have a question", "=HYPERLINK(\"http://evil\")"]
        .iter()
        .enumerate()
    {
        clock.advance(1_000);
        let ack = visitor
            .request(
                json!({"action": "message.send", "clientMessageId": format!("v{i}"), "text": text}),
                "m",
            )
            .await;
        assert_eq!(ack["event"], "message.ack", "{ack}");
    }
    clock.advance(1_000);
    let ack = console
        .request(
            json!({"action": "message.send", "conversationId": id, "clientMessageId": "o1",
            "text": "Sure,\nask away"}),
            "m",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");
    let ack = console
        .request(
            json!({"action": "note.add", "conversationId": id, "clientMessageId": "n1",
            "text": "Sounds like a refund"}),
            "n",
        )
        .await;
    assert_eq!(ack["event"], "message.ack", "{ack}");

    let path = format!("/admin/conversations/{id}/transcript");
    let (status, kind, bytes) = api.download(&path, Some(&ann)).await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains("\r"));
    let table = rows(&bytes);
    assert_eq!(table[0], vec!["time", "author", "kind", "text"]);
    let body: Vec<(&str, &str, &str)> = table[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        body,
        vec![
            ("Switchboard", "event", "Started"),
            ("Switchboard", "event", "Accepted by Admin"),
            ("Grüße, \"Grace\"", "text", "Hello, I have a question"),
            ("Grüße, \"Grace\"", "text", "'=HYPERLINK(\"http://evil\")"),
            ("Admin", "text", "Sure,\nask away"),
        ]
    );
    assert_eq!(table[1][0], "2027-01-15T08:00:00+00:00");
    assert_eq!(table[2][0], "2027-01-15T08:01:00+00:00");

    // Notes on request, marked; times in the asked zone.
    let (status, _, bytes) = api
        .download(
            &format!("{path}?notes=true&timezone=Europe/Berlin"),
            Some(&ann),
        )
        .await;
    assert_eq!(status, 200);
    let table = rows(&bytes);
    let note = table.last().unwrap();
    assert_eq!(
        (note[2].as_str(), note[3].as_str()),
        ("note", "Sounds like a refund")
    );
    assert_eq!(table[1][0], "2027-01-15T09:00:00+01:00");

    // Olga may not open ann's active chat; a closed one she may.
    assert_eq!(api.download(&path, Some(&olga)).await.0, 404);
    clock.advance(1_000);
    let closed = console
        .request(
            json!({"action": "conversation.close", "conversationId": id}),
            "c",
        )
        .await;
    assert_eq!(closed["event"], "conversation.closed", "{closed}");
    let (status, _, bytes) = api.download(&path, Some(&olga)).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&bytes).last().unwrap()[3], "Closed by Admin");

    let (status, answer) = api
        .call(
            "GET",
            &format!("{path}?timezone=Mars/Olympus"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (400, Some("timezone")),
        "{answer}"
    );
    let (status, _) = api
        .call(
            "GET",
            "/admin/conversations/nope/transcript",
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(api.download(&path, None).await.0, 401);
    stack.stop().await;
}
