//! WhatsApp Cloud API webhooks, signed, through routing, JSON and the normalizer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use switchboard_app::channels::webhook;
use switchboard_fuzz::{config, signed_meta_post};

fuzz_target!(|data: &[u8]| {
    let _ = webhook::receive(config(), &signed_meta_post("/webhooks/whatsapp", data));
});
