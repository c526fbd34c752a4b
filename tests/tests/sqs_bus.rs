//! The SQS bus against a real endpoint (moto, started by `scripts/test`): what
//! `SqsBus` publishes is received from a FIFO queue and handled by the queue
//! function, which pushes to the tenant's operators.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use std::sync::Arc;
use switchboard_app::ports::{Connection, ConnectionRegistry, Principal, QueueBus};
use switchboard_app::AdapterSet;
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

/// A tenant with waiting conversations `c1` and `c2`, operator ann online
/// on `ann-tab`, and the queue function publishing to `bus`.
struct QueueWorld {
    tenant: TenantId,
    waiting: Vec<switchboard_domain::Conversation>,
    fanout: switchboard_app::Fanout,
    push: Arc<RecordingPush>,
}

async fn queue_world(bus: &SqsBus) -> QueueWorld {
    let store = Arc::new(SqliteStore::in_memory().unwrap());
    let push = Arc::new(RecordingPush::default());
    let tenant = TenantId::parse("acme").unwrap();
    put_tenant(&*store, &tenant, 3).await;
    let mut waiting = Vec::new();
    for (i, id) in ["c1", "c2"].into_iter().enumerate() {
        waiting
            .push(waiting_conversation(&*store, &tenant, id, EntryType::Chat, T0 + i as u64).await);
    }
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
            conversation: None,
        })
        .await
        .unwrap();
    let channel_bus = Arc::new(switchboard_tests::fakes::RecordingChannelBus::default());
    let fanout = queue_fanout::wire(&AdapterSet::with_store(
        store,
        Arc::new(bus.clone()),
        Arc::new(switchboard_embedded::LocalQueue::new(
            std::time::Duration::from_secs(30),
            5,
        )),
        channel_bus,
        {
            let (queue, mailer) = switchboard_tests::fakes::mail_ports();
            (
                queue as std::sync::Arc<dyn switchboard_app::ports::MailBus>,
                mailer as std::sync::Arc<dyn switchboard_app::ports::Mailer>,
            )
        },
        push.clone(),
        Arc::new(FixedClock::at(T0 + 10)),
        Arc::new(SequentialIds::default()),
        switchboard_tests::fakes::memory_secrets(),
    ));
    QueueWorld {
        tenant,
        waiting,
        fanout,
        push,
    }
}

/// What SQS returned, as Lambda's event source mapping hands it over.
fn as_sqs_event(received: &[aws_sdk_sqs::types::Message]) -> SqsEvent {
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
    event
}

async fn receive(sqs: &aws_sdk_sqs::Client, url: &str) -> Vec<aws_sdk_sqs::types::Message> {
    sqs.receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_queue_events_reach_operators_through_sqs_fifo() {
    let sqs = aws_sdk_sqs::Client::new(&moto_sdk_config().await);
    let url = fifo_queue(&sqs).await;
    let bus = SqsBus::new(sqs.clone(), url.clone());
    let QueueWorld {
        tenant,
        waiting,
        fanout,
        push,
    } = queue_world(&bus).await;
    let waiting = &waiting[0];

    let entered = QueueEvent {
        group: Default::default(),
        tenant: tenant.clone(),
        conversation: Some(waiting.id.clone()),
        change: QueueChange::Entered,
        at: Timestamp(T0 + 1),
    };
    bus.publish(&entered).await.unwrap();
    // A retried publish of the same event is deduplicated by the queue.
    bus.publish(&entered).await.unwrap();
    let other = QueueEvent {
        group: Default::default(),
        at: Timestamp(T0 + 2),
        ..entered.clone()
    };
    bus.publish(&other).await.unwrap();

    let received = receive(&sqs, &url).await;
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

    let response = queue_fanout::handle(&fanout, as_sqs_event(&received)).await;
    assert!(response.batch_item_failures.is_empty());
    // One batch, one tenant: one coalesced update naming c1 once.
    let updates = push.to("ann-tab");
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0]["event"], "queue.updated");
    assert_eq!(
        updates[0]["changes"][0]["entry"]["conversation"]["id"],
        "c1"
    );
    assert_eq!(updates[0]["changes"].as_array().map(Vec::len), Some(1));
}

/// The queue events' queue as deployed: a standard queue, which takes no
/// group or deduplication id. A repeated publish arrives twice; the batch is
/// fanned out as one update naming each conversation once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_queue_events_reach_operators_through_a_standard_queue() {
    let sqs = aws_sdk_sqs::Client::new(&moto_sdk_config().await);
    let url = sqs
        .create_queue()
        .queue_name(format!("queue-events-{:016x}", rand::random::<u64>()))
        .send()
        .await
        .expect("create standard queue on moto")
        .queue_url
        .expect("queue url");
    let bus = SqsBus::new(sqs.clone(), url.clone());
    let world = queue_world(&bus).await;
    for c in [&world.waiting[0], &world.waiting[0], &world.waiting[1]] {
        bus.publish(&QueueEvent {
            group: Default::default(),
            tenant: world.tenant.clone(),
            conversation: Some(c.id.clone()),
            change: QueueChange::Entered,
            at: Timestamp(T0 + 5),
        })
        .await
        .unwrap();
    }
    let mut received = Vec::new();
    while received.len() < 3 {
        let batch = receive(&sqs, &url).await;
        assert!(!batch.is_empty(), "all three published: {received:?}");
        received.extend(batch);
    }
    assert!(received.iter().all(|m| m
        .attributes()
        .is_none_or(|a| !a.contains_key(&MessageSystemAttributeName::MessageGroupId))));

    let response = queue_fanout::handle(&world.fanout, as_sqs_event(&received)).await;
    assert!(response.batch_item_failures.is_empty());
    let updates = world.push.to("ann-tab");
    assert_eq!(updates.len(), 1, "{updates:?}");
    let named: Vec<&str> = updates[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["conversationId"].as_str().unwrap())
        .collect();
    assert_eq!(named, vec!["c1", "c2"]);
    assert_eq!(updates[0]["queueLength"], 2);
}

/// The channel bus on moto: a webhook's events go out in batches of ten,
/// a provider's retry is dropped by FIFO deduplication, one contact's events
/// keep their order, and what arrives drives the inbound consumer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_events_are_batched_deduplicated_and_ordered_on_sqs_fifo() {
    use switchboard_app::ports::InboundBus;
    use switchboard_aws::SqsChannelBus;
    use switchboard_tests::channels::{harness, meta_signature};

    let sqs = aws_sdk_sqs::Client::new(&moto_sdk_config().await);
    let inbound = fifo_queue(&sqs).await;
    let outbound = fifo_queue(&sqs).await;
    let bus = SqsChannelBus::new(sqs.clone(), inbound.clone(), outbound);

    // Twelve messages from one contact through the webhook normalizer.
    let h = harness();
    let template =
        String::from_utf8(switchboard_tests::channels::Vector::load("003").body()).unwrap();
    for i in 0..12 {
        let body = template
            .replace("MDAwMQA=", &format!("B{i:03}QA="))
            .replace("Bonjour", &format!("n{i:02}"));
        let request = lambda_http::http::Request::builder()
            .method("POST")
            .uri("/webhooks/whatsapp")
            .header("x-hub-signature-256", meta_signature(body.as_bytes()))
            .body(lambda_http::Body::Text(body))
            .unwrap();
        assert_eq!(
            channel_webhook::handle(&h.functions.webhook, request)
                .await
                .status(),
            200
        );
    }
    let envelopes = h.bus.inbound.lock().unwrap().clone();
    bus.publish_inbound(&envelopes).await.unwrap();
    // Meta retries the first two.
    bus.publish_inbound(&envelopes[..2]).await.unwrap();

    let mut bodies = Vec::new();
    while bodies.len() < 12 {
        let got = sqs
            .receive_message()
            .queue_url(&inbound)
            .max_number_of_messages(10)
            .message_system_attribute_names(MessageSystemAttributeName::MessageGroupId)
            .send()
            .await
            .unwrap();
        let messages = got.messages.unwrap_or_default();
        assert!(!messages.is_empty(), "only {} of 12 arrived", bodies.len());
        for m in messages {
            bodies.push(m.body.clone().unwrap());
            sqs.delete_message()
                .queue_url(&inbound)
                .receipt_handle(m.receipt_handle.unwrap())
                .send()
                .await
                .unwrap();
        }
    }
    let extra = sqs
        .receive_message()
        .queue_url(&inbound)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert!(
        extra.messages.unwrap_or_default().is_empty(),
        "the retried events were deduplicated"
    );

    let mut event = SqsEvent::default();
    event.records = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut r = SqsMessage::default();
            r.message_id = Some(format!("r{i}"));
            r.body = Some(b.clone());
            r
        })
        .collect();
    let response = channel_inbound::handle(&h.functions.inbound, event).await;
    assert!(response.batch_item_failures.is_empty());
    let visitor = switchboard_app::usecases::contact_visitor_id(
        Channel::WhatsApp,
        "420000000000002",
        "447700900123",
    )
    .unwrap();
    let tenant = TenantId::parse("demo").unwrap();
    let conversation = h
        .store
        .visitor_conversation(&tenant, &visitor)
        .await
        .unwrap()
        .unwrap();
    let page = h
        .store
        .messages(&tenant, &conversation.id, None, 50)
        .await
        .unwrap();
    let texts: Vec<String> = page
        .messages
        .iter()
        .map(|m| m.content.text_part().unwrap().as_str()[..3].to_string())
        .collect();
    assert_eq!(
        texts,
        (0..12).map(|i| format!("n{i:02}")).collect::<Vec<_>>()
    );
}
