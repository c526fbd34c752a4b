//! Shared set-up for the fuzz targets: the channels configuration of the
//! local stack (the reference vectors' secrets) and requests that pass
//! authentication, so the fuzzer spends its time in the parsers behind it.

use std::sync::OnceLock;
use switchboard_app::channels::{auth, ChannelsConfig, WebhookRequest};

pub const META_APP_SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const APPLE_MSP_ID: &str = "6f1c2a9e-4b7d-4e3a-9d21-5a8c0f3e7b14";
pub const APPLE_SECRET_B64: &str = "b21uaS10ZXN0LW1zcC1zZWNyZXQtMzItYnl0ZXMhISE=";
pub const APPLE_BUSINESS: &str = "0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07";
pub const VK_GROUP: i64 = 229000001;
pub const VK_SECRET: &str = "vk-callback-secret-test";

pub fn config() -> &'static ChannelsConfig {
    static CONFIG: OnceLock<ChannelsConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let doc = serde_json::json!({
            "meta": {"appSecret": META_APP_SECRET, "verifyToken": "omni-verify-7f3a"},
            "apple": {"mspId": APPLE_MSP_ID, "secretBase64": APPLE_SECRET_B64},
            "accounts": [
                {"channel": "whatsapp", "accountId": "420000000000002", "tenant": "demo", "accessToken": "t"},
                {"channel": "messenger", "accountId": "530000000000003", "tenant": "demo", "accessToken": "t"},
                {"channel": "instagram", "accountId": "17841400000000005", "tenant": "demo", "accessToken": "t"},
                {"channel": "apple", "accountId": APPLE_BUSINESS, "tenant": "demo"},
                {"channel": "vk", "accountId": VK_GROUP.to_string(), "tenant": "demo", "accessToken": "t",
                 "secret": VK_SECRET, "confirmation": "a1b2c3d4"}
            ]
        });
        match ChannelsConfig::parse(&doc.to_string()) {
            Ok(c) => c,
            Err(e) => panic!("fuzz configuration is invalid: {e}"),
        }
    })
}

/// A POST with a valid `X-Hub-Signature-256` over exactly `body`.
pub fn signed_meta_post(path: &str, body: &[u8]) -> WebhookRequest {
    WebhookRequest {
        method: "POST".into(),
        path: path.into(),
        query: Vec::new(),
        headers: vec![(
            "x-hub-signature-256".into(),
            auth::meta_signature(body, META_APP_SECRET.as_bytes()),
        )],
        body: body.to_vec(),
    }
}
