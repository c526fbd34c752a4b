//! Invitation codes over WebSockets on the local stack: an operator creates
//! a code, a client starting with it reaches that operator alone; wrong,
//! reused, expired, malformed and brute-forced codes are refused. The stack
//! runs on a clock the test moves, so minute windows are exact.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_local::Running;
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_with_clock, visitor};
use switchboard_tests::ws::Client;

// A whole minute, so the widget's window does not roll over mid-test.
const T0: u64 = 1_800_000_000_000;

fn start_with(code: &str) -> Value {
    json!({"action": "conversation.start", "invitationCode": code, "entry": {
        "type": "callback", "language": "en", "browser": "b", "os": "o",
        "widget": "w", "pageUrl": "https://example.com", "phone": "+44 20 7946 0000"}})
}

async fn code_from(op: &mut Client) -> String {
    let created = op
        .request(json!({"action": "invitation.create"}), "invite")
        .await;
    assert_eq!(created["event"], "invitation.created", "{created}");
    let code = created["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    code
}

async fn answer(stack: &Running, code: &str) -> (Client, Value) {
    let (mut v, _) = visitor(stack).await;
    let a = v.request(start_with(code), "start").await;
    (v, a)
}

fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_invites_once_and_guessing_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_with_clock(dir.path(), clock.clone()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;

    // Right: the conversation waits for alice alone.
    let code = code_from(&mut alice).await;
    let (mut ada, started) = answer(&stack, &format!("{} {}", &code[..3], &code[3..])).await;
    assert_eq!(started["event"], "conversation.started", "{started}");
    let id = started["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let arrived = alice.expect("invitation.arrived").await;
    assert_eq!(arrived["view"]["conversation"]["id"], id.as_str());
    let taken = bob
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "b",
        )
        .await;
    assert_eq!(taken["code"], "transferred_to_another", "{taken}");
    let accepted = alice
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "a",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    ada.expect("conversation.accepted").await;

    // Reused, wrong, malformed, expired.
    let (_, reused) = answer(&stack, &code).await;
    assert_eq!(reused["code"], "invalid_invitation", "{reused}");
    let (_, malformed) = answer(&stack, "12a456").await;
    assert_eq!(malformed["code"], "invalid_field", "{malformed}");
    assert_eq!(malformed["field"], "invitationCode");
    let stale = code_from(&mut alice).await;
    clock.advance(31 * 60_000);
    let (_, expired) = answer(&stack, &stale).await;
    assert_eq!(expired["code"], "invalid_invitation", "{expired}");

    // Five wrong codes on one connection lock it, even for a right one.
    let good = code_from(&mut alice).await;
    let (mut guesser, _) = visitor(&stack).await;
    for i in 0..5 {
        let a = guesser
            .request(start_with(&wrong(&good)), &format!("g{i}"))
            .await;
        assert_eq!(a["code"], "invalid_invitation", "{a}");
    }
    let locked = guesser.request(start_with(&good), "g5").await;
    assert_eq!(locked["code"], "too_many_attempts", "{locked}");
    // The code was not spent on the locked-out connection.
    let (_, fine) = answer(&stack, &good).await;
    assert_eq!(fine["event"], "conversation.started", "{fine}");

    // Thirty wrong codes on one widget within a minute lock the widget for
    // every connection, for a while.
    clock.advance(60 * 60_000);
    let good = code_from(&mut alice).await;
    let mut wrongs = 0;
    while wrongs < 30 {
        let (mut v, _) = visitor(&stack).await;
        for _ in 0..4 {
            if wrongs == 30 {
                break;
            }
            let a = v.request(start_with(&wrong(&good)), "w").await;
            assert_eq!(a["code"], "invalid_invitation", "{a}");
            wrongs += 1;
        }
    }
    let (_, locked) = answer(&stack, &good).await;
    assert_eq!(locked["code"], "too_many_attempts", "{locked}");
    clock.advance(7 * 60_000);
    let (_, later) = answer(&stack, &good).await;
    assert_eq!(later["event"], "conversation.started", "{later}");
}

/// A client already in a conversation who enters a code resumes it without
/// using the code up; once that conversation is closed, the same code
/// reopens it for the inviting operator alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returning_client_keeps_the_code_until_it_reopens_their_chat() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0));
    let stack = start_with_clock(dir.path(), clock.clone()).await;
    let (mut alice, _) = operator(&stack, &stack.seed.admin_token).await;
    let (mut bob, _) = operator(&stack, &stack.seed.operator_token).await;
    let (mut ada, _) = visitor(&stack).await;
    let first = ada
        .request(
            json!({"action": "conversation.start", "entry": {
                "type": "chat", "language": "en", "browser": "b", "os": "o",
                "widget": "w", "pageUrl": "https://example.com"}}),
            "first",
        )
        .await;
    assert_eq!(first["outcome"], "created", "{first}");
    let id = first["view"]["conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let code = code_from(&mut alice).await;
    let resumed = ada.request(start_with(&code), "resume").await;
    assert_eq!(resumed["outcome"], "existing", "{resumed}");
    assert_eq!(resumed["view"]["conversation"]["id"], id.as_str());

    let accepted = bob
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "accept",
        )
        .await;
    assert_eq!(accepted["event"], "conversation.accepted", "{accepted}");
    let closed = bob
        .request(
            json!({"action": "conversation.close", "conversationId": id}),
            "close",
        )
        .await;
    assert_eq!(closed["event"], "conversation.closed", "{closed}");

    let reopened = ada.request(start_with(&code), "again").await;
    assert_eq!(reopened["outcome"], "reopened", "{reopened}");
    assert_eq!(reopened["view"]["conversation"]["id"], id.as_str());
    let arrived = alice.expect("invitation.arrived").await;
    assert_eq!(
        arrived["view"]["conversation"]["id"],
        id.as_str(),
        "{arrived}"
    );
    let refused = bob
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "bob",
        )
        .await;
    assert_eq!(refused["code"], "transferred_to_another", "{refused}");
    let taken = alice
        .request(
            json!({"action": "conversation.accept", "conversationId": id}),
            "alice",
        )
        .await;
    assert_eq!(taken["event"], "conversation.accepted", "{taken}");

    // Used now: another client is refused it.
    let (_, used) = answer(&stack, &code).await;
    assert_eq!(used["code"], "invalid_invitation", "{used}");
}
