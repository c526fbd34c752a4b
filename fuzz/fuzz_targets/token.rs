//! Operator and visitor tokens as they arrive in `$connect`'s query string.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use switchboard_app::auth::TokenService;
use switchboard_domain::Timestamp;

fn tokens() -> &'static TokenService {
    static TOKENS: OnceLock<TokenService> = OnceLock::new();
    TOKENS.get_or_init(|| match TokenService::new(vec![7u8; 32]) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let now = Timestamp(1_800_000_000_000);
        let _ = tokens().verify_operator(text, now);
        let _ = tokens().verify_visitor(text, now);
        let _ = switchboard_app::jwt::verify::<serde_json::Value>(text, &[7u8; 32]);
    }
});
