//! A widget's entries on the local stack: the admin chooses which buttons
//! its entry form shows and in what order, the visitor's `welcome` carries
//! them, and a start through an entry the widget does not offer is refused
//! with the field named, before anything is written.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{acme_admin, AcmeAdmin};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::ws::Client;

const T0: u64 = 1_800_000_000_000;

fn start(entry_type: &str, code: Option<&str>) -> Value {
    let mut frame = json!({"action": "conversation.start", "entry": {
        "type": entry_type, "language": "en", "browser": "Chromium", "os": "Linux",
        "widget": "Shop", "pageUrl": "https://shop.acme.example/"}});
    if let Some(code) = code {
        frame["invitationCode"] = json!(code);
    }
    frame
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_widget_offers_the_entries_its_admin_chose() {
    let dir = tempfile::tempdir().unwrap();
    let AcmeAdmin {
        stack,
        api,
        token: ann,
        ..
    } = acme_admin(dir.path(), Arc::new(FixedClock::at(T0))).await;
    let t = Some(ann.as_str());

    // Absent: all four, in the default order.
    let (status, widget) = api
        .call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "acme-all", "name": "All"})),
        )
        .await;
    assert_eq!(status, 201, "{widget}");
    assert_eq!(
        widget["entries"],
        json!(["chat", "video", "callback", "invitation"])
    );

    // Refusals name the field and leave nothing behind.
    for (entries, field) in [
        (json!([]), "entries"),
        (json!(["callback", "chat", "callback"]), "entries[2]"),
    ] {
        let (status, body) = api
            .call(
                "POST",
                "/admin/widgets",
                t,
                Some(json!({"id": "acme-bad", "name": "Bad", "entries": entries})),
            )
            .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    let (status, body) = api
        .call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "acme-bad", "name": "Bad", "entries": ["fax"]})),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        api.call("GET", "/admin/widgets/acme-bad", t, None).await.0,
        404
    );

    // Callback first, then codes; no chat, no video.
    let (status, widget) = api
        .call(
            "POST",
            "/admin/widgets",
            t,
            Some(
                json!({"id": "acme-phone", "name": "Phone", "entries": ["callback", "invitation"]}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{widget}");
    let (_, got) = api.call("GET", "/admin/widgets/acme-phone", t, None).await;
    assert_eq!(got["entries"], json!(["callback", "invitation"]));

    let url = format!("{}?widgetId=acme-phone", stack.ws_url());
    let mut visitor = Client::connect(&url).await.unwrap();
    let welcome = visitor.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome", "{welcome}");
    assert_eq!(welcome["entries"], json!(["callback", "invitation"]));

    let refused = visitor.request(start("chat", None), "chat").await;
    assert_eq!(
        (refused["event"].as_str(), refused["field"].as_str()),
        (Some("error"), Some("entry.type")),
        "{refused}"
    );
    let refused = visitor.request(start("video", None), "video").await;
    assert_eq!(refused["field"], "entry.type", "{refused}");
    // A code starts whatever type it carries, as long as codes are offered.
    let wrong_code = visitor.request(start("chat", Some("000000")), "code").await;
    assert_eq!(wrong_code["code"], "invalid_invitation", "{wrong_code}");
    // Nobody is online in this tenant: the offered callback gets the form.
    let callback = visitor.request(start("callback", None), "callback").await;
    assert_eq!(callback["event"], "conversation.offline", "{callback}");

    // The admin takes codes away; a visitor who connects afterwards hears it
    // and cannot use one.
    let (status, _) = api
        .call(
            "PUT",
            "/admin/widgets/acme-phone",
            t,
            Some(json!({"name": "Phone", "entries": ["callback"]})),
        )
        .await;
    assert_eq!(status, 200);
    let mut later = Client::connect(&url).await.unwrap();
    let welcome = later.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["entries"], json!(["callback"]));
    let refused = later.request(start("chat", Some("123456")), "code").await;
    assert_eq!(refused["field"], "invitationCode", "{refused}");
}
