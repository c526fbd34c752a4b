//! Runs the storage conformance suite against both adapters. The DynamoDB half
//! needs moto (started by `scripts/test`) and fails with instructions without it.

use switchboard_tests::conformance as suite;
use switchboard_tests::stores;

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod embedded {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    suite::$case(stores::embedded()).await;
                }
            )*
        }
        mod dynamodb_on_moto {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    suite::$case(std::sync::Arc::new(stores::dynamodb().await)).await;
                }
            )*
        }
    };
}

conformance!(
    directory_and_presence,
    start_resume_and_reopen,
    conditional_accept,
    capacity_and_video,
    idempotent_messages,
    ordered_history,
    waiting_queue,
    connection_registry,
    accept_race,
    contacts_merge,
    delivery_receipts,
);
