//! The local stack's channel configuration: `channels.json` in the data
//! directory. A fresh one binds the reference test accounts (the secrets of
//! `tests/fixtures/channels`) to the demo tenant, so the signed test vectors
//! can be replayed with curl; edit it to connect real accounts.

use crate::seed::DEMO_TENANT;
use crate::StartError;
use std::path::Path;
use switchboard_app::channels::ChannelsConfig;

pub const FILE: &str = "channels.json";

/// The test accounts and secrets from the reference vectors.
pub fn demo_config_json() -> String {
    serde_json::json!({
        "meta": {
            "appSecret": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "verifyToken": "omni-verify-7f3a"
        },
        "apple": {
            "mspId": "6f1c2a9e-4b7d-4e3a-9d21-5a8c0f3e7b14",
            "secretBase64": "b21uaS10ZXN0LW1zcC1zZWNyZXQtMzItYnl0ZXMhISE="
        },
        "accounts": [
            {"channel": "whatsapp", "accountId": "420000000000002", "tenant": DEMO_TENANT, "accessToken": "local-whatsapp-token",
             "wabaId": "310000000000001"},
            {"channel": "messenger", "accountId": "530000000000003", "tenant": DEMO_TENANT, "accessToken": "local-page-token"},
            {"channel": "instagram", "accountId": "17841400000000005", "tenant": DEMO_TENANT, "accessToken": "local-ig-token"},
            {"channel": "apple", "accountId": "0b9e2d4c-7a61-4f5e-8c3b-2d1a9e6f4c07", "tenant": DEMO_TENANT},
            {"channel": "vk", "accountId": "229000001", "tenant": DEMO_TENANT, "accessToken": "local-vk-token",
             "secret": "vk-callback-secret-test", "confirmation": "a1b2c3d4"}
        ]
    })
    .to_string()
}

pub fn load_or_create(data_dir: &Path) -> Result<ChannelsConfig, StartError> {
    let path = data_dir.join(FILE);
    let raw = match std::fs::read_to_string(&path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let raw = demo_config_json();
            std::fs::write(&path, &raw).map_err(|e| StartError::DataDir(e.to_string()))?;
            raw
        }
        Err(e) => return Err(StartError::DataDir(format!("{}: {e}", path.display()))),
    };
    ChannelsConfig::parse(&raw)
        .map_err(|e| StartError::Channels(format!("{}: {e}", path.display())))
}
