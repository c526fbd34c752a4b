//! Frames parsed, and the fields named when they are wrong.

use super::*;

fn err(raw: &str) -> ProtocolError {
    parse_request(raw).unwrap_err().0
}

#[test]
fn parses_a_message() {
    let r = parse_request(
        r#"{"action":"message.send","requestId":"r1","conversationId":"c1","clientMessageId":"m1","text":"hi"}"#,
    )
    .unwrap();
    assert_eq!(r.request_id.as_deref(), Some("r1"));
    assert!(matches!(r.action, Action::SendMessage(ref m) if m.text.as_str() == "hi"));
}

#[test]
fn history_limit_outside_1_to_100_is_refused_by_name() {
    for bad in ["0", "101", "100000", "-1", "\"50\""] {
        match err(&format!(r#"{{"action":"history","limit":{bad}}}"#)) {
            ProtocolError::InvalidField { field, .. } => assert_eq!(field, "limit", "{bad}"),
            other => panic!("{bad}: unexpected {other:?}"),
        }
    }
    for good in [1, 50, 100] {
        let r = parse_request(&format!(r#"{{"action":"history","limit":{good}}}"#)).unwrap();
        assert!(
            matches!(r.action, Action::History(h) if h.limit.map(HistoryLimit::get) == Some(good))
        );
    }
}

#[test]
fn names_the_bad_field() {
    assert_eq!(
        err(r#"{"action":"message.send","text":"hi"}"#),
        invalid("clientMessageId", "is required")
    );
    match err(r#"{"action":"message.send","clientMessageId":"m","text":5}"#) {
        ProtocolError::InvalidField { field, .. } => assert_eq!(field, "text"),
        other => panic!("unexpected {other:?}"),
    }
    match err(r#"{"action":"conversation.start","entry":{"type":"fax"}}"#) {
        ProtocolError::InvalidField { field, .. } => assert_eq!(field, "entry.type"),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err(r#"{"action":"conversation.start","entry":{"type":"chat"}}"#),
        invalid("entry.language", "is required")
    );
}

#[test]
fn rejects_non_json_unknown_and_oversized() {
    assert!(matches!(err("{nope"), ProtocolError::MalformedJson(_)));
    assert!(matches!(err("[1]"), ProtocolError::MalformedJson(_)));
    assert_eq!(
        err(r#"{"action":"fly"}"#),
        ProtocolError::UnknownAction("fly".into())
    );
    assert_eq!(err(r#"{"text":"x"}"#), invalid("action", "is required"));
    let big = format!(
        r#"{{"action":"ping","pad":"{}"}}"#,
        "x".repeat(MAX_MESSAGE_BYTES)
    );
    assert!(matches!(err(&big), ProtocolError::TooLarge { .. }));
}
