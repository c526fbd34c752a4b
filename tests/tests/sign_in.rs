//! Operator sign-in end to end on the local stack: lockout, refresh-token
//! rotation and reuse, reset by e-mail through a real SMTP server, and what
//! disabling an operator does to their tokens and open consoles.

use serde_json::json;
use std::sync::Arc;
use switchboard_tests::admin::{access, admin_of, link_token, outbox_mail, Api, PASSWORD};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;
use switchboard_tests::smtp::SmtpServer;
use switchboard_tests::ws::Client;

const T0: u64 = 1_800_000_000_000;

/// An operator of `acme` invited by its admin, who has set their password.
async fn operator(api: &Api, admin: &str, dir: &std::path::Path, email: &str) -> serde_json::Value {
    let (status, created) = api
        .call(
            "POST",
            "/admin/operators",
            Some(admin),
            Some(json!({"email": email, "name": "Olga", "roles": ["operator"]})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let token = link_token(&outbox_mail(dir, email));
    let (status, session) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({"token": token, "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    session
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account_for_a_growing_delay() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_for_admin(dir.path(), clock.clone(), None).await;
    let api = Api::new(&stack);
    admin_of(&stack, &api, "acme", "ann@acme.example").await;

    let wrong = || api.sign_in("ann@acme.example", "not the password at all");
    let unknown = api
        .sign_in("nobody@acme.example", "not the password at all")
        .await;
    for _ in 0..5 {
        let (status, body) = wrong().await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("bad_credentials"))
        );
        // The same answer as for an address without an account.
        assert_eq!(body, unknown.1);
    }
    // Locked for 30 s: even the right password is refused, with the same answer.
    let (status, body) = api.sign_in("ann@acme.example", PASSWORD).await;
    assert_eq!((status, &body), (401, &unknown.1));
    clock.advance(31_000);
    // One more failure locks it for 60 s.
    assert_eq!(wrong().await.0, 401);
    clock.advance(31_000);
    assert_eq!(
        api.sign_in("ann@acme.example", PASSWORD).await.0,
        401,
        "still locked"
    );
    clock.advance(30_000);
    let (status, session) = api.sign_in("ANN@acme.example", PASSWORD).await;
    assert_eq!(status, 200, "{session}");
    // Success clears the count: four more failures do not lock.
    for _ in 0..4 {
        wrong().await;
    }
    assert_eq!(api.sign_in("ann@acme.example", PASSWORD).await.0, 200);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_tokens_rotate_and_reuse_ends_the_family() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    admin_of(&stack, &api, "acme", "ann@acme.example").await;
    let (_, first) = api.sign_in("ann@acme.example", PASSWORD).await;
    let (_, other_device) = api.sign_in("ann@acme.example", PASSWORD).await;
    let refresh = |token: &serde_json::Value| {
        let api = api.clone();
        let token = token["refreshToken"].clone();
        async move {
            api.call(
                "POST",
                "/admin/session/refresh",
                None,
                Some(json!({"refreshToken": token})),
            )
            .await
        }
    };
    let (status, second) = refresh(&first).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["refreshToken"], first["refreshToken"]);
    assert_eq!(
        api.call("GET", "/admin/me", Some(&access(&second)), None)
            .await
            .0,
        200
    );
    let (status, third) = refresh(&second).await;
    assert_eq!(status, 200);
    // The first token again: reuse. Its whole family ends, the newest too.
    let (status, body) = refresh(&first).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    assert_eq!(refresh(&third).await.0, 401);
    // Another sign-in is another family.
    let (status, again) = refresh(&other_device).await;
    assert_eq!(status, 200);
    // Sign-out ends that one.
    let (status, _) = api
        .call(
            "POST",
            "/admin/session/sign-out",
            None,
            Some(json!({"refreshToken": again["refreshToken"]})),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(refresh(&again).await.0, 401);
    assert_eq!(
        api.call(
            "POST",
            "/admin/session/refresh",
            None,
            Some(json!({"refreshToken": "forged"}))
        )
        .await
        .0,
        401
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_is_reset_through_a_mailed_link() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    smtp.ready().await;
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), Some(smtp.port)).await;
    let api = Api::new(&stack);
    admin_of(&stack, &api, "acme", "ann@acme.example").await;
    let (_, old_session) = api.sign_in("ann@acme.example", PASSWORD).await;

    // The answer does not say whether the address has an account.
    let (status, known) = api
        .call(
            "POST",
            "/admin/password-reset",
            None,
            Some(json!({"email": "ann@acme.example"})),
        )
        .await;
    let (status2, unknown) = api
        .call(
            "POST",
            "/admin/password-reset",
            None,
            Some(json!({"email": "who@acme.example"})),
        )
        .await;
    assert_eq!((status, &known), (status2, &unknown));
    assert_eq!(status, 202);

    let mail = smtp.mail_with("ann@acme.example").await;
    assert!(mail.contains("Reset your Switchboard password"), "{mail}");
    let token = link_token(&mail);
    let (status, body) = api
        .call(
            "POST",
            "/admin/password-reset/complete",
            None,
            Some(json!({"token": token, "password": "short"})),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("password")));
    // An invitation's route does not take a reset link.
    let (status, _) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({"token": token, "password": "a brand new passphrase"})),
        )
        .await;
    assert_eq!(status, 410);
    let (status, session) = api
        .call(
            "POST",
            "/admin/password-reset/complete",
            None,
            Some(json!({"token": token, "password": "a brand new passphrase"})),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(api.sign_in("ann@acme.example", PASSWORD).await.0, 401);
    assert_eq!(
        api.sign_in("ann@acme.example", "a brand new passphrase")
            .await
            .0,
        200
    );
    // The old password's sessions are ended.
    let (status, _) = api
        .call(
            "POST",
            "/admin/session/refresh",
            None,
            Some(json!({"refreshToken": old_session["refreshToken"]})),
        )
        .await;
    assert_eq!(status, 401);
    // The link worked once.
    let (status, _) = api
        .call(
            "POST",
            "/admin/password-reset/complete",
            None,
            Some(json!({"token": token, "password": "yet another passphrase"})),
        )
        .await;
    assert_eq!(status, 410);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabling_an_operator_closes_their_sockets_and_refuses_their_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(dir.path(), Arc::new(FixedClock::at(T0)), None).await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let olga = operator(&api, &ann, dir.path(), "olga@acme.example").await;
    let olga_id = olga["operator"]["id"].as_str().unwrap().to_string();
    let token = access(&olga);

    // The access token opens the console: two tabs.
    let url = format!("{}?token={token}", stack.ws_url());
    let mut tab1 = Client::connect(&url).await.expect("console connects");
    let mut tab2 = Client::connect(&url).await.expect("console connects");
    let welcome = tab1.request(json!({"action": "hello"}), "hello").await;
    assert_eq!(welcome["event"], "welcome", "{welcome}");
    // An operator may not use admin routes.
    let (status, body) = api.call("GET", "/admin/widgets", Some(&token), None).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));

    let (status, _) = api
        .call("PUT", &format!("/admin/operators/{olga_id}"), Some(&ann),
            Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"], "enabled": false})))
        .await;
    assert_eq!(status, 200);
    tab1.expect_close().await;
    tab2.expect_close().await;
    // The unexpired token is refused everywhere, and so is her password.
    assert_eq!(Client::connect(&url).await.err(), Some(403));
    assert_eq!(
        api.call("GET", "/admin/me", Some(&token), None).await.0,
        401
    );
    assert_eq!(api.sign_in("olga@acme.example", PASSWORD).await.0, 401);
    let (status, _) = api
        .call(
            "POST",
            "/admin/session/refresh",
            None,
            Some(json!({"refreshToken": olga["refreshToken"]})),
        )
        .await;
    assert_eq!(status, 401);
    // The admin cannot disable themselves.
    let me = api.call("GET", "/admin/me", Some(&ann), None).await.1;
    let (status, body) = api
        .call("PUT", &format!("/admin/operators/{}", me["id"].as_str().unwrap()), Some(&ann),
            Some(json!({"email": "ann@acme.example", "name": "Ann", "roles": ["operator", "admin"], "enabled": false})))
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("enabled")));
    // Enabled again, she signs in.
    api.call("PUT", &format!("/admin/operators/{olga_id}"), Some(&ann),
        Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"], "enabled": true}))).await;
    let (status, again) = api.sign_in("olga@acme.example", PASSWORD).await;
    assert_eq!(status, 200);
    assert!(
        Client::connect(&format!("{}?token={}", stack.ws_url(), access(&again)))
            .await
            .is_ok()
    );
    stack.stop().await;
}
