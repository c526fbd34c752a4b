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
    let t = Some(token.as_str());
    calls.take();

    // (action, budget of DynamoDB calls, request)
    let mut rows: Vec<(&str, usize, usize)> = Vec::new();
    let mut measure =
        |action: &'static str, budget: usize, calls: &switchboard_tests::counting::DynamoCalls| {
            let taken = calls.take();
            println!(
                "| {action:<44} | {:>2} / {budget:<2} | {}",
                taken.len(),
                summary(&taken)
            );
            rows.push((action, taken.len(), budget));
        };
    println!("| action | calls / budget | which |");
    println!("|---|---|---|");

    let (status, signed) = call(
        &router,
        "POST",
        "/admin/session",
        None,
        Some(json!({"email": "ann@acme.example", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 200);
    measure("sign-in", 3, &calls);
    let (status, _) = call(
        &router,
        "POST",
        "/admin/session",
        None,
        Some(json!({"email": "ann@acme.example", "password": "wrong wrong wrong"})),
    )
    .await;
    assert_eq!(status, 401);
    measure("sign-in, wrong password", 2, &calls);
    let (status, _) = call(
        &router,
        "POST",
        "/admin/session",
        None,
        Some(json!({"email": "ann@acme.example", "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 200);
    measure("sign-in after a failure", 4, &calls);
    let (status, refreshed) = call(
        &router,
        "POST",
        "/admin/session/refresh",
        None,
        Some(json!({"refreshToken": signed["refreshToken"]})),
    )
    .await;
    assert_eq!(status, 200);
    measure("refresh", 3, &calls);
    let (status, _) = call(
        &router,
        "POST",
        "/admin/session/sign-out",
        None,
        Some(json!({"refreshToken": refreshed["refreshToken"]})),
    )
    .await;
    assert_eq!(status, 204);
    measure("sign-out", 2, &calls);
    let (status, _) = call(
        &router,
        "POST",
        "/admin/widgets",
        t,
        Some(json!({"id": "w1", "name": "Shop"})),
    )
    .await;
    assert_eq!(status, 201);
    measure("POST /admin/widgets", 3, &calls);
    let (status, _) = call(&router, "GET", "/admin/widgets/w1", t, None).await;
    assert_eq!(status, 200);
    measure("GET /admin/widgets/{id}", 2, &calls);
    let (status, _) = call(&router, "GET", "/admin/widgets", t, None).await;
    assert_eq!(status, 200);
    measure("GET /admin/widgets", 2, &calls);
    let (status, _) = call(
        &router,
        "PUT",
        "/admin/widgets/w1",
        t,
        Some(json!({"name": "Shop 2"})),
    )
    .await;
    assert_eq!(status, 200);
    measure("PUT /admin/widgets/{id}", 4, &calls);
    let (status, olga) = call(
        &router,
        "POST",
        "/admin/operators",
        t,
        Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"]})),
    )
    .await;
    assert_eq!(status, 201);
    measure("POST /admin/operators (invitation mailed)", 4, &calls);
    let id = olga["id"].as_str().unwrap();
    let (status, _) = call(&router, "PUT", &format!("/admin/operators/{id}"), t,
        Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"], "enabled": false}))).await;
    assert_eq!(status, 200);
    measure("PUT /admin/operators/{id}, disabling", 7, &calls);
    let (status, _) = call(&router, "GET", "/admin/audit", t, None).await;
    assert_eq!(status, 200);
    measure("GET /admin/audit", 2, &calls);

    let over: Vec<_> = rows.iter().filter(|(_, n, b)| n > b).collect();
    assert!(over.is_empty(), "over budget: {over:?}");
}
