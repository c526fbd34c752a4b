//! Every reference vector through the webhook function, as the HTTP API
//! invokes it: the status, the answer and the normalized events queued. Then
//! the failure modes around them: nothing queued on refusal, 5xx when the
//! queue is unreachable, gzip, unknown accounts.

use std::io::Write;
use std::sync::atomic::Ordering;
use switchboard_domain::{ChannelEvent, InboundEnvelope};
use switchboard_tests::channels::{
    all, apple_token, assert_subset, harness, meta_signature, Vector, APPLE_BUSINESS,
};

async fn call(
    h: &switchboard_tests::channels::ChannelHarness,
    request: lambda_http::Request,
) -> (u16, String, String) {
    let response = channel_webhook::handle(&h.functions.webhook, request).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = match response.into_body() {
        lambda_http::Body::Text(t) => t,
        lambda_http::Body::Binary(b) => String::from_utf8(b).unwrap(),
        _ => String::new(),
    };
    (status, content_type, body)
}

fn queued(h: &switchboard_tests::channels::ChannelHarness) -> Vec<InboundEnvelope> {
    h.bus.inbound.lock().unwrap().clone()
}

#[tokio::test]
async fn every_reference_vector_gets_its_status_answer_and_events() {
    let vectors = all();
    assert_eq!(
        vectors.len(),
        28,
        "the fixtures hold every reference vector"
    );
    for vector in vectors {
        let h = harness();
        let (status, content_type, body) = call(&h, vector.lambda_request()).await;
        let expected = vector.expected();
        assert_eq!(
            u64::from(status),
            expected["status"].as_u64().unwrap(),
            "{}: status (body {body:?})",
            vector.name
        );
        if let Some(answer) = expected.get("response_body").and_then(|b| b.as_str()) {
            assert_eq!(body, answer, "{}: response body", vector.name);
        }
        if let Some(ct) = expected.pointer("/response_headers/Content-Type") {
            assert!(
                content_type.starts_with(ct.as_str().unwrap()),
                "{}: content type {content_type}",
                vector.name
            );
        }
        let events: Vec<serde_json::Value> = queued(&h)
            .iter()
            .map(|e| serde_json::to_value(&e.event).unwrap())
            .collect();
        assert_subset(
            &expected["normalized_events"],
            &serde_json::Value::Array(events),
            &vector.name,
        );
        for envelope in queued(&h) {
            assert_eq!(envelope.tenant.as_str(), "demo", "{}", vector.name);
            // What the consumer reads back is what the webhook queued.
            let wire = serde_json::to_string(&envelope).unwrap();
            let back: InboundEnvelope = serde_json::from_str(&wire).unwrap();
            assert_eq!(back, envelope, "{}: queue round trip", vector.name);
        }
        if status != 200 {
            assert!(queued(&h).is_empty(), "{}: refused but queued", vector.name);
        }
    }
}

#[tokio::test]
async fn an_unreachable_queue_answers_503_so_the_provider_retries() {
    let h = harness();
    h.bus.fail.store(true, Ordering::SeqCst);
    let (status, _, _) = call(&h, Vector::load("003").lambda_request()).await;
    assert_eq!(status, 503);
    h.bus.fail.store(false, Ordering::SeqCst);
    let (status, _, _) = call(&h, Vector::load("003").lambda_request()).await;
    assert_eq!(status, 200);
    assert_eq!(queued(&h).len(), 1);
}

fn apple_request(body: &[u8], destination: &str, gzip: bool) -> lambda_http::Request {
    let mut b = lambda_http::http::Request::builder()
        .method("POST")
        .uri("/webhooks/apple/message")
        .header("authorization", format!("Bearer {}", apple_token()))
        .header("id", "9a9a9a9a-0000-4000-8000-000000000001")
        .header("source-id", "urn:mbid:gzip-user")
        .header("destination-id", destination)
        .header("content-type", "application/json");
    if gzip {
        b = b.header("content-encoding", "gzip");
    }
    b.body(lambda_http::Body::Binary(body.to_vec())).unwrap()
}

#[tokio::test]
async fn apple_gzip_bodies_are_inflated_and_broken_ones_refused() {
    let body = br#"{"v":1,"type":"text","id":"9a9a9a9a-0000-4000-8000-000000000001","sourceId":"urn:mbid:gzip-user","destinationId":"0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07","body":"compressed hello"}"#;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(body).unwrap();
    let gz = enc.finish().unwrap();

    let h = harness();
    let (status, _, _) = call(&h, apple_request(&gz, APPLE_BUSINESS, true)).await;
    assert_eq!(status, 200);
    match &queued(&h)[0].event {
        ChannelEvent::MessageReceived(m) => assert_eq!(m.text.as_deref(), Some("compressed hello")),
        other => panic!("unexpected {other:?}"),
    }

    let h = harness();
    let (status, _, answer) = call(
        &h,
        apple_request(b"\x1f\x8bnot really", APPLE_BUSINESS, true),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(queued(&h).is_empty());

    // A bomb: 20 MB of zeros compress to a few KB; inflation stops at the cap.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![b' '; 20 * 1024 * 1024]).unwrap();
    let bomb = enc.finish().unwrap();
    let (status, _, _) = call(&h, apple_request(&bomb, APPLE_BUSINESS, true)).await;
    assert_eq!(status, 413);

    let (status, _, _) = call(
        &h,
        apple_request(body, "11111111-2222-4333-8444-555555555555", false),
    )
    .await;
    assert_eq!(status, 403, "a business id we do not serve");
    assert!(queued(&h).is_empty());
}

#[tokio::test]
async fn meta_refusals_queue_nothing() {
    let h = harness();
    let v = Vector::load("003");
    // Signed, then one byte changed.
    let mut body = v.body();
    body[10] ^= 1;
    let request = lambda_http::http::Request::builder()
        .method("POST")
        .uri("/webhooks/whatsapp")
        .header("x-hub-signature-256", meta_signature(&v.body()))
        .body(lambda_http::Body::Binary(body))
        .unwrap();
    assert_eq!(call(&h, request).await.0, 401);

    // The same event for a phone number bound to no tenant: acknowledged, not queued.
    let foreign = String::from_utf8(v.body())
        .unwrap()
        .replace("420000000000002", "999");
    let request = lambda_http::http::Request::builder()
        .method("POST")
        .uri("/webhooks/whatsapp")
        .header("x-hub-signature-256", meta_signature(foreign.as_bytes()))
        .body(lambda_http::Body::Text(foreign))
        .unwrap();
    assert_eq!(call(&h, request).await.0, 200);

    let request = lambda_http::http::Request::builder()
        .method("GET")
        .uri("/webhooks/meta?hub.mode=subscribe&hub.challenge=42&hub.verify_token=omni-verify-7f3a")
        .body(lambda_http::Body::Empty)
        .unwrap();
    assert_eq!(
        call(&h, request).await,
        (200, "text/plain; charset=utf-8".into(), "42".into())
    );

    let request = lambda_http::http::Request::builder()
        .method("DELETE")
        .uri("/webhooks/meta")
        .body(lambda_http::Body::Empty)
        .unwrap();
    assert_eq!(call(&h, request).await.0, 405);
    let request = lambda_http::http::Request::builder()
        .method("POST")
        .uri("/webhooks/telegram")
        .body(lambda_http::Body::Empty)
        .unwrap();
    assert_eq!(call(&h, request).await.0, 404);
    assert!(queued(&h).is_empty());
}

#[tokio::test]
async fn vk_refuses_a_wrong_or_missing_secret() {
    let h = harness();
    let v = Vector::load("038");
    let body = String::from_utf8(v.body()).unwrap();
    for forged in [
        body.replace("vk-callback-secret-test", "guess"),
        body.replace(",\"secret\":\"vk-callback-secret-test\"", ""),
    ] {
        let request = lambda_http::http::Request::builder()
            .method("POST")
            .uri("/webhooks/vk")
            .body(lambda_http::Body::Text(forged))
            .unwrap();
        assert_eq!(call(&h, request).await.0, 401);
    }
    assert!(queued(&h).is_empty());
}
