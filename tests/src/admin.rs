//! The admin API over HTTP, as the console and a curl user call it, and a
//! signed-in admin to call it with.

use crate::fakes::FixedClock;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;
use switchboard_app::usecases::admin::Bootstrap;
use switchboard_local::Running;

/// A strong password for the tests' accounts.
pub const PASSWORD: &str = "tangerine orbit salad 42";

#[derive(Clone)]
pub struct Api {
    pub base: String,
    http: reqwest::Client,
}

impl Api {
    pub fn new(stack: &Running) -> Api {
        Api {
            base: stack.http_url(),
            http: reqwest::Client::new(),
        }
    }

    /// Any request: the status and the JSON answer (Null when empty).
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("the admin API answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    /// A GET whose answer is a file: the status, its content type and bytes.
    pub async fn download(&self, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.expect("the admin API answers");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, kind, response.bytes().await.unwrap().to_vec())
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.raw(method, path, token, body.map(|b| b.to_string()))
            .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> (u16, Value) {
        self.call(
            "POST",
            "/admin/session",
            None,
            Some(json!({"email": email, "password": password})),
        )
        .await
    }
}

/// The secret of the one-time link in a mail (or a printed link); mails
/// carry long lines quoted-printable.
pub fn link_token(text: &str) -> String {
    let unfolded = text
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("token=").expect("a link with a token") + "token=".len();
    unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The newest mail in the local stack's outbox addressed to `to`.
pub fn outbox_mail(data_dir: &Path, to: &str) -> String {
    let mut mails: Vec<(std::time::SystemTime, String)> =
        std::fs::read_dir(data_dir.join("outbox"))
            .expect("an outbox")
            .filter_map(|e| {
                let e = e.ok()?;
                let text = std::fs::read_to_string(e.path()).ok()?;
                let when = e.metadata().ok()?.modified().ok()?;
                text.contains(&format!("To: {to}")).then_some((when, text))
            })
            .collect();
    mails.sort();
    mails
        .pop()
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("no mail to {to}"))
}

/// A tenant with an admin who has accepted their invitation: the session
/// (`accessToken`, `refreshToken`, `operator`).
pub async fn admin_of(stack: &Running, api: &Api, tenant: &str, email: &str) -> Value {
    let done = Bootstrap::over(stack.store.clone(), stack.adapters.clock.clone())
        .run(
            tenant,
            &format!("Tenant {tenant}"),
            email,
            "Admin",
            "http://console.invalid",
        )
        .await
        .expect("bootstrap");
    let (status, session) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({"token": link_token(&done.link), "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    session
}

/// A fresh local stack on `clock` with tenant `acme`, whose admin
/// `ann@acme.example` is signed in: what most admin API tests start from.
pub struct AcmeAdmin {
    pub stack: Running,
    pub api: Api,
    /// `accessToken`, `refreshToken` and `operator`.
    pub session: Value,
    /// The session's access token.
    pub token: String,
}

pub async fn acme_admin(dir: &Path, clock: Arc<FixedClock>) -> AcmeAdmin {
    let stack = crate::local::start_for_admin(dir, clock, None).await;
    let api = Api::new(&stack);
    let session = admin_of(&stack, &api, "acme", "ann@acme.example").await;
    let token = access(&session);
    AcmeAdmin {
        stack,
        api,
        session,
        token,
    }
}

/// An operator an admin invited, who has accepted: their session.
pub async fn invited_operator(
    data_dir: &Path,
    api: &Api,
    admin_token: &str,
    email: &str,
    name: &str,
) -> Value {
    let (status, created) = api
        .call(
            "POST",
            "/admin/operators",
            Some(admin_token),
            Some(json!({"email": email, "name": name, "roles": ["operator"]})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let (status, session) = api
        .call(
            "POST",
            "/admin/invitations/accept",
            None,
            Some(json!({
                "token": link_token(&outbox_mail(data_dir, email)), "password": PASSWORD
            })),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    session
}

/// A session's access token.
pub fn access(session: &Value) -> String {
    session["accessToken"]
        .as_str()
        .expect("an access token")
        .to_string()
}
