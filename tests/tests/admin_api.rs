//! The admin API end to end on the local stack, over HTTP: every endpoint's
//! happy path, refusals that name the field, and what the API promises
//! about tenants (each admin sees only their own).

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, link_token, outbox_mail, Api, PASSWORD};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;

const T0: u64 = 1_800_000_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_works_for_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    let session = admin_of(&stack, &api, "acme", "ann@acme.example").await;
    let ann = access(&session);
    let t = Some(ann.as_str());

    let (status, me) = api.call("GET", "/admin/me", t, None).await;
    assert_eq!(
        (status, me["email"].as_str()),
        (200, Some("ann@acme.example"))
    );
    assert_eq!(me["roles"], json!(["operator", "admin"]));

    // Tenant settings.
    let (status, tenant) = api.call("GET", "/admin/tenant", t, None).await;
    assert_eq!((status, tenant["id"].as_str()), (200, Some("acme")));
    let (status, tenant) = api
        .call(
            "PUT",
            "/admin/tenant",
            t,
            Some(json!({"name": "Acme Ltd", "maxChats": 5, "transferTimeoutSeconds": 90})),
        )
        .await;
    assert_eq!(status, 200, "{tenant}");
    assert_eq!(
        (tenant["name"].as_str(), tenant["maxChats"].as_u64()),
        (Some("Acme Ltd"), Some(5))
    );

    // Operators: invited by mail, the link sets the password once.
    let (status, bob) = api
        .call(
            "POST",
            "/admin/operators",
            t,
            Some(json!({"email": "Bob@Acme.example", "name": "Bob", "roles": ["operator"]})),
        )
        .await;
    assert_eq!(status, 201, "{bob}");
    assert_eq!(bob["email"], "bob@acme.example");
    let bob_id = bob["id"].as_str().unwrap().to_string();
    let mail = outbox_mail(dir.path(), "bob@acme.example");
    assert!(mail.contains("invited"), "{mail}");
    let (status, bob_session) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({"token": link_token(&mail), "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, 200, "{bob_session}");
    assert_eq!(
        bob_session["operator"]["id"].as_str(),
        Some(bob_id.as_str())
    );
    let (status, _) = api.sign_in("bob@acme.example", PASSWORD).await;
    assert_eq!(status, 200);
    let (status, _) = api
        .call(
            "POST",
            &format!("/admin/operators/{bob_id}/invitation"),
            t,
            None,
        )
        .await;
    assert_eq!(status, 202);
    let (status, got) = api
        .call("GET", &format!("/admin/operators/{bob_id}"), t, None)
        .await;
    assert_eq!((status, got["name"].as_str()), (200, Some("Bob")));
    let (status, got) = api
        .call("PUT", &format!("/admin/operators/{bob_id}"), t,
            Some(json!({"email": "robert@acme.example", "name": "Robert", "roles": ["operator", "admin"], "enabled": true})))
        .await;
    assert_eq!(
        (status, got["name"].as_str()),
        (200, Some("Robert")),
        "{got}"
    );
    // The login moved with the e-mail.
    assert_eq!(api.sign_in("robert@acme.example", PASSWORD).await.0, 200);
    assert_eq!(api.sign_in("bob@acme.example", PASSWORD).await.0, 401);
    let (status, list) = api.call("GET", "/admin/operators?limit=1", t, None).await;
    assert_eq!((status, list["items"].as_array().unwrap().len()), (200, 1));
    let next = list["next"].as_str().expect("a second page");
    let (_, rest) = api
        .call(
            "GET",
            &format!("/admin/operators?limit=1&cursor={next}"),
            t,
            None,
        )
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest.get("next").is_none(), "{rest}");

    // Groups, with the new operator as a member.
    let (status, group) = api
        .call("PUT", "/admin/groups/sales", t,
            Some(json!({"name": "Sales", "members": [bob_id], "policy": "auto",
                "hours": {"timezone": "Europe/Berlin", "openings": [{"day": "monday", "open": "09:00", "close": "17:00"}]}})))
        .await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(group["policy"], "auto");
    let (status, groups) = api.call("GET", "/admin/groups", t, None).await;
    assert_eq!(status, 200);
    assert!(groups
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == "sales"));
    let (status, got) = api.call("GET", "/admin/groups/sales", t, None).await;
    assert_eq!((status, got["members"].clone()), (200, json!([bob_id])));

    // Widgets.
    let (status, widget) = api
        .call("POST", "/admin/widgets", t,
            Some(json!({"id": "acme-web", "name": "Shop", "group": "sales",
                "offlineEmail": "Help@Acme.example", "allowedOrigins": ["https://Shop.acme.example"]})))
        .await;
    assert_eq!(status, 201, "{widget}");
    assert_eq!(
        widget["allowedOrigins"],
        json!(["https://shop.acme.example"])
    );
    assert_eq!(widget["offlineEmail"], "help@acme.example");
    let (status, got) = api.call("GET", "/admin/widgets/acme-web", t, None).await;
    assert_eq!((status, got["group"].as_str()), (200, Some("sales")));
    let (status, got) = api
        .call(
            "PUT",
            "/admin/widgets/acme-web",
            t,
            Some(json!({"name": "Shop 2", "allowedOrigins": []})),
        )
        .await;
    assert_eq!(
        (status, got["name"].as_str()),
        (200, Some("Shop 2")),
        "{got}"
    );
    // The widget works at once: a visitor opens a socket on it.
    let visitor =
        switchboard_tests::ws::Client::connect(&format!("{}?widgetId=acme-web", stack.ws_url()))
            .await;
    assert!(visitor.is_ok());
    let (status, list) = api.call("GET", "/admin/widgets", t, None).await;
    assert_eq!((status, list["items"].as_array().unwrap().len()), (200, 1));
    let (status, _) = api.call("DELETE", "/admin/widgets/acme-web", t, None).await;
    assert_eq!(status, 204);
    assert_eq!(
        api.call("GET", "/admin/widgets/acme-web", t, None).await.0,
        404
    );

    // SLA rules, Hero Cards, WhatsApp templates.
    let (status, rules) = api
        .call("PUT", "/admin/sla-rules", t, Some(json!({"rules": [
            {"name": "VIP", "when": {"contactTag": "vip"}, "priority": "urgent", "firstResponseSeconds": 60},
            {"name": "Everyone", "priority": "normal"}
        ]})))
        .await;
    assert_eq!(status, 200, "{rules}");
    let (status, got) = api.call("GET", "/admin/sla-rules", t, None).await;
    assert_eq!((status, got["rules"].as_array().unwrap().len()), (200, 2));
    let (status, card) = api
        .call("PUT", "/admin/cards/booking", t, Some(json!({
            "name": "Booking", "language": "en", "channel": "webchat", "title": "Your table",
            "text": "Please check.", "fields": [{"id": "day", "label": "Day", "type": "date", "required": true}]
        })))
        .await;
    assert_eq!(
        (status, card["id"].as_str()),
        (200, Some("booking")),
        "{card}"
    );
    let (status, got) = api.call("GET", "/admin/cards/booking", t, None).await;
    assert_eq!((status, got["title"].as_str()), (200, Some("Your table")));
    let (status, list) = api.call("GET", "/admin/cards", t, None).await;
    assert_eq!((status, list.as_array().unwrap().len()), (200, 1));
    let (status, templates) = api.call("GET", "/admin/templates", t, None).await;
    assert_eq!((status, templates), (200, json!([])));

    // Deleting an operator.
    let (status, _) = api
        .call("DELETE", &format!("/admin/operators/{bob_id}"), t, None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(api.sign_in("robert@acme.example", PASSWORD).await.0, 401);

    // Every change is in the audit log, newest first, with before and after.
    let (status, audit) = api.call("GET", "/admin/audit", t, None).await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "operator.delete",
            "card.create",
            "sla.update",
            "widget.delete",
            "widget.update",
            "widget.create",
            "group.create",
            "operator.update",
            "operator.create",
            "tenant.update",
            "operator.create",
            "tenant.create"
        ]
    );
    let update = &audit["items"][4];
    assert_eq!(update["before"]["name"], "Shop");
    assert_eq!(update["after"]["name"], "Shop 2");
    assert_eq!(update["actor"], session["operator"]["id"]);
    let text = audit.to_string();
    assert!(
        !text.contains("argon2") && !text.contains(PASSWORD),
        "no secrets in the audit log"
    );

    // The OpenAPI document is served.
    let (status, doc) = api.call("GET", "/admin/openapi.json", None, None).await;
    assert_eq!(
        (status, doc["openapi"].as_str().map(|v| v.starts_with('3'))),
        (200, Some(true))
    );
    stack.stop().await;
}

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
