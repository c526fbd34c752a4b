//! End to end on the local stack over real sockets: a signed webhook arrives
//! over HTTP, an operator's console sees the waiting client, accepts and
//! replies; the reply reaches a fake of the provider's send API, and the
//! provider's receipt comes back to the console.

use serde_json::{json, Value};
use switchboard_tests::channel_stack::start;
use switchboard_tests::channels::{meta_signature, Vector, APPLE_MSP_ID, APPLE_SECRET_B64};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatsapp_client_to_operator_and_back_with_a_delivered_receipt() {
    let mut s = start().await;
    // The reference message, written just now: the 24-hour window runs from
    // the client's message, and the vector's own date is long past.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let body = String::from_utf8(Vector::load("003").body())
        .unwrap()
        .replace(
            "\"timestamp\":\"1767225601\"",
            &format!("\"timestamp\":\"{now}\""),
        );
    let headers = [(
        "X-Hub-Signature-256".to_string(),
        meta_signature(body.as_bytes()),
    )];
    let (status, _) = s
        .post("/webhooks/whatsapp", &headers, body.into_bytes())
        .await;
    assert_eq!(status, 200);
    let conversation = s.accept_waiting("whatsapp").await;
    assert_eq!(conversation["entry"]["name"], "Amélie Dupont");
    assert_eq!(conversation["entry"]["phone"], "447700900123");
    s.reply(&conversation, "We are sending a new one today.")
        .await;

    let sent = s.provider.next().await;
    assert_eq!(sent.path, "/graph/420000000000002/messages");
    assert_eq!(sent.headers["authorization"], "Bearer local-whatsapp-token");
    let body = sent.json();
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(body["to"], "447700900123");
    assert_eq!(body["type"], "text");
    assert_eq!(body["text"]["body"], "We are sending a new one today.");
    let sent_event = s.delivery("sent").await;
    assert_eq!(sent_event["seq"], 2);

    let status = json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550100123", "phone_number_id": "420000000000002"},
        "statuses": [{"id": "wamid.FAKE1", "status": "delivered", "timestamp": "1767225700",
                      "recipient_id": "447700900123",
                      "biz_opaque_callback_data": body["biz_opaque_callback_data"]}]}}]}]});
    s.post_meta("/webhooks/whatsapp", status).await;
    let delivered = s.delivery("delivered").await;
    assert_eq!(delivered["conversationId"], conversation["id"]);
    assert_eq!(delivered["clientMessageId"], "reply-1");
    s.stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apple_client_to_operator_and_back_through_the_msp_api() {
    use base64::Engine;
    let mut s = start().await;
    s.replay("019").await;
    let conversation = s.accept_waiting("apple").await;
    assert_eq!(conversation["entry"]["language"], "en_US");
    assert_eq!(conversation["entry"]["os"], "iPhone OS");
    s.reply(&conversation, "Hello from support 👋").await;

    let sent = s.provider.next().await;
    assert_eq!(sent.path, "/apple/v1/message");
    let contact = "urn:mbid:AQAAY29tbmktdGVzdC1vcGFxdWUtdXNlci0wMDAxLWZha2U=";
    assert_eq!(sent.headers["destination-id"], contact);
    assert_eq!(
        sent.headers["source-id"],
        "0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07"
    );
    let token = sent.headers["authorization"]
        .to_str()
        .unwrap()
        .strip_prefix("Bearer ")
        .unwrap()
        .to_string();
    let key = base64::engine::general_purpose::STANDARD
        .decode(APPLE_SECRET_B64)
        .unwrap();
    let claims: Value =
        switchboard_app::jwt::verify(&token, &key).expect("signed with the decoded MSP secret");
    assert_eq!(claims["iss"], APPLE_MSP_ID);
    assert!(claims["iat"].as_u64().is_some());
    let body = sent.json();
    assert_eq!(body["type"], "text");
    assert_eq!(body["body"], "Hello from support 👋");
    assert_eq!(body["id"], sent.headers["id"].to_str().unwrap());
    assert_eq!(body["destinationId"], contact);
    // Apple has no receipts: the gateway's 200 is the last word.
    s.delivery("sent").await;

    s.replay("025").await;
    let closed = s.console.expect("conversation.closed").await;
    assert_eq!(closed["closedBy"], "visitor");
    s.stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messenger_client_to_operator_and_back_with_delivery_and_read() {
    let mut s = start().await;
    s.replay("013").await;
    let conversation = s.accept_waiting("messenger").await;
    s.reply(&conversation, "Your order ships tomorrow.").await;

    let sent = s.provider.next().await;
    assert_eq!(sent.path, "/graph/530000000000003/messages");
    let body = sent.json();
    assert_eq!(body["recipient"]["id"], "6100000000000004");
    assert_eq!(body["messaging_type"], "RESPONSE");
    assert_eq!(body["message"]["text"], "Your order ships tomorrow.");
    let metadata = body["message"]["metadata"].as_str().unwrap().to_string();
    s.delivery("sent").await;

    // Our own send echoed back is not stored twice.
    s.post_meta("/webhooks/meta", json!({"object": "page", "entry": [{"id": "530000000000003", "time": 1, "messaging": [{
        "sender": {"id": "530000000000003"}, "recipient": {"id": "6100000000000004"}, "timestamp": 1,
        "message": {"is_echo": true, "mid": "m_FAKE1", "text": "Your order ships tomorrow.", "metadata": metadata}}]}]})).await;
    s.post_meta(
        "/webhooks/meta",
        json!({"object": "page", "entry": [{"id": "530000000000003", "time": 1, "messaging": [{
        "sender": {"id": "6100000000000004"}, "recipient": {"id": "530000000000003"},
        "delivery": {"mids": ["m_FAKE1"], "watermark": 1}}]}]}),
    )
    .await;
    s.delivery("delivered").await;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    s.post_meta("/webhooks/meta", json!({"object": "page", "entry": [{"id": "530000000000003", "time": 1, "messaging": [{
        "sender": {"id": "6100000000000004"}, "recipient": {"id": "530000000000003"}, "timestamp": now_ms,
        "read": {"watermark": now_ms + 1000}}]}]})).await;
    s.delivery("read").await;

    s.stack.settled().await;
    let history = s
        .console
        .request(
            json!({"action": "history", "conversationId": conversation["id"]}),
            "history",
        )
        .await;
    let messages = history["messages"].as_array().unwrap();
    assert_eq!(
        messages.len(),
        2,
        "the echo of our own send is not a new message: {history}"
    );
    assert_eq!(messages[1]["delivery"]["state"], "read");
    s.stack.stop().await;
}
