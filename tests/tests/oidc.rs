//! Sign-in with a tenant's own OpenID Connect provider, against an identity
//! provider this test plays: its keys generated here, its JWKS served on
//! loopback, rotated mid-test from an RSA key to an EC one.

use axum::routing::get;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use switchboard_tests::admin::{access, admin_of, Api};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::start_for_admin;

const ISSUER: &str = "https://idp.acme.example";
const CLIENT: &str = "switchboard-console";

struct Idp {
    url: String,
    jwks: Arc<Mutex<Value>>,
}

async fn idp() -> Idp {
    let jwks = Arc::new(Mutex::new(json!({"keys": []})));
    let served = jwks.clone();
    let app = axum::Router::new().route(
        "/jwks",
        get(move || {
            let served = served.clone();
            async move { axum::Json(served.lock().unwrap().clone()) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Idp { url, jwks }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An RSA key: what signs, and its public half as a JWK.
fn rsa_key(kid: &str) -> (EncodingKey, Value) {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let der = private.to_pkcs1_der().unwrap();
    let jwk = json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
        "n": b64(&private.n().to_bytes_be()), "e": b64(&private.e().to_bytes_be())});
    (EncodingKey::from_rsa_der(der.as_bytes()), jwk)
}

fn ec_key(kid: &str) -> (EncodingKey, Value) {
    use p256::pkcs8::EncodePrivateKey;
    let secret = p256::SecretKey::random(&mut rand_core::OsRng);
    let der = secret.to_pkcs8_der().unwrap();
    let point = p256::EncodedPoint::from(secret.public_key());
    let jwk = json!({"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig", "crv": "P-256",
        "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())});
    (EncodingKey::from_ec_der(der.as_bytes()), jwk)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn id_token(key: &EncodingKey, alg: Algorithm, kid: &str, claims: Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    jsonwebtoken::encode(&header, &claims, key).unwrap()
}

fn claims(email: &str) -> Value {
    json!({"iss": ISSUER, "aud": CLIENT, "sub": "idp-user-1", "email": email,
           "email_verified": true, "iat": now(), "exp": now() + 300})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_sign_in_with_the_tenants_provider_across_a_key_rotation() {
    let idp = idp().await;
    let dir = tempfile::tempdir().unwrap();
    let stack = start_for_admin(
        dir.path(),
        Arc::new(FixedClock::at(1_800_000_000_000)),
        None,
    )
    .await;
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    admin_of(&stack, &api, "globex", "zed@globex.example").await;
    let (status, _) = api
        .call(
            "POST",
            "/admin/operators",
            Some(&ann),
            Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"]})),
        )
        .await;
    assert_eq!(status, 201);

    // The tenant's provider, set by its admin.
    let (status, body) = api
        .call(
            "PUT",
            "/admin/oidc",
            Some(&ann),
            Some(json!({"issuer": ISSUER, "clientId": CLIENT, "jwksUri": idp.url})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = api
        .call(
            "PUT",
            "/admin/oidc",
            Some(&ann),
            Some(json!({"issuer": "ftp://nope", "clientId": CLIENT, "jwksUri": idp.url})),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("issuer")));

    let (rsa, rsa_jwk) = rsa_key("rsa-1");
    *idp.jwks.lock().unwrap() = json!({"keys": [rsa_jwk]});
    let sign_in = |tenant: &'static str, token: String| {
        let api = api.clone();
        async move {
            api.call(
                "POST",
                "/admin/session/oidc",
                None,
                Some(json!({"tenant": tenant, "idToken": token})),
            )
            .await
        }
    };

    // An operator invited by e-mail signs in with the provider, no password set.
    let (status, session) = sign_in(
        "acme",
        id_token(&rsa, Algorithm::RS256, "rsa-1", claims("Olga@acme.example")),
    )
    .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["operator"]["email"], "olga@acme.example");
    let (status, me) = api
        .call("GET", "/admin/me", Some(&access(&session)), None)
        .await;
    assert_eq!((status, me["name"].as_str()), (200, Some("Olga")));
    let ws = switchboard_tests::ws::Client::connect(&format!(
        "{}?token={}",
        stack.ws_url(),
        access(&session)
    ))
    .await;
    assert!(ws.is_ok(), "the access token opens the console");

    // Refused: another audience or issuer, expired, unverified e-mail,
    // an e-mail with no account here, tampered, or HS256 (alg confusion).
    let mut wrong_aud = claims("olga@acme.example");
    wrong_aud["aud"] = json!("another-app");
    let mut wrong_iss = claims("olga@acme.example");
    wrong_iss["iss"] = json!("https://evil.example");
    let mut expired = claims("olga@acme.example");
    expired["exp"] = json!(now() - 3600);
    let mut unverified = claims("olga@acme.example");
    unverified["email_verified"] = json!(false);
    for bad in [wrong_aud, wrong_iss, expired, unverified] {
        let (status, body) = sign_in("acme", id_token(&rsa, Algorithm::RS256, "rsa-1", bad)).await;
        assert_eq!(status, 401, "{body}");
    }
    let (status, _) = sign_in(
        "acme",
        id_token(
            &rsa,
            Algorithm::RS256,
            "rsa-1",
            claims("nobody@acme.example"),
        ),
    )
    .await;
    assert_eq!(status, 401);
    // Globex's admin exists, but not in acme.
    let (status, _) = sign_in(
        "acme",
        id_token(
            &rsa,
            Algorithm::RS256,
            "rsa-1",
            claims("zed@globex.example"),
        ),
    )
    .await;
    assert_eq!(status, 401);
    let good = id_token(&rsa, Algorithm::RS256, "rsa-1", claims("olga@acme.example"));
    let tampered = format!("{}x", &good[..good.len() - 1]);
    assert_eq!(sign_in("acme", tampered).await.0, 401);
    let hs = id_token(
        &EncodingKey::from_secret(b"rsa-1"),
        Algorithm::HS256,
        "rsa-1",
        claims("olga@acme.example"),
    );
    assert_eq!(sign_in("acme", hs).await.0, 401);
    // A tenant without a provider says so, naming the field.
    let (status, body) = sign_in("globex", good.clone()).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("tenant")));

    // The provider rotates to an EC key: tokens signed with it are taken
    // (the unknown key id makes the set be read again).
    let (ec, ec_jwk) = ec_key("ec-2");
    *idp.jwks.lock().unwrap() = json!({"keys": [ec_jwk]});
    let (status, body) = sign_in(
        "acme",
        id_token(&ec, Algorithm::ES256, "ec-2", claims("olga@acme.example")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // A disabled operator is refused even with a valid token.
    let olga = session["operator"]["id"].as_str().unwrap();
    api.call("PUT", &format!("/admin/operators/{olga}"), Some(&ann),
        Some(json!({"email": "olga@acme.example", "name": "Olga", "roles": ["operator"], "enabled": false}))).await;
    let (status, _) = sign_in(
        "acme",
        id_token(&ec, Algorithm::ES256, "ec-2", claims("olga@acme.example")),
    )
    .await;
    assert_eq!(status, 401);
    // Removed: passwords only again.
    assert_eq!(
        api.call("DELETE", "/admin/oidc", Some(&ann), None).await.0,
        204
    );
    let (status, _) = sign_in(
        "acme",
        id_token(&ec, Algorithm::ES256, "ec-2", claims("ann@acme.example")),
    )
    .await;
    assert_eq!(status, 400);
    stack.stop().await;
}
