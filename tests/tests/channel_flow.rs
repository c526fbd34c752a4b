//! Channel conversations through the functions' handlers: webhook → queued
//! events → inbound consumer → store and pushes, and operator message →
//! outbound job → sender → provider API. Providers' retries, out-of-order
//! receipts, concurrency and failing providers are the point.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::usecases::contact_visitor_id;
use switchboard_app::{ConnectRequest, Store};
use switchboard_domain::{
    Channel, Content, DeliveryState, OperatorId, OutboundJob, Role, Tenant, TenantId,
    TenantSettings, Timestamp,
};
use switchboard_tests::channels::{harness, harness_with, whatsapp_status, ChannelHarness, Vector};
use switchboard_tests::stores;

const OP_CONN: &str = "op-conn";

async fn replay(h: &ChannelHarness, vector: &str) {
    let response =
        channel_webhook::handle(&h.functions.webhook, Vector::load(vector).lambda_request()).await;
    assert_eq!(response.status().as_u16(), 200, "{vector}");
}

/// Tenant `demo` and operator alice online with one console connection.
async fn operator_online(h: &ChannelHarness) {
    let t = TenantId::parse("demo").unwrap();
    h.store
        .put_tenant(&Tenant {
            timezone: None,
            id: t.clone(),
            name: "Demo".into(),
            settings: TenantSettings::default(),
        })
        .await
        .unwrap();
    let token = h
        .tokens
        .issue_operator(
            &t,
            &OperatorId::parse("alice").unwrap(),
            "Alice",
            &[Role::Operator],
            Timestamp(u64::MAX / 4),
        )
        .unwrap();
    h.functions
        .connect
        .connect(ConnectRequest {
            connection_id: OP_CONN.into(),
            token: Some(token),
            ..ConnectRequest::default()
        })
        .await
        .unwrap();
    // Coming online tells the queue function; nothing waits yet.
    h.run_queue_function(10).await;
}

async fn frame(h: &ChannelHarness, body: Value) {
    h.functions
        .message
        .handle_frame(OP_CONN, &body.to_string())
        .await
        .unwrap();
}

fn pushed(h: &ChannelHarness, event: &str) -> Vec<Value> {
    h.push
        .to(OP_CONN)
        .into_iter()
        .filter(|e| e["event"] == event)
        .collect()
}

fn tenant() -> TenantId {
    TenantId::parse("demo").unwrap()
}

async fn whatsapp_conversation(h: &ChannelHarness) -> switchboard_domain::Conversation {
    let visitor = contact_visitor_id(Channel::WhatsApp, "420000000000002", "447700900123").unwrap();
    h.store
        .visitor_conversation(&tenant(), &visitor)
        .await
        .unwrap()
        .expect("the contact has a conversation")
}

#[tokio::test]
async fn a_webhook_delivered_three_times_is_one_message_and_one_push() {
    let h = harness();
    operator_online(&h).await;
    for _ in 0..3 {
        replay(&h, "003").await;
    }
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(&h).await;
    assert_eq!(conversation.channel, Channel::WhatsApp);
    assert_eq!(conversation.entry.name.as_deref(), Some("Amélie Dupont"));
    assert_eq!(conversation.entry.phone.as_deref(), Some("447700900123"));
    assert_eq!(
        h.queue.pending(),
        1,
        "the conversation entered the queue once"
    );
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 50)
        .await
        .unwrap();
    assert_eq!(page.messages.len(), 1);
    assert_eq!(
        page.messages[0].content.text_part().unwrap().as_str(),
        "Bonjour, ma commande n°4411 est arrivée cassée ☹"
    );

    frame(
        &h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    for _ in 0..3 {
        replay(&h, "004").await;
    }
    h.consume_inbound().await;
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 50)
        .await
        .unwrap();
    assert_eq!(page.messages.len(), 2);
    let image = &page.messages[1];
    assert_eq!(
        match &image.content {
            Content::Attachments { attachments, .. } => attachments[0].provider_media_id.as_deref(),
            other => panic!("expected attachments, got {other:?}"),
        },
        Some("1790000000000007")
    );
    let messages = pushed(&h, "message");
    assert_eq!(
        messages.len(),
        1,
        "one push for three deliveries: {messages:?}"
    );
    assert_eq!(messages[0]["message"]["attachments"][0]["kind"], "image");
}

#[tokio::test]
async fn operator_replies_are_sent_once_and_receipts_never_regress() {
    let h = harness();
    operator_online(&h).await;
    replay(&h, "003").await;
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(&h).await;
    frame(
        &h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    frame(
        &h,
        json!({"action": "message.send", "conversationId": conversation.id,
                     "clientMessageId": "reply-1", "text": "Désolée ! Nous renvoyons le colis."}),
    )
    .await;
    assert_eq!(h.bus.outbound.lock().unwrap().len(), 1);
    let job = h.bus.outbound.lock().unwrap()[0].clone();

    h.http.answer(
        200,
        r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT1"}]}"#,
    );
    assert_eq!(h.send_jobs(1).await, 0);
    let calls = h.http.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].url,
        "http://provider.invalid/graph/420000000000002/messages"
    );
    let sent: Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(sent["to"], "447700900123");
    assert_eq!(sent["text"]["body"], "Désolée ! Nous renvoyons le colis.");
    assert!(calls[0]
        .headers
        .contains(&("authorization".into(), "Bearer local-whatsapp-token".into())));

    // SQS delivers the same job again: no second call.
    h.bus.outbound.lock().unwrap().push(job);
    assert_eq!(h.send_jobs(2).await, 0);
    assert_eq!(h.http.calls().len(), 1);

    // Receipts out of order, and each three times.
    let callback = sent["biz_opaque_callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    for (status, cb) in [
        ("read", Some(callback.as_str())),
        ("delivered", None),
        ("sent", None),
    ] {
        for _ in 0..3 {
            assert_eq!(
                h.post_signed(
                    "/webhooks/whatsapp",
                    &whatsapp_status("wamid.OUT1", status, cb)
                )
                .await,
                200
            );
        }
    }
    h.consume_inbound().await;
    let message = h
        .store
        .message(&tenant(), &conversation.id, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(message.delivery.unwrap().state, DeliveryState::Read);
    let states: Vec<Value> = pushed(&h, "message.delivery")
        .iter()
        .map(|e| e["delivery"]["state"].clone())
        .collect();
    assert_eq!(states, vec![json!("sent"), json!("read")]);
}

#[tokio::test]
async fn outside_the_whatsapp_window_a_reply_is_refused_before_any_call() {
    let h = harness();
    operator_online(&h).await;
    replay(&h, "003").await;
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(&h).await;
    frame(
        &h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    h.clock.advance(25 * 3600 * 1000);
    // Consoles reconnect at least every two hours (API Gateway's limit).
    operator_online(&h).await;
    frame(
        &h,
        json!({"action": "message.send", "conversationId": conversation.id, "requestId": "r1",
                     "clientMessageId": "late", "text": "Hello?"}),
    )
    .await;
    let errors = pushed(&h, "error");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], "window_closed");
    assert!(h.bus.outbound.lock().unwrap().is_empty());
    assert!(h.http.calls().is_empty());
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 50)
        .await
        .unwrap();
    assert_eq!(page.messages.len(), 1, "nothing stored");
}

async fn reply_pending(h: &ChannelHarness) {
    operator_online(h).await;
    replay(h, "003").await;
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(h).await;
    frame(
        h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    frame(
        h,
        json!({"action": "message.send", "conversationId": conversation.id,
                    "clientMessageId": "reply-1", "text": "On it"}),
    )
    .await;
}

#[tokio::test]
async fn a_500_then_200_is_sent_once_and_429_is_retried() {
    let h = harness();
    reply_pending(&h).await;
    h.http.answer(500, "upstream");
    h.http.answer(429, "");
    h.http.answer(200, r#"{"messages":[{"id":"wamid.OK"}]}"#);
    assert_eq!(h.send_jobs(1).await, 0);
    assert_eq!(h.http.calls().len(), 3);
    let conversation = whatsapp_conversation(&h).await;
    let m = h
        .store
        .message(&tenant(), &conversation.id, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.delivery.unwrap().state, DeliveryState::Sent);
    assert_eq!(m.external_id.as_deref(), Some("wamid.OK"));
    assert_eq!(pushed(&h, "message.delivery").len(), 1);
}

#[tokio::test]
async fn a_provider_still_failing_is_redelivered_then_marked_failed() {
    let h = harness();
    reply_pending(&h).await;
    let job = h.bus.outbound.lock().unwrap()[0].clone();
    for _ in 0..3 {
        h.http.answer(503, "");
    }
    assert_eq!(h.send_jobs(1).await, 1, "left for SQS to redeliver");
    assert!(pushed(&h, "message.delivery").is_empty());
    // The last delivery SQS will make (maxReceiveCount): give up and say so.
    h.bus.outbound.lock().unwrap().push(job);
    for _ in 0..3 {
        h.http.answer(503, "");
    }
    assert_eq!(h.send_jobs(3).await, 0);
    let failed = pushed(&h, "message.delivery");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["delivery"]["state"], "failed");
    assert_eq!(failed[0]["delivery"]["error"]["code"], "retries_exhausted");
}

#[tokio::test]
async fn a_permanent_error_surfaces_to_the_operator() {
    let h = harness();
    reply_pending(&h).await;
    h.http.answer(
        400,
        r#"{"error":{"message":"Re-engagement message","type":"OAuthException","code":131047,"error_data":{"details":"24 hours have passed"}}}"#,
    );
    assert_eq!(h.send_jobs(1).await, 0);
    assert_eq!(h.http.calls().len(), 1, "no retry of a permanent error");
    let events = pushed(&h, "message.delivery");
    assert_eq!(events.len(), 1);
    let error = &events[0]["delivery"]["error"];
    assert_eq!(events[0]["delivery"]["state"], "failed");
    assert_eq!(error["code"], 131047);
    assert_eq!(error["action"], "send_approved_template_to_reengage");
    assert_eq!(error["retryable"], false);
}

async fn concurrent_inbound_is_one_conversation_in_order(store: Arc<dyn Store>) {
    let h = harness_with(store);
    let template = Vector::load("003");
    let body = String::from_utf8(template.body()).unwrap();
    // 16 messages from one contact, queued in order, consumed concurrently.
    for i in 0..16 {
        let b = body
            .replace("MDAwMQA=", &format!("{i:04}QA="))
            .replace("Bonjour", &format!("m{i:02}"));
        assert_eq!(h.post_signed("/webhooks/whatsapp", &b).await, 200);
    }
    let envelopes: Vec<_> = std::mem::take(&mut *h.bus.inbound.lock().unwrap());
    let ingest = h.functions.inbound.clone();
    let ingests = envelopes.iter().map(|e| {
        let ingest = ingest.clone();
        let e = e.clone();
        async move { ingest.ingest(&e).await.unwrap() }
    });
    futures::future::join_all(ingests).await;
    let conversation = whatsapp_conversation(&h).await;
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 100)
        .await
        .unwrap();
    assert_eq!(page.messages.len(), 16);
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=16).collect::<Vec<_>>(), "gapless");

    // In order when consumed as the FIFO queue hands them over.
    for i in 0..8 {
        let b = body
            .replace("MDAwMQA=", &format!("S{i:03}QA="))
            .replace("Bonjour", &format!("s{i:02}"));
        assert_eq!(h.post_signed("/webhooks/whatsapp", &b).await, 200);
    }
    h.consume_inbound().await;
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 100)
        .await
        .unwrap();
    let texts: Vec<String> = page.messages[16..]
        .iter()
        .map(|m| m.content.text_part().unwrap().as_str()[..3].to_string())
        .collect();
    assert_eq!(
        texts,
        (0..8).map(|i| format!("s{i:02}")).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inbound_embedded() {
    concurrent_inbound_is_one_conversation_in_order(stores::embedded()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inbound_dynamodb_on_moto() {
    concurrent_inbound_is_one_conversation_in_order(Arc::new(stores::dynamodb().await)).await;
}

#[tokio::test]
async fn apple_close_closes_and_typing_reaches_the_operator() {
    let h = harness();
    operator_online(&h).await;
    replay(&h, "019").await;
    h.consume_inbound().await;
    let visitor = contact_visitor_id(
        Channel::Apple,
        "0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07",
        "urn:mbid:AQAAY29tbmktdGVzdC1vcGFxdWUtdXNlci0wMDAxLWZha2U=",
    )
    .unwrap();
    let conversation = h
        .store
        .visitor_conversation(&tenant(), &visitor)
        .await
        .unwrap()
        .unwrap();
    let contact = h.store.contact(&tenant(), &visitor).await.unwrap().unwrap();
    assert_eq!(
        contact.profile.capabilities.as_deref(),
        Some(&["QUICK", "LIST", "TIME", "AUTH", "AUTH2", "FORM"].map(String::from)[..])
    );
    frame(
        &h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    replay(&h, "021").await;
    replay(&h, "025").await;
    h.consume_inbound().await;
    let typing = pushed(&h, "typing");
    assert_eq!(typing.len(), 1);
    assert_eq!(typing[0]["from"], "visitor");
    let closed = pushed(&h, "conversation.closed");
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["closedBy"], "visitor");
    let now = h
        .store
        .conversation(&tenant(), &conversation.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, switchboard_domain::ConversationStatus::Closed);
    // The same close again changes nothing.
    replay(&h, "025").await;
    h.consume_inbound().await;
    assert_eq!(pushed(&h, "conversation.closed").len(), 1);
}

#[tokio::test]
async fn echoes_are_business_messages_and_our_own_are_skipped() {
    let h = harness();
    operator_online(&h).await;
    replay(&h, "003").await;
    replay(&h, "011").await;
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(&h).await;
    let page = h
        .store
        .messages(&tenant(), &conversation.id, None, 50)
        .await
        .unwrap();
    assert_eq!(page.messages.len(), 2);
    let echo = serde_json::to_value(&page.messages[1]).unwrap();
    assert_eq!(echo["author"]["kind"], "business");
    assert_eq!(echo["text"], "Sent from the phone app");
    // The echo did not refresh the client's window.
    let contact = h
        .store
        .contact(&tenant(), &conversation.visitor)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.last_inbound_at, Some(Timestamp(1_767_225_601_000)));
}

/// A client of `channel` writes (a reference vector), alice accepts and replies,
/// and the sender's one provider call is returned.
async fn reply_through(
    h: &ChannelHarness,
    vector: &str,
    channel: Channel,
    account: &str,
    contact: &str,
    provider_answer: &str,
) -> switchboard_app::ports::HttpCall {
    operator_online(h).await;
    replay(h, vector).await;
    h.consume_inbound().await;
    let visitor = contact_visitor_id(channel, account, contact).unwrap();
    let conversation = h
        .store
        .visitor_conversation(&tenant(), &visitor)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(conversation.channel, channel);
    frame(
        h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    frame(
        h,
        json!({"action": "message.send", "conversationId": conversation.id,
                    "clientMessageId": "reply-1", "text": "Да, уже в пути"}),
    )
    .await;
    h.http.answer(200, provider_answer);
    assert_eq!(h.send_jobs(1).await, 0);
    let calls = h.http.calls();
    assert_eq!(calls.len(), 1);
    let sent = pushed(h, "message.delivery");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["delivery"]["state"], "sent");
    calls[0].clone()
}

#[tokio::test]
async fn vk_client_to_operator_and_back_through_messages_send() {
    let h = harness();
    let call = reply_through(
        &h,
        "038",
        Channel::Vk,
        "229000001",
        "700000001",
        r#"{"response":31}"#,
    )
    .await;
    assert_eq!(call.url, "http://provider.invalid/vk/messages.send");
    let form: std::collections::HashMap<String, String> =
        form_urlencoded::parse(&call.body).into_owned().collect();
    assert_eq!(form["peer_id"], "700000001");
    assert_eq!(form["message"], "Да, уже в пути");
    assert_eq!(form["v"], "5.199");
    assert!(form["random_id"].parse::<i32>().is_ok());
    assert!(call
        .headers
        .contains(&("authorization".into(), "Bearer local-vk-token".into())));
}

#[tokio::test]
async fn instagram_client_to_operator_and_back_through_the_send_api() {
    let h = harness();
    let call = reply_through(
        &h,
        "018",
        Channel::Instagram,
        "17841400000000005",
        "7200000000000006",
        r#"{"recipient_id":"7200000000000006","message_id":"aWdfIG-OUT"}"#,
    )
    .await;
    assert_eq!(
        call.url,
        "http://provider.invalid/graph/17841400000000005/messages"
    );
    let body: Value = serde_json::from_slice(&call.body).unwrap();
    assert_eq!(body["recipient"]["id"], "7200000000000006");
    assert_eq!(body["message"]["text"], "Да, уже в пути");
    assert!(call
        .headers
        .contains(&("authorization".into(), "Bearer local-ig-token".into())));
}

/// An internal note in a WhatsApp conversation is stored and shown to the
/// operator, but no job is queued for it and the provider is never called,
/// even when a job naming it is forged onto the queue.
#[tokio::test]
async fn a_note_never_reaches_the_channel() {
    let h = harness();
    operator_online(&h).await;
    replay(&h, "003").await;
    h.consume_inbound().await;
    let conversation = whatsapp_conversation(&h).await;
    frame(
        &h,
        json!({"action": "conversation.accept", "conversationId": conversation.id}),
    )
    .await;
    frame(
        &h,
        json!({"action": "note.add", "conversationId": conversation.id,
               "clientMessageId": "note-1", "text": "Customer is angry; offer a refund."}),
    )
    .await;
    let ack = pushed(&h, "message.ack");
    assert_eq!(ack.last().unwrap()["clientMessageId"], "note-1");
    let seq = ack.last().unwrap()["seq"].as_u64().unwrap();
    assert!(
        h.bus.outbound.lock().unwrap().is_empty(),
        "no job for a note"
    );

    // A forged or replayed job for the note's seq sends nothing.
    h.bus.outbound.lock().unwrap().push(OutboundJob {
        tenant: tenant(),
        conversation: conversation.id.clone(),
        seq,
        visitor: None,
    });
    assert_eq!(h.send_jobs(1).await, 0);
    assert!(h.http.calls().is_empty(), "the provider was never called");

    let stored = h
        .store
        .message(&tenant(), &conversation.id, seq)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.content.kind(), "note");
    assert_eq!(stored.delivery, None);

    // A normal reply after it is sent, and only it.
    frame(
        &h,
        json!({"action": "message.send", "conversationId": conversation.id,
               "clientMessageId": "reply-1", "text": "We will refund you today."}),
    )
    .await;
    h.http.answer(
        200,
        r#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT9"}]}"#,
    );
    assert_eq!(h.send_jobs(1).await, 0);
    let calls = h.http.calls();
    assert_eq!(calls.len(), 1);
    let body = String::from_utf8(calls[0].body.clone()).unwrap();
    assert!(body.contains("We will refund you today."));
    assert!(!body.contains("refund."), "{body}");
}

/// A channel account routed to a group: its new conversations wait in that
/// group's queue. One routed to a group the tenant never defined (a typo in
/// the channel configuration) falls back to the default group rather than
/// stranding clients in a queue nobody sees.
#[tokio::test]
async fn a_channel_account_routes_to_its_group_or_else_the_default() {
    use switchboard_domain::{Group, GroupId, RoutingPolicy};
    use switchboard_tests::channels::{
        config_routing_whatsapp_to, harness_configured, whatsapp_text,
    };
    for (routed_to, waits_in) in [("sales", "sales"), ("ghost", "default")] {
        let store: Arc<dyn Store> =
            Arc::new(switchboard_embedded::SqliteStore::in_memory().unwrap());
        let h = harness_configured(store, config_routing_whatsapp_to(routed_to));
        operator_online(&h).await;
        h.store
            .put_group(&Group {
                id: GroupId::parse("sales").unwrap(),
                tenant: tenant(),
                name: "Sales".into(),
                members: vec![OperatorId::parse("alice").unwrap()],
                policy: RoutingPolicy::Manual,
                hours: None,
            })
            .await
            .unwrap();
        assert_eq!(
            h.post_signed("/webhooks/whatsapp", &whatsapp_text("wamid.G1", "Bonjour"))
                .await,
            200
        );
        h.consume_inbound().await;
        let conversation = whatsapp_conversation(&h).await;
        assert_eq!(
            conversation.group.as_str(),
            waits_in,
            "routed to {routed_to}"
        );
        let queue = h
            .store
            .group_queue(&tenant(), &conversation.group, 10)
            .await
            .unwrap();
        assert_eq!(queue.len(), 1, "it waits in {waits_in}'s queue");
    }
}
