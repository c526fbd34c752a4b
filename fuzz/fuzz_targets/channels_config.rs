//! The channels document, as an operator writes it into `ChannelsConfig`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = switchboard_app::channels::ChannelsConfig::parse(text);
    }
});
