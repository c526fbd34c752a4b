//! Apple Messages for Business webhooks with a valid MSP token. The first
//! byte picks the body's form: plain, gzip of the rest (to reach the
//! normalizer through inflation), or the rest declared gzip as it is (to
//! hammer the inflater and its size cap).
#![no_main]
use base64::Engine;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::OnceLock;
use switchboard_app::channels::{webhook, WebhookRequest};
use switchboard_fuzz::{config, APPLE_BUSINESS, APPLE_MSP_ID, APPLE_SECRET_B64};

fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let key = base64::engine::general_purpose::STANDARD
            .decode(APPLE_SECRET_B64)
            .unwrap_or_default();
        switchboard_app::jwt::sign(&serde_json::json!({"aud": APPLE_MSP_ID}), &key)
            .unwrap_or_default()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (body, gzip) = match mode % 3 {
        0 => (rest.to_vec(), false),
        1 => {
            let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
            if enc.write_all(rest).is_err() {
                return;
            }
            (enc.finish().unwrap_or_default(), true)
        }
        _ => (rest.to_vec(), true),
    };
    let mut headers = vec![
        ("authorization".to_string(), format!("Bearer {}", token())),
        ("destination-id".to_string(), APPLE_BUSINESS.to_string()),
        ("source-id".to_string(), "urn:mbid:fuzz".to_string()),
        ("id".to_string(), "fuzz-message".to_string()),
    ];
    if gzip {
        headers.push(("content-encoding".into(), "gzip".into()));
    }
    let request = WebhookRequest {
        method: "POST".into(),
        path: "/webhooks/apple/message".into(),
        query: Vec::new(),
        headers,
        body,
    };
    let _ = webhook::receive(config(), &request);
});
