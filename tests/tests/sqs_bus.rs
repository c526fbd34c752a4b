//! The SQS bus against a real endpoint (moto, started by `scripts/test`): what
//! `SqsBus` publishes is received from a FIFO queue and handled by the queue
//! function, which pushes to the tenant's operators.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::ports::{Connection, ConnectionRegistry, Principal, QueueBus};
use switchboard_app::App;
use switchboard_aws::SqsBus;
use switchboard_domain::*;
use switchboard_embedded::SqliteStore;
use switchboard_tests::conformance::{put_tenant, waiting_conversation, T0};
use switchboard_tests::fakes::{FixedClock, RecordingPush, SequentialIds};
use switchboard_tests::stores::moto_sdk_config;

async fn fifo_queue(client: &aws_sdk_sqs::Client) -> String {
    let name = format!("queue-events-{:016x}.fifo", rand::random::<u64>());
    client
        .create_queue()
        .queue_name(name)
        .attributes(QueueAttributeName::FifoQueue, "true")
        .attributes(QueueAttributeName::ContentBasedDeduplication, "false")
        .send()
        .await
        .expect("create FIFO queue on moto")
        .queue_url
        .expect("queue url")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_queue_events_reach_operators_through_sqs_fifo() {
    let sqs = aws_sdk_sqs::Client::new(&moto_sdk_config().await);
    let url = fifo_queue(&sqs).await;
    let bus = SqsBus::new(sqs.clone(), url.clone());

    let store = Arc::new(SqliteStore::in_memory().unwrap());
    let push = Arc::new(RecordingPush::default());
    let tenant = TenantId::parse("acme").unwrap();
    put_tenant(&*store, &tenant, 3).await;
    let waiting = waiting_conversation(&*store, &tenant, "c1", EntryType::Chat, T0).await;
    store
        .register(&Connection {
            id: ConnectionId::parse("ann-tab").unwrap(),
            tenant: tenant.clone(),
            principal: Principal::Operator {
                id: OperatorId::parse("ann").unwrap(),
                name: "Ann".into(),
                roles: vec![Role::Operator],
            },
            connected_at: Timestamp(T0),
            expires_at: Timestamp(T0 + 3_600_000),
        })
        .await
        .unwrap();
    let app = App {
        store,
        bus: Arc::new(bus.clone()),
        channels: Arc::new(switchboard_tests::fakes::RecordingChannelBus::default()),
        push: push.clone(),
        clock: Arc::new(FixedClock::at(T0 + 10)),
        ids: Arc::new(SequentialIds::default()),
        tokens: TokenService::new(vec![1u8; 32]).unwrap(),
    };

    let entered = QueueEvent {
        tenant: tenant.clone(),
        conversation: waiting.id.clone(),
        change: QueueChange::Entered,
        at: Timestamp(T0 + 1),
    };
    bus.publish(&entered).await.unwrap();
    // A retried publish of the same event is deduplicated by the queue.
    bus.publish(&entered).await.unwrap();
    let other = QueueEvent {
        at: Timestamp(T0 + 2),
        ..entered.clone()
    };
    bus.publish(&other).await.unwrap();

    let received = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap_or_default();
    assert_eq!(received.len(), 2, "the duplicate publish was dropped");
    let bodies: Vec<QueueEvent> = received
        .iter()
        .map(|m| serde_json::from_str(m.body().unwrap()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        vec![entered, other],
        "FIFO order within the tenant's group"
    );
    for m in &received {
        assert_eq!(
            m.attributes()
                .and_then(|a| a.get(&MessageSystemAttributeName::MessageGroupId))
                .map(String::as_str),
            Some("acme")
        );
    }

    // Lambda's event source mapping hands these to the queue function as an SqsEvent.
    let mut event = SqsEvent::default();
    event.records = received
        .iter()
        .map(|m| {
            let mut r = SqsMessage::default();
            r.message_id = m.message_id().map(str::to_string);
            r.receipt_handle = m.receipt_handle().map(str::to_string);
            r.body = m.body().map(str::to_string);
            r.event_source = Some("aws:sqs".into());
            r
        })
        .collect();
    let response = queue_fanout::handle(&app, event).await;
    assert!(response.batch_item_failures.is_empty());
    let updates = push.to("ann-tab");
    assert_eq!(updates.len(), 2);
    assert!(updates
        .iter()
        .all(|u| u["event"] == "queue.updated" && u["entry"]["conversation"]["id"] == "c1"));
}
