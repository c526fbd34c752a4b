//! What the admin API's actions cost on AWS: DynamoDB calls issued by the
//! real adapters on moto (counted by an SDK interceptor), through the
//! function's own router. Prints the table `docs/performance.md` publishes
//! and fails when an action goes over its budget there.
//!
//!     scripts/test --test admin_calls -- --nocapture

use axum::body::Body;
use axum::http::Request;
use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_app::usecases::admin::Bootstrap;
use switchboard_tests::admin::{link_token, PASSWORD};
use switchboard_tests::channels::harness_with;
use switchboard_tests::counting::{counted_dynamodb, summary};
use tower::ServiceExt;

async fn call(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request
        .header("content-type", "application/json")
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_actions_stay_within_their_budget_of_calls() {
    let (store, calls) = counted_dynamodb().await;
    let store = Arc::new(store);
    let h = harness_with(store.clone());
    let router = admin_api::router(h.functions.admin.clone());
    let done = Bootstrap::over(store.clone(), h.clock.clone())
        .run(
            "acme",
            "Acme",
            "ann@acme.example",
            "Ann",
            "https://console.example",
        )
        .await
        .unwrap();
    let (status, session) = call(
        &router,
        "POST",
        "/admin/invitations/accept",
        None,
        Some(json!({"token": link_token(&done.link), "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 200, "{session}");
    let token = session["accessToken"].as_str().unwrap().to_string();
    let me = session["operator"]["id"].as_str().unwrap().to_string();
    // A waiting chat of 30 messages for the transcript.
    {
        use switchboard_domain::*;
        use switchboard_tests::conformance::{append, waiting_conversation};
        let t = TenantId::parse("acme").unwrap();
        let c = waiting_conversation(&*store, &t, "c-export", EntryType::Chat, 1_000).await;
        for i in 0..30 {
            let text = MessageText::parse(format!("line {i}")).unwrap();
            let id = ClientMessageId::parse(format!("m{i}")).unwrap();
            let m = NewMessage::text(
                id,
                Author::Visitor(c.visitor.clone()),
                text,
                Timestamp(2_000 + i),
            );
            append(&*store, &t, &c.id, m).await.unwrap();
        }
    }
    calls.take();

    println!("| action | calls / budget | which |");
    println!("|---|---|---|");
    let mut over = Vec::new();
    // Each action: its name and budget, the request, the status it must get.
    // Bodies may name `{refresh}` and `{operator}`, filled from earlier answers.
    let mut refresh = String::new();
    let mut operator = String::new();
    let steps: &[(&str, usize, &str, &str, bool, &str, u16)] = &[
        (
            "sign-in",
            3,
            "POST",
            "/admin/session",
            false,
            r#"{"email": "ann@acme.example", "password": "PASSWORD"}"#,
            200,
        ),
        (
            "sign-in, wrong password",
            2,
            "POST",
            "/admin/session",
            false,
            r#"{"email": "ann@acme.example", "password": "wrong wrong wrong"}"#,
            401,
        ),
        (
            "sign-in after a failure",
            4,
            "POST",
            "/admin/session",
            false,
            r#"{"email": "ann@acme.example", "password": "PASSWORD"}"#,
            200,
        ),
        (
            "refresh",
            3,
            "POST",
            "/admin/session/refresh",
            false,
            r#"{"refreshToken": "{refresh}"}"#,
            200,
        ),
        (
            "sign-out",
            2,
            "POST",
            "/admin/session/sign-out",
            false,
            r#"{"refreshToken": "{refresh}"}"#,
            204,
        ),
        (
            "POST /admin/widgets",
            3,
            "POST",
            "/admin/widgets",
            true,
            r#"{"id": "w1", "name": "Shop"}"#,
            201,
        ),
        (
            "GET /admin/widgets/{id}",
            2,
            "GET",
            "/admin/widgets/w1",
            true,
            "",
            200,
        ),
        (
            "GET /admin/widgets",
            2,
            "GET",
            "/admin/widgets",
            true,
            "",
            200,
        ),
        (
            "PUT /admin/widgets/{id}",
            4,
            "PUT",
            "/admin/widgets/w1",
            true,
            r#"{"name": "Shop 2"}"#,
            200,
        ),
        (
            "POST /admin/operators (invitation mailed)",
            4,
            "POST",
            "/admin/operators",
            true,
            r#"{"email": "olga@acme.example", "name": "Olga", "roles": ["operator"]}"#,
            201,
        ),
        (
            "PUT /admin/operators/{id}, disabling",
            7,
            "PUT",
            "/admin/operators/{operator}",
            true,
            r#"{"email": "olga@acme.example", "name": "Olga", "roles": ["operator"], "enabled": false}"#,
            200,
        ),
        (
            "PUT /admin/channel-accounts/whatsapp/{id}",
            4,
            "PUT",
            "/admin/channel-accounts/whatsapp/4200077",
            true,
            r#"{"accessToken": "EAAG-token"}"#,
            200,
        ),
        (
            "PUT /admin/groups/{id}",
            4,
            "PUT",
            "/admin/groups/sales",
            true,
            r#"{"name": "Sales", "members": ["{me}"]}"#,
            200,
        ),
        (
            "DELETE /admin/groups/{id}",
            7,
            "DELETE",
            "/admin/groups/sales",
            true,
            "",
            204,
        ),
        (
            "PUT /admin/info-fields/{key}",
            4,
            "PUT",
            "/admin/info-fields/plan",
            true,
            r#"{"label": "Plan", "type": "choice", "options": ["Gold", "Silver"]}"#,
            200,
        ),
        (
            "PUT /admin/text-blocks/{id}",
            5,
            "PUT",
            "/admin/text-blocks/hello",
            true,
            r#"{"language": "en", "name": "Hello", "text": "Hi {contact.name}, your plan: {info.plan}"}"#,
            200,
        ),
        (
            "GET /admin/text-blocks",
            2,
            "GET",
            "/admin/text-blocks",
            true,
            "",
            200,
        ),
        (
            "GET /admin/conversations/{id}/transcript (30 messages)",
            5,
            "GET",
            "/admin/conversations/c-export/transcript",
            true,
            "",
            200,
        ),
        (
            "GET /admin/reports/conversations (one session)",
            5,
            "GET",
            "/admin/reports/conversations?from=1970-01-01&to=1970-01-01",
            true,
            "",
            200,
        ),
        (
            "GET /admin/reports/kpis (one session)",
            4,
            "GET",
            "/admin/reports/kpis?from=1970-01-01&to=1970-01-01",
            true,
            "",
            200,
        ),
        (
            "GET /admin/reports/operator-status (two operators)",
            5,
            "GET",
            "/admin/reports/operator-status?from=1970-01-01&to=1970-01-01",
            true,
            "",
            200,
        ),
        (
            "GET /admin/merges",
            2,
            "GET",
            "/admin/merges",
            true,
            "",
            200,
        ),
        ("GET /admin/audit", 2, "GET", "/admin/audit", true, "", 200),
    ];
    for &(action, budget, method, path, signed, body, want) in steps {
        let fill = |text: &str| {
            text.replace("{refresh}", &refresh)
                .replace("{operator}", &operator)
                .replace("{me}", &me)
                .replace("PASSWORD", PASSWORD)
        };
        let body = (!body.is_empty()).then(|| serde_json::from_str::<Value>(&fill(body)).unwrap());
        let (status, answer) = call(
            &router,
            method,
            &fill(path),
            signed.then_some(token.as_str()),
            body,
        )
        .await;
        assert_eq!(status, want, "{action}: {answer}");
        if let Some(r) = answer["refreshToken"].as_str() {
            refresh = r.to_string();
        }
        if path == "/admin/operators" {
            operator = answer["id"].as_str().unwrap().to_string();
        }
        let taken = calls.take();
        println!(
            "| {action:<44} | {:>2} / {budget:<2} | {}",
            taken.len(),
            summary(&taken)
        );
        if taken.len() > budget {
            over.push((action, taken.len(), budget));
        }
    }
    assert!(over.is_empty(), "over budget: {over:?}");
}
