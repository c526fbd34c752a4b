//! Test support shared by the suites in `tests/tests/`: fakes for the ports that
//! tests must control (clock, ids, push), store factories for the embedded
//! store and DynamoDB on moto, the storage conformance suite, and a WebSocket client.

pub mod admin;
pub mod channel_stack;
pub mod channels;
pub mod conformance;
pub mod cost;
pub mod counting;
pub mod fakes;
pub mod local;
pub mod provider;
pub mod seed;
pub mod smtp;
pub mod stores;
pub mod ws;

/// argon2id with small parameters, for tests that are not about hashing
/// cost (the sign-in tests and the benchmark use the real ones).
pub fn fast_passwords() -> switchboard_app::usecases::admin::Passwords {
    switchboard_app::usecases::admin::Passwords::with_params(1024, 1, 1).expect("valid parameters")
}
