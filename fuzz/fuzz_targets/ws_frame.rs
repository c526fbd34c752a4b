//! Every WebSocket frame a client can send, through the one parser.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = switchboard_app::protocol::parse_request(text);
    }
});
