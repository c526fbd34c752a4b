//! What the admin API refuses, over HTTP on the local stack: each refusal
//! names the field and writes nothing; invitations work once and expire.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, link_token, outbox_mail, Api, PASSWORD};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;

const T0: u64 = 1_800_000_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_naming_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let t = Some(ann.as_str());
    let refused = |(status, body): (u16, Value), want: u16, field: Option<&str>| {
        assert_eq!(status, want, "{body}");
        assert_eq!(body["field"].as_str(), field, "{body}");
        assert!(
            body["code"].is_string() && body["message"].is_string(),
            "{body}"
        );
    };

    refused(
        api.raw("POST", "/admin/widgets", t, Some("{\"id\": \"w\", ".into()))
            .await,
        400,
        None,
    );
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": "W", "colour": "red"})),
        )
        .await,
        400,
        Some("colour"),
    );
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": ""})),
        )
        .await,
        400,
        Some("name"),
    );
    refused(api.call("POST", "/admin/widgets", t, Some(json!({"id": "w1", "name": "W", "allowedOrigins": ["https://ok.example", "ftp://x"]}))).await, 400, Some("allowedOrigins[1]"));
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": "W", "group": "nope"})),
        )
        .await,
        400,
        Some("group"),
    );
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": "W", "offlineEmail": "not-mail"})),
        )
        .await,
        400,
        Some("offlineEmail"),
    );
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": 5})),
        )
        .await,
        400,
        Some("name"),
    );
    refused(
        api.call(
            "PUT",
            "/admin/tenant",
            t,
            Some(json!({"name": "A", "maxChats": 99, "transferTimeoutSeconds": 60})),
        )
        .await,
        400,
        Some("maxChats"),
    );
    refused(
        api.call(
            "PUT",
            "/admin/tenant",
            t,
            Some(json!({"name": "A", "maxChats": 3, "transferTimeoutSeconds": 5})),
        )
        .await,
        400,
        Some("transferTimeoutSeconds"),
    );
    refused(
        api.call(
            "POST",
            "/admin/operators",
            t,
            Some(json!({"email": "nope", "name": "X", "roles": ["operator"]})),
        )
        .await,
        400,
        Some("email"),
    );
    refused(
        api.call(
            "POST",
            "/admin/operators",
            t,
            Some(json!({"email": "x@acme.example", "name": "X", "roles": []})),
        )
        .await,
        400,
        Some("roles"),
    );
    refused(
        api.call(
            "POST",
            "/admin/operators",
            t,
            Some(json!({"email": "x@acme.example", "name": "X", "roles": ["boss"]})),
        )
        .await,
        400,
        Some("roles[0]"),
    );
    refused(
        api.call(
            "PUT",
            "/admin/sla-rules",
            t,
            Some(json!({"rules": [{"name": "x", "priority": "sometimes"}]})),
        )
        .await,
        400,
        Some("rules[0].priority"),
    );
    refused(api.call("PUT", "/admin/cards/c1", t, Some(json!({"name": "C", "language": "en", "channel": "webchat", "title": "T", "text": "x", "colour": 1}))).await, 400, Some("colour"));
    refused(
        api.call(
            "PUT",
            "/admin/cards/c1",
            t,
            Some(
                json!({"name": "C", "language": "en", "channel": "fax", "title": "T", "text": "x"}),
            ),
        )
        .await,
        400,
        Some("channel"),
    );
    // Duplicates.
    refused(
        api.call(
            "POST",
            "/admin/operators",
            t,
            Some(json!({"email": "ANN@acme.example", "name": "X", "roles": ["operator"]})),
        )
        .await,
        409,
        Some("email"),
    );
    assert_eq!(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": "W"}))
        )
        .await
        .0,
        201
    );
    refused(
        api.call(
            "POST",
            "/admin/widgets",
            t,
            Some(json!({"id": "w1", "name": "Again"})),
        )
        .await,
        409,
        Some("id"),
    );
    // Oversize bodies.
    let huge = format!(
        "{{\"id\": \"w2\", \"name\": \"{}\"}}",
        "x".repeat(100 * 1024)
    );
    let (status, body) = api.raw("POST", "/admin/widgets", t, Some(huge)).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("too_large")));
    // Forged and expired tokens.
    let forged = format!("{}x", ann);
    refused(
        api.call("GET", "/admin/widgets", Some(&forged), None).await,
        401,
        None,
    );
    let other_key = switchboard_app::auth::TokenService::new(vec![9u8; 32]).unwrap();
    let account = stack.store.as_ref();
    let me = switchboard_app::ports::DirectoryStore::account(
        account,
        &switchboard_domain::TenantId::parse("acme").unwrap(),
        &switchboard_domain::OperatorId::parse(
            api.call("GET", "/admin/me", t, None).await.1["id"]
                .as_str()
                .unwrap(),
        )
        .unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let foreign = other_key
        .issue_signed_in(&me, switchboard_domain::Timestamp(T0 + 60_000))
        .unwrap();
    refused(
        api.call("GET", "/admin/widgets", Some(&foreign), None)
            .await,
        401,
        None,
    );
    let expired = stack
        .tokens
        .issue_signed_in(&me, switchboard_domain::Timestamp(T0 - 1))
        .unwrap();
    refused(
        api.call("GET", "/admin/widgets", Some(&expired), None)
            .await,
        401,
        None,
    );
    // Nothing refused was written: one widget, two audit entries past bootstrap.
    let (_, widgets) = api.call("GET", "/admin/widgets", t, None).await;
    assert_eq!(widgets["items"].as_array().unwrap().len(), 1);
    let (_, audit) = api.call("GET", "/admin/audit", t, None).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["widget.create", "operator.create", "tenant.create"]
    );
    assert_eq!(api.call("GET", "/admin/nowhere", t, None).await.0, 404);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_work_once_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_for_admin(dir.path(), clock.clone(), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let t = Some(ann.as_str());
    for (email, name) in [("cy@acme.example", "Cy"), ("di@acme.example", "Di")] {
        let (status, _) = api
            .call(
                "POST",
                "/admin/operators",
                t,
                Some(json!({"email": email, "name": name, "roles": ["operator"]})),
            )
            .await;
        assert_eq!(status, 201);
    }
    let cy = link_token(&outbox_mail(dir.path(), "cy@acme.example"));
    let accept = |token: String, password: &'static str| {
        let api = api.clone();
        async move {
            api.call(
                "POST",
                "/admin/invitations/accept",
                None,
                Some(json!({"token": token, "password": password})),
            )
            .await
        }
    };
    // A weak password is refused and leaves the link usable.
    let (status, body) = accept(cy.clone(), "password123").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("password")),
        "{body}"
    );
    let (status, body) = accept(cy.clone(), "cy@acme.example").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("password")),
        "{body}"
    );
    assert_eq!(accept(cy.clone(), PASSWORD).await.0, 200);
    // Used.
    let (status, body) = accept(cy, PASSWORD).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (410, Some("token")),
        "{body}"
    );
    // Forged.
    assert_eq!(
        accept(
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
            PASSWORD
        )
        .await
        .0,
        410
    );
    // Expired after seven days.
    let di = link_token(&outbox_mail(dir.path(), "di@acme.example"));
    clock.advance(7 * 24 * 3600 * 1000 + 1);
    let (status, body) = accept(di, PASSWORD).await;
    assert_eq!(status, 410, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    // A reset link is not an invitation.
    assert_eq!(api.sign_in("di@acme.example", PASSWORD).await.0, 401);
    stack.stop().await;
}
