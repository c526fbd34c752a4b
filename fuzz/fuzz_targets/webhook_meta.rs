//! Messenger and Instagram webhooks, signed, through the normalizer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard_app::channels::webhook;
use switchboard_fuzz::{config, signed_meta_post};

fuzz_target!(|data: &[u8]| {
    let _ = webhook::receive(config(), &signed_meta_post("/webhooks/meta", data));
});
