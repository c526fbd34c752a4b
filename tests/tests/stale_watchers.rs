//! A connection whose `$disconnect` never came and whose record expired
//! before anyone pushed to it is still listed as a watcher. The first push
//! that meets 410 Gone removes it from the conversation, the operator's item
//! and the tenant's queue watchers (DynamoDB on moto, through the handlers).

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::json;
use std::sync::Arc;
use switchboard_app::ConnectRequest;
use switchboard_domain::*;
use switchboard_tests::channels::harness_with;
use switchboard_tests::stores::dynamodb;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_meeting_gone_forgets_a_watcher_whose_record_went_first() {
    let store = dynamodb().await;
    let (client, table) = (store.client().clone(), store.table().to_string());
    let h = harness_with(Arc::new(store));
    let t = h
        .tenant_with_widget("demo", TenantSettings::default().max_chats.get())
        .await;
    let ann = OperatorId::parse("ann").unwrap();
    let token = h
        .tokens
        .issue_operator(&t, &ann, "Ann", &[Role::Operator], Timestamp(u64::MAX / 4))
        .unwrap();
    for request in [
        ConnectRequest {
            connection_id: "ann-tab".into(),
            token: Some(token),
            ..ConnectRequest::default()
        },
        ConnectRequest {
            connection_id: "vis-tab".into(),
            widget_id: Some("site".into()),
            ..ConnectRequest::default()
        },
    ] {
        h.functions.connect.connect(request).await.unwrap();
    }
    let frame = |connection: &'static str, body: serde_json::Value| {
        let message = h.functions.message.clone();
        async move {
            message
                .handle_frame(connection, &body.to_string())
                .await
                .unwrap()
        }
    };
    frame(
        "vis-tab",
        json!({"action": "conversation.start", "entry": {"type": "chat", "language": "en",
            "browser": "Firefox", "os": "Linux", "widget": "Website", "pageUrl": "https://x"}}),
    )
    .await;
    h.run_queue_function(10).await;
    let conversation = h.push.to("vis-tab")[0]["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    frame(
        "ann-tab",
        json!({"action": "conversation.accept", "conversationId": conversation}),
    )
    .await;
    h.run_queue_function(10).await;
    let id = ConversationId::parse(conversation).unwrap();
    let read = h.store.conversation(&t, &id).await.unwrap().unwrap();
    assert_eq!(
        read.watchers.operator,
        vec![ConnectionId::parse("ann-tab").unwrap()]
    );

    // The operator's record expires and TTL removes it; no $disconnect came.
    client
        .delete_item()
        .table_name(&table)
        .key("PK", s("CONN#ann-tab"))
        .key("SK", s("CONN"))
        .send()
        .await
        .unwrap();
    h.push.gone.lock().unwrap().insert("ann-tab".into());

    frame(
        "vis-tab",
        json!({"action": "message.send", "clientMessageId": "v1", "text": "Hello?"}),
    )
    .await;
    assert!(h
        .push
        .to("vis-tab")
        .iter()
        .any(|e| e["event"] == "message.ack"));

    let read = h.store.conversation(&t, &id).await.unwrap().unwrap();
    assert!(read.watchers.operator.is_empty(), "{:?}", read.watchers);
    let queue = h
        .store
        .waiting_queue(&t, &Default::default(), &[])
        .await
        .unwrap();
    assert!(queue.operators.is_empty(), "{:?}", queue.operators);
    let operator = client
        .get_item()
        .table_name(&table)
        .key("PK", s("T#demo"))
        .key("SK", s("OP#ann"))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(
        !operator.contains_key("operatorConnections"),
        "the operator's item forgets it too: {operator:?}"
    );
    // The directory still knows the operator.
    assert!(h.store.operator(&t, &ann).await.unwrap().is_some());
}
