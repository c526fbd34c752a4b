//! Runs the storage conformance suite against both adapters. The DynamoDB half
//! needs moto (started by `scripts/test`) and fails with instructions without it.

use switchboard_tests::conformance as suite;
use switchboard_tests::stores;

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        /// Every case, by name: the list the completeness test checks.
        const CASES: &[&str] = &[$(stringify!($case)),*];

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
    widget_origins,
    start_resume_and_reopen,
    reopen,
    session_history,
    conditional_accept,
    accept_needs_membership,
    capacity_and_video,
    idempotent_messages,
    ordered_history,
    waiting_queue,
    connection_registry,
    vanished_operators,
    watchers,
    accept_race,
    contacts_merge,
    client_tags,
    delivery_receipts,
    outbound_and_receipt_targets,
    groups_and_widget_routes,
    group_deletion,
    group_queues,
    assignment_on_a_snapshot,
    transfers,
    redirects,
    reopen_addressed,
    admin_assignment,
    invitations,
    offline_requests,
    heartbeats,
    status_intervals,
    sla_order,
    cards,
    card_expiry,
    whatsapp_templates,
    routing_rules_and_handling_times,
    accounts_and_logins,
    sessions_and_links,
    widget_catalogue,
    audit_log,
    channel_bindings,
    oidc_providers,
    text_blocks,
    contact_info,
    browsing_history,
    conversation_lists,
    conversation_search,
    conversation_tags,
    unite_merge_and_undo,
    unite_under_concurrent_messages,
    session_index,
);

/// A case written in `tests/src/conformance/` but missing from the list above
/// would run on neither store; this fails until it is listed.
#[test]
fn every_case_in_the_suite_is_listed() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/conformance");
    let mut written = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("pub async fn ") else {
                continue;
            };
            if rest.contains("store: Arc<dyn Store>)") {
                written.insert(rest.split('(').next().unwrap().to_string());
            }
        }
    }
    let listed: std::collections::BTreeSet<String> = CASES.iter().map(|c| c.to_string()).collect();
    assert_eq!(written, listed, "cases written vs cases listed");
}
