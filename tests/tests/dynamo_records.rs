//! A conversation stored before storage records (entry and sessions as JSON
//! strings, as the domain's serde wrote them) reads, takes an accept and a
//! close on DynamoDB (moto), and comes out written as records.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use switchboard_app::ports::{ConversationStore, DirectoryStore};
use switchboard_domain::*;
use switchboard_tests::conformance::{put_tenant, tab_of, T0};
use switchboard_tests::stores::dynamodb;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_from_before_records_reads_and_changes() {
    let store = dynamodb().await;
    let t = TenantId::parse("acme").unwrap();
    put_tenant(&store, &t, 2).await;
    let ann = OperatorId::parse("ann").unwrap();
    store
        .operator_connected(
            &t,
            &ann,
            "Ann",
            &[switchboard_domain::Role::Operator],
            &tab_of(&ann),
            Timestamp(T0),
        )
        .await
        .unwrap();
    let item: HashMap<String, AttributeValue> = HashMap::from([
        ("PK".into(), s("T#acme#CONV#old-1")),
        ("SK".into(), s("META")),
        ("tenant".into(), s("acme")),
        ("conversation".into(), s("old-1")),
        ("visitor".into(), s("vis-old")),
        ("channel".into(), s("webchat")),
        (
            "entry".into(),
            s(
                r#"{"type":"chat","language":"de","browser":"Firefox","os":"Linux","widget":"Shop","pageUrl":"https://shop.example.com","name":"Grace"}"#,
            ),
        ),
        ("status".into(), s("waiting")),
        ("createdAt".into(), n(T0)),
        ("enqueuedAt".into(), n(T0)),
        ("lastSeq".into(), n(0)),
        (
            "sessions".into(),
            s(&format!(r#"[{{"number":1,"enqueuedAt":{T0}}}]"#)),
        ),
        ("lastEvent".into(), n(0)),
        ("GSI1PK".into(), s("T#acme#WAITING")),
        ("GSI1SK".into(), s(&format!("{T0:015}#old-1"))),
    ]);
    store
        .client()
        .put_item()
        .table_name(store.table())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();

    let id = ConversationId::parse("old-1").unwrap();
    let read = store.conversation(&t, &id).await.unwrap().unwrap();
    assert_eq!(read.entry.name.as_deref(), Some("Grace"));
    assert_eq!(read.sessions.len(), 1);
    assert_eq!(store.waiting(&t, 10).await.unwrap().len(), 1);

    store
        .accept(&t, &id, &ann, Timestamp(T0 + 5))
        .await
        .unwrap();
    store
        .close(&t, &id, Some(&ann), Timestamp(T0 + 9))
        .await
        .unwrap();
    let closed = store.conversation(&t, &id).await.unwrap().unwrap();
    assert_eq!(closed.status, ConversationStatus::Closed);
    assert_eq!(closed.sessions[0].operator, Some(ann.clone()));
    assert_eq!(
        closed.sessions[0].closed_by,
        Some(ClosedBy::Operator(ann.clone()))
    );
    let timeline = store.timeline(&t, &id).await.unwrap();
    assert_eq!(timeline.len(), 2, "assigned and closed: {timeline:?}");

    // Written since: a list of session records, not a JSON string.
    let raw = store
        .client()
        .get_item()
        .table_name(store.table())
        .key("PK", s("T#acme#CONV#old-1"))
        .key("SK", s("META"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(matches!(raw["sessions"], AttributeValue::L(_)), "{raw:?}");
}
