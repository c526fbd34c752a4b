//! The admin API end to end on the local stack, over HTTP: every endpoint's
//! happy path, refusals that name the field, and what the API promises
//! about tenants (each admin sees only their own).

use serde_json::json;
use std::sync::Arc;
use switchboard_tests::admin::{
    access, acme_admin, link_token, outbox_mail, AcmeAdmin, Api, PASSWORD,
};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;

const T0: u64 = 1_800_000_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_works_for_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let AcmeAdmin {
        stack,
        api,
        session,
        token: ann,
    } = acme_admin(dir.path(), Arc::new(FixedClock::at(T0))).await;
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
    let (status, _) = api.call("DELETE", "/admin/cards/booking", t, None).await;
    assert_eq!(status, 204);
    assert_eq!(
        api.call("GET", "/admin/cards/booking", t, None).await.0,
        404
    );
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
            "card.delete",
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
    let update = &audit["items"][5];
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

/// `switchboard-local bootstrap` on a data directory: the first admin of a
/// new tenant, whose printed link sets the password once the stack runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bootstrap_command_makes_a_first_admin_who_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let req = switchboard_local::bootstrap::Request {
        tenant: "initech",
        tenant_name: "Initech",
        email: "Peter@Initech.example",
        name: "Peter",
        console_url: "http://127.0.0.1:8787/console",
    };
    let done = switchboard_local::bootstrap::run(dir.path(), None, &req)
        .await
        .unwrap();
    assert!(done.tenant_created);
    assert!(done
        .link
        .starts_with("http://127.0.0.1:8787/console#/accept-invitation?token="));
    // The same e-mail again is refused, naming it.
    let again = switchboard_local::bootstrap::run(dir.path(), None, &req).await;
    assert!(again.unwrap_err().contains("email"));

    let stack = start_for_admin(
        dir.path(),
        // The command stamps the link with the machine's clock.
        Arc::new(FixedClock::at(
            switchboard_app::Clock::now(&switchboard_app::SystemClock).millis(),
        )),
        None,
    )
    .await;
    let api = Api::new(&stack);
    let (status, session) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({"token": link_token(&done.link), "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["operator"]["roles"], json!(["operator", "admin"]));
    let (status, tenant) = api
        .call("GET", "/admin/tenant", Some(&access(&session)), None)
        .await;
    assert_eq!((status, tenant["name"].as_str()), (200, Some("Initech")));
    assert_eq!(api.sign_in("peter@initech.example", PASSWORD).await.0, 200);
    stack.stop().await;
}
