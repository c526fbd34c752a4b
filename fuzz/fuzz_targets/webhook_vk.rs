//! VK callbacks. VK's secret is a field of the body, so any JSON object the
//! fuzzer finds gets the configured group and secret before it is sent, and
//! the normalizer behind the check sees the rest as it came.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use switchboard_app::channels::{webhook, WebhookRequest};
use switchboard_fuzz::{config, VK_GROUP, VK_SECRET};

fuzz_target!(|data: &[u8]| {
    let body = match serde_json::from_slice::<Value>(data) {
        Ok(Value::Object(mut object)) => {
            object.insert("group_id".into(), VK_GROUP.into());
            object.insert("secret".into(), VK_SECRET.into());
            serde_json::to_vec(&Value::Object(object)).unwrap_or_default()
        }
        _ => data.to_vec(),
    };
    let request = WebhookRequest {
        method: "POST".into(),
        path: "/webhooks/vk".into(),
        query: Vec::new(),
        headers: Vec::new(),
        body,
    };
    let _ = webhook::receive(config(), &request);
});
