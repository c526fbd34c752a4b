//! Vanished consoles on the local stack: an operator whose console stops
//! pinging (its socket still open, no `$disconnect`) is taken offline by
//! the scheduled sweep two heartbeats later. Their status log says when,
//! the server closes the socket so a console that was only asleep
//! reconnects, and the reconnect brings them back. A colleague who pinged
//! stays online. The clock is the test's; the sweep runs when it says.

use serde_json::json;
use std::sync::Arc;
use switchboard_app::ports::DirectoryStore;
use switchboard_domain::{OperatorId, OperatorStatus, Timestamp};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_with_clock};

const T0: u64 = 1_800_000_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_consoles_are_swept_offline_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_with_clock(dir.path(), clock.clone()).await;
    let tenant = stack.seed.tenant.clone();
    let (alice_id, bob_id) = (
        OperatorId::parse("alice").unwrap(),
        OperatorId::parse("bob").unwrap(),
    );
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let sweep = || async { stack.functions.assign.vanished.sweep().await.unwrap() };

    // One heartbeat later both are fine, whatever the sweep looks at.
    clock.advance(30_000);
    assert_eq!(sweep().await, 0);
    let pong = alice.request(json!({"action": "ping"}), "p1").await;
    assert_eq!(pong["event"], "pong", "{pong}");

    // At 70 s bob has been quiet for more than two heartbeats; alice pinged at 30.
    clock.advance(40_000);
    assert_eq!(sweep().await, 1, "bob only");
    assert_eq!(
        bob.expect_close().await,
        Some(1000),
        "the server closes bob's socket"
    );
    let bob_now = stack
        .store
        .operator(&tenant, &bob_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bob_now.status, OperatorStatus::Offline);
    let alice_now = stack
        .store
        .operator(&tenant, &alice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alice_now.status, OperatorStatus::Online);
    let log = stack.store.status_log(&tenant, &bob_id).await.unwrap();
    let log: Vec<(u64, OperatorStatus)> =
        log.iter().map(|c| (c.at.millis() - T0, c.status)).collect();
    assert_eq!(
        log,
        vec![
            (0, OperatorStatus::Online),
            (70_000, OperatorStatus::Offline)
        ],
        "the interval ends when the sweep noticed, once"
    );
    // Again: nothing left to sweep (and the gateway's $disconnect for the
    // closed socket found nothing either).
    assert_eq!(sweep().await, 0);

    // Alice's console keeps pinging; bob's reconnects.
    clock.advance(20_000);
    alice.request(json!({"action": "ping"}), "p2").await;
    let (_bob_again, _) = operator(&stack, &stack.seed.operator_token).await;
    assert_eq!(sweep().await, 0);
    let bob_now = stack
        .store
        .operator(&tenant, &bob_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bob_now.status, OperatorStatus::Online);
    assert_eq!(bob_now.last_seen_at, Some(Timestamp(T0 + 90_000)));
    let statuses: Vec<OperatorStatus> = stack
        .store
        .status_log(&tenant, &bob_id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            OperatorStatus::Online,
            OperatorStatus::Offline,
            OperatorStatus::Online
        ]
    );
}
