//! A widget's allowed origins on the local stack: an admin names the sites
//! that may embed it, and a visitor socket opened from any other site (or
//! without an `Origin`, which browsers always send) is refused at
//! `$connect` with 403.

use serde_json::json;
use switchboard_tests::local::{operator, start};
use switchboard_tests::ws::Client;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_connect_only_from_the_widgets_sites() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start(dir.path()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let url = format!("{}?widgetId={}", stack.ws_url(), stack.seed.widget);

    // Any site until the admin names some.
    assert!(Client::connect_from(&url, Some("https://anywhere.example"))
        .await
        .is_ok());

    let set = |origins: serde_json::Value| {
        json!({"action": "widget.origins", "widgetId": stack.seed.widget.as_str(),
               "allowedOrigins": origins})
    };
    let refused = bob
        .request(set(json!(["https://shop.example.com"])), "bob")
        .await;
    assert_eq!(refused["code"], "forbidden", "{refused}");
    let refused = alice
        .request(set(json!(["http://shop.example.com"])), "bad")
        .await;
    assert_eq!(refused["field"], "allowedOrigins[0]", "{refused}");
    let refused = alice
        .request(
            json!({"action": "widget.origins", "widgetId": "nope", "allowedOrigins": []}),
            "unknown",
        )
        .await;
    assert_eq!(refused["code"], "unknown_widget", "{refused}");
    let saved = alice
        .request(set(json!(["https://Shop.Example.com/"])), "set")
        .await;
    assert_eq!(saved["event"], "widget.saved", "{saved}");
    assert_eq!(
        saved["widget"]["allowedOrigins"],
        json!(["https://shop.example.com"])
    );

    let mut v = Client::connect_from(&url, Some("https://shop.example.com"))
        .await
        .expect("the shop's own page connects");
    let welcome = v.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome");
    for origin in [
        Some("https://evil.example"),
        Some("https://shop.example.com.evil.io"),
        None,
    ] {
        assert_eq!(
            Client::connect_from(&url, origin).await.err(),
            Some(403),
            "{origin:?}"
        );
    }
    // Operators' consoles are not widgets: no origin rule for them.
    assert!(Client::connect_from(
        &format!("{}?token={}", stack.ws_url(), stack.seed.operator_token),
        Some("https://evil.example")
    )
    .await
    .is_ok());
}
