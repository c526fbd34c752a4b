//! Channel accounts bound through the admin API take effect without a
//! restart: a WhatsApp number added over HTTP, then a webhook signed for it,
//! becomes a conversation in the tenant's queue, and the operator's reply
//! goes out with the token the admin gave. The secrets never come back out.

use serde_json::json;
use switchboard_tests::admin::{access, admin_of, Api};
use switchboard_tests::channel_stack;
use switchboard_tests::channels::meta_signature;

const NEW_NUMBER: &str = "420000000000099";

fn text_to(number: &str, wamid: &str) -> Vec<u8> {
    // Written now, so the 24-hour window is open for the reply.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    json!({"object": "whatsapp_business_account", "entry": [{"id": "310000000000001", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550100999", "phone_number_id": number},
                  "contacts": [{"profile": {"name": "Noor"}, "wa_id": "447700900777"}],
                  "messages": [{"from": "447700900777", "id": wamid, "timestamp": now,
                                "type": "text", "text": {"body": "Hello from a new number"}}]}}]}]})
    .to_string()
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whatsapp_number_added_through_the_api_takes_webhooks_at_once() {
    let mut s = channel_stack::start().await;
    let api = Api::new(&s.stack);
    let ann = access(&admin_of(&s.stack, &api, "demo", "ann@demo.example").await);
    let t = Some(ann.as_str());

    // Bound over HTTP, while the stack runs.
    let (status, bound) = api
        .call(
            "PUT",
            &format!("/admin/channel-accounts/whatsapp/{NEW_NUMBER}"),
            t,
            Some(
                json!({"accessToken": "EAAG-token-of-the-new-number", "wabaId": "310000000000001"}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{bound}");
    assert!(
        !bound.to_string().contains("EAAG"),
        "a secret came back: {bound}"
    );
    let (status, list) = api.call("GET", "/admin/channel-accounts", t, None).await;
    assert_eq!(status, 200);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|a| a["accountId"] == NEW_NUMBER),
        "{list}"
    );
    assert!(!list.to_string().contains("EAAG"));

    // Its approved templates are read from Meta through the API.
    let (status, synced) = api.call("POST", "/admin/templates/sync", t, None).await;
    assert_eq!(status, 200, "{synced}");
    assert!(!synced.as_array().unwrap().is_empty(), "{synced}");
    // Both numbers of the tenant share the Business Account: stored once each.
    let (status, listed) = api.call("GET", "/admin/templates", t, None).await;
    assert_eq!(status, 200);
    let names: std::collections::BTreeSet<_> = synced
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].clone().to_string(),
                t["language"].clone().to_string(),
            )
        })
        .collect();
    assert_eq!(listed.as_array().unwrap().len(), names.len(), "{listed}");

    // A webhook signed for it is taken and becomes a waiting conversation.
    let body = text_to(NEW_NUMBER, "wamid.new-number-1");
    let headers = [("X-Hub-Signature-256".to_string(), meta_signature(&body))];
    let (status, answer) = s.post("/webhooks/whatsapp", &headers, body).await;
    assert_eq!(status, 200, "{answer}");
    let conversation = s.accept_waiting("whatsapp").await;
    assert_eq!(conversation["entry"]["name"], "Noor", "{conversation}");

    // The reply goes out for that number, with the token the admin gave.
    s.reply(&conversation, "Welcome!").await;
    let sent = s.provider.next().await;
    assert_eq!(sent.path, format!("/graph/{NEW_NUMBER}/messages"));
    assert_eq!(
        sent.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer EAAG-token-of-the-new-number")
    );

    // Another tenant cannot take the number; the audit log has no secret.
    let zed = access(&admin_of(&s.stack, &api, "globex", "zed@globex.example").await);
    let (status, body) = api
        .call(
            "PUT",
            &format!("/admin/channel-accounts/whatsapp/{NEW_NUMBER}"),
            Some(&zed),
            Some(json!({"accessToken": "stolen"})),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (409, Some("accountId")),
        "{body}"
    );
    let (_, audit) = api.call("GET", "/admin/audit", t, None).await;
    assert!(audit.to_string().contains("channel_account.create"));
    assert!(!audit.to_string().contains("EAAG"), "{audit}");
    // Refusals name the field.
    let (status, body) = api
        .call(
            "PUT",
            "/admin/channel-accounts/whatsapp/4200",
            t,
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("accessToken")),
        "{body}"
    );
    let (status, _) = api
        .call(
            "PUT",
            "/admin/channel-accounts/fax/1",
            t,
            Some(json!({"accessToken": "x"})),
        )
        .await;
    assert_eq!(status, 404);

    // Unbound, and the secret is gone with it.
    let (status, _) = api
        .call(
            "DELETE",
            &format!("/admin/channel-accounts/whatsapp/{NEW_NUMBER}"),
            t,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let secrets = s._dir.path().join("secrets/channel/demo/whatsapp");
    assert!(!secrets.join(NEW_NUMBER).exists());
    s.stack.stop().await;
}

/// No secret in the configuration document at all: the Meta app's secret in
/// the secrets port (put there by `switchboard-local providers`), the
/// number and its token bound through the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_settings_come_from_the_secrets_port() {
    use switchboard_app::channels::ChannelsConfig;
    use switchboard_app::ports::ConversationStore;
    let dir = tempfile::tempdir().unwrap();
    // As `switchboard-local providers --file providers.json` stores them.
    let file = dir.path().join("providers.json");
    std::fs::write(
        &file,
        json!({"meta": {"appSecret": switchboard_tests::channels::META_APP_SECRET,
                        "verifyToken": "v"}})
        .to_string(),
    )
    .unwrap();
    switchboard_local::bootstrap::providers(dir.path(), &file, None)
        .await
        .unwrap();
    let mut options = switchboard_local::Options::new(
        std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
        dir.path().to_path_buf(),
    );
    options.channels = Some(ChannelsConfig::empty());
    options.sweep_every = None;
    options.passwords = Some(switchboard_tests::fast_passwords());
    let stack = switchboard_local::start(options).await.unwrap();
    let api = Api::new(&stack);
    let ann = access(&admin_of(&stack, &api, "acme", "ann@acme.example").await);
    let (status, _) = api
        .call(
            "PUT",
            &format!("/admin/channel-accounts/whatsapp/{NEW_NUMBER}"),
            Some(&ann),
            Some(json!({"accessToken": "EAAG-token"})),
        )
        .await;
    assert_eq!(status, 200);

    let body = text_to(NEW_NUMBER, "wamid.providers-1");
    let response = reqwest::Client::new()
        .post(format!("{}/webhooks/whatsapp", stack.http_url()))
        .header("X-Hub-Signature-256", meta_signature(&body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    // Signed with another secret, it is refused.
    let forged = reqwest::Client::new()
        .post(format!("{}/webhooks/whatsapp", stack.http_url()))
        .header("X-Hub-Signature-256", format!("sha256={}", "0".repeat(64)))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    stack.settled().await;
    let waiting = stack
        .store
        .group_queue(
            &switchboard_domain::TenantId::parse("acme").unwrap(),
            &switchboard_domain::GroupId::default_group(),
            10,
        )
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    stack.stop().await;
}
