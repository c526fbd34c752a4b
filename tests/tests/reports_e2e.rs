//! The admin's reports on the local stack against a scenario worked out by
//! hand: four chats over two days in Prague time (UTC+1 in November), and
//! the admin's own status changes.

use serde_json::{json, Value};
use std::sync::Arc;
use switchboard_tests::admin::{access, acme_admin, AcmeAdmin, PASSWORD};
use switchboard_tests::fakes::FixedClock;
use switchboard_tests::local::{operator, start_chat, visitor_on};
use switchboard_tests::ws::Client;

/// 2026-11-02 09:00 in Prague.
const T0: u64 = 1_793_606_400_000;
const MINUTE: u64 = 60_000;
const DAY: u64 = 24 * 60 * MINUTE;

fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first");
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn ok(c: &mut Client, frame: Value, expect: &str) -> Value {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let id = NEXT
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        .to_string();
    let answer = c.request(frame, &id).await;
    assert_eq!(answer["event"], expect, "{answer}");
    answer
}

/// Moves the clock, and the console pings as it would every half minute,
/// so routing counts the admin as present.
async fn tick(clock: &FixedClock, console: &mut Client, at: u64) {
    clock.set(at);
    ok(console, json!({"action": "ping"}), "pong").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_report_matches_the_scenario_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at(T0 - 5 * MINUTE));
    let AcmeAdmin {
        stack,
        api,
        session,
        token: ann,
    } = acme_admin(dir.path(), clock.clone()).await;
    let ann_id = session["operator"]["id"].as_str().unwrap().to_string();
    let shop = json!({"id": "shop", "name": "Shop"});
    assert_eq!(
        api.call("POST", "/admin/widgets", Some(&ann), Some(shop))
            .await
            .0,
        201
    );
    let tenant = json!({"name": "Acme", "maxChats": 5, "transferTimeoutSeconds": 120,
                        "timezone": "Europe/Prague"});
    let (status, body) = api
        .call("PUT", "/admin/tenant", Some(&ann), Some(tenant))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["timezone"], "Europe/Prague");

    clock.set(T0);
    let (mut console, _) = operator(&stack, &ann).await;
    // A: waits 2 minutes, first answer after 3, handled 8; two messages.
    tick(&clock, &mut console, T0 + 10 * MINUTE).await;
    let mut grace = visitor_on(&stack, "shop").await;
    let a = start_chat(&mut grace, "Grace", "en").await["id"].clone();
    tick(&clock, &mut console, T0 + 12 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "conversation.accept", "conversationId": a}),
        "conversation.accepted",
    )
    .await;
    tick(&clock, &mut console, T0 + 13 * MINUTE).await;
    ok(&mut console, json!({"action": "message.send", "conversationId": a, "clientMessageId": "a1", "text": "Hello"}), "message.ack").await;
    tick(&clock, &mut console, T0 + 14 * MINUTE).await;
    ok(
        &mut grace,
        json!({"action": "message.send", "clientMessageId": "g1", "text": "Thanks"}),
        "message.ack",
    )
    .await;
    tick(&clock, &mut console, T0 + 20 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "conversation.close", "conversationId": a}),
        "conversation.closed",
    )
    .await;
    // B: waits 5, first answer after 10, handled 15; one message.
    tick(&clock, &mut console, T0 + 30 * MINUTE).await;
    let mut ada = visitor_on(&stack, "shop").await;
    let b = start_chat(&mut ada, "Ada", "en").await["id"].clone();
    tick(&clock, &mut console, T0 + 35 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "conversation.accept", "conversationId": b}),
        "conversation.accepted",
    )
    .await;
    tick(&clock, &mut console, T0 + 40 * MINUTE).await;
    ok(&mut console, json!({"action": "message.send", "conversationId": b, "clientMessageId": "b1", "text": "Hi"}), "message.ack").await;
    tick(&clock, &mut console, T0 + 50 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "conversation.close", "conversationId": b}),
        "conversation.closed",
    )
    .await;
    // C: the client gives up after 2 minutes, nobody took it.
    tick(&clock, &mut console, T0 + 60 * MINUTE).await;
    let mut zoe = visitor_on(&stack, "shop").await;
    let c = start_chat(&mut zoe, "Zoë", "en").await["id"].clone();
    tick(&clock, &mut console, T0 + 62 * MINUTE).await;
    ok(
        &mut zoe,
        json!({"action": "conversation.close"}),
        "conversation.closed",
    )
    .await;
    // Ann away from 10:20 to 10:50 (a connection lasts two hours, as on
    // API Gateway).
    tick(&clock, &mut console, T0 + 80 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "operator.status", "status": "away"}),
        "operator.state",
    )
    .await;
    tick(&clock, &mut console, T0 + 110 * MINUTE).await;
    ok(
        &mut console,
        json!({"action": "operator.status", "status": "online"}),
        "operator.state",
    )
    .await;
    // D, the next day: taken after a minute, answered after 2.5, still open.
    // The next morning she signs in again and opens a new console.
    clock.set(T0 + DAY);
    let (status, morning) = api.sign_in("ann@acme.example", PASSWORD).await;
    assert_eq!(status, 200, "{morning}");
    let (mut console, _) = operator(&stack, &access(&morning)).await;
    let mut eve = visitor_on(&stack, "shop").await;
    let d = start_chat(&mut eve, "Eve", "en").await["id"].clone();
    tick(&clock, &mut console, T0 + DAY + MINUTE).await;
    ok(
        &mut console,
        json!({"action": "conversation.accept", "conversationId": d}),
        "conversation.accepted",
    )
    .await;
    tick(&clock, &mut console, T0 + DAY + 150_000).await;
    ok(&mut console, json!({"action": "message.send", "conversationId": d, "clientMessageId": "d1", "text": "Yes?"}), "message.ack").await;
    clock.set(T0 + 2 * DAY);
    // A day later her first token has long expired: she signs in again.
    let (status, again) = api.sign_in("ann@acme.example", PASSWORD).await;
    assert_eq!(status, 200, "{again}");
    let ann = access(&again);

    let period = "from=2026-11-02&to=2026-11-03";
    let (status, kind, csv) = api
        .download(
            &format!("/admin/reports/conversations?{period}"),
            Some(&ann),
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let id = |v: &Value| v.as_str().unwrap().to_string();
    let r = |c: &Value, started: &str, rest: &[&str]| {
        let mut row = vec![
            id(c),
            "1".into(),
            started.into(),
            "webchat".into(),
            "default".into(),
        ];
        row.extend(rest.iter().map(|s| s.to_string()));
        row
    };
    let ann_s = ann_id.as_str();
    assert_eq!(
        rows(&csv),
        vec![
            [
                "conversation",
                "session",
                "started",
                "channel",
                "group",
                "operators",
                "waited_s",
                "first_response_s",
                "handled_s",
                "messages",
                "status",
                "tags",
                "outcome",
                "sla_met"
            ]
            .map(String::from)
            .to_vec(),
            r(
                &a,
                "2026-11-02T09:10:00+01:00",
                &[
                    ann_s,
                    "120",
                    "180",
                    "480",
                    "2",
                    "closed",
                    "",
                    "closed_by_operator",
                    ""
                ]
            ),
            r(
                &b,
                "2026-11-02T09:30:00+01:00",
                &[
                    ann_s,
                    "300",
                    "600",
                    "900",
                    "1",
                    "closed",
                    "",
                    "closed_by_operator",
                    ""
                ]
            ),
            r(
                &c,
                "2026-11-02T10:00:00+01:00",
                &["", "", "", "", "0", "closed", "", "missed", ""]
            ),
            r(
                &d,
                "2026-11-03T09:00:00+01:00",
                &[ann_s, "60", "150", "", "1", "active", "", "open", ""]
            ),
        ]
    );

    let (status, _, csv) = api
        .download(&format!("/admin/reports/kpis?{period}"), Some(&ann))
        .await;
    assert_eq!(status, 200);
    let kpis: Vec<Vec<String>> = rows(&csv);
    let line = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        kpis,
        vec![
            line(&[
                "day",
                "closed",
                "wait_median_s",
                "wait_p90_s",
                "first_response_median_s",
                "first_response_p90_s",
                "with_sla_deadline",
                "sla_met"
            ]),
            line(&["2026-11-02", "3", "120", "300", "180", "600", "0", "0"]),
            line(&["2026-11-03", "0", "", "", "", "", "0", "0"]),
            line(&["total", "3", "120", "300", "180", "600", "0", "0"]),
        ]
    );

    let (status, _, csv) = api
        .download(
            &format!("/admin/reports/operator-status?{period}"),
            Some(&ann),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        rows(&csv),
        vec![
            line(&["day", "operator", "name", "online_s", "away_s", "offline_s"]),
            // Offline until 09:00, away 10:20 to 10:50, online the rest.
            line(&["2026-11-02", ann_s, "Admin", "52200", "1800", "32400"]),
            line(&["2026-11-03", ann_s, "Admin", "86400", "0", "0"]),
        ]
    );

    // Refused, naming the field: a bad date, a period the wrong way round
    // or over a year; an unknown report.
    for (query, field) in [
        ("from=2026-11-31&to=2026-12-01", "from"),
        ("from=2026-11-03&to=2026-11-02", "to"),
        ("from=2025-11-01&to=2026-11-02", "to"),
        ("to=2026-11-02", "from"),
    ] {
        let (status, body) = api
            .call(
                "GET",
                &format!("/admin/reports/kpis?{query}"),
                Some(&ann),
                None,
            )
            .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (400, Some(field)),
            "{query}: {body}"
        );
    }
    let (status, _) = api
        .call(
            "GET",
            &format!("/admin/reports/sales?{period}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(status, 404);
    stack.stop().await;
}
