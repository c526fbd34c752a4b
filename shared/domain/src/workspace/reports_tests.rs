use super::*;
use crate::ids::{ConversationId, TenantId, VisitorId};
use crate::timeline::ClosedBy;
use crate::{Channel, EntryInfo, EntryType};

#[test]
fn a_period_is_whole_local_days_of_at_most_a_year() {
    let p = Period::parse("2026-03-28", "2026-03-30", Some("Europe/Prague")).unwrap();
    let days = p.days().unwrap();
    assert_eq!(days.len(), 3);
    // The clocks go forward on the 29th: that day has 23 hours.
    let hours: Vec<u64> = days
        .iter()
        .map(|(_, a, b)| (b.millis() - a.millis()) / 3_600_000)
        .collect();
    assert_eq!(hours, vec![24, 23, 24]);
    let (from, _) = p.bounds().unwrap();
    assert_eq!(p.local(from), "2026-03-28T00:00:00+01:00");
    assert_eq!(
        p.day_of(Timestamp(from.millis() - 1)).unwrap().to_string(),
        "2026-03-27"
    );
    let field = |from, to| Period::parse(from, to, None).unwrap_err().field;
    assert_eq!(field("2026-13-01", "2026-12-01"), "from");
    assert_eq!(field("2026-03-02", "2026-03-01"), "to");
    assert_eq!(field("2025-01-01", "2026-01-02"), "to");
    assert!(
        Period::parse("2024-01-01", "2024-12-31", None).is_ok(),
        "a leap year is 366 days"
    );
    assert_eq!(
        Period::parse("2026-01-01", "2026-01-01", Some("Mars/Base"))
            .unwrap_err()
            .field,
        "timezone"
    );
}

#[test]
fn quantiles_are_exact_below_ten_minutes_and_bounded_above() {
    let mut s = Seconds::default();
    assert_eq!(s.quantile(0.5), None);
    for v in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] {
        s.add(v);
    }
    assert_eq!((s.quantile(0.5), s.quantile(0.9)), (Some(50), Some(90)));
    s.add(3_725);
    assert_eq!(s.quantile(1.0), Some(3_720));
    s.add(500_000);
    assert_eq!(s.quantile(1.0), Some(86_400));
}

#[test]
fn a_session_row_counts_from_the_sessions_and_the_timeline() {
    let entry = EntryInfo {
        entry_type: EntryType::Chat,
        language: "en".into(),
        browser: String::new(),
        os: String::new(),
        widget: String::new(),
        page_url: String::new(),
        name: None,
        phone: None,
        email: None,
    };
    let ann = OperatorId::parse("ann").unwrap();
    let bob = OperatorId::parse("bob").unwrap();
    let mut c = Conversation::start(
        ConversationId::parse("c1").unwrap(),
        TenantId::parse("t").unwrap(),
        VisitorId::parse("v").unwrap(),
        Channel::WebChat,
        entry,
        Timestamp(0),
    );
    c.accept(&ann, Timestamp(30_000)).unwrap();
    c.last_seq = 4;
    c.responded(Timestamp(45_000));
    c.responded(Timestamp(50_000));
    c.close(Some(&ann), Timestamp(330_000)).unwrap();
    c.reopen(Timestamp(1_000_000)).unwrap();
    c.last_seq = 6;
    let assigned = |op: &OperatorId, session| TimelineEvent {
        conversation: c.id.clone(),
        number: 1,
        session,
        at: Timestamp(1),
        kind: TimelineKind::Assigned {
            operator: op.clone(),
            how: crate::timeline::Assignment::Accepted,
            by: None,
        },
    };
    let timeline = [assigned(&bob, 1), assigned(&ann, 1)];
    let first = SessionRow::of(&c, 1, &timeline).unwrap();
    assert_eq!(first.operators, vec![bob, ann.clone()]);
    assert_eq!(
        (
            first.waited,
            first.first_response,
            first.handled,
            first.messages
        ),
        (Some(30), Some(45), Some(300), Some(4))
    );
    assert_eq!(
        (first.status, first.outcome),
        ("closed", "closed_by_operator")
    );
    let second = SessionRow::of(&c, 2, &[]).unwrap();
    assert_eq!(
        (second.messages, second.status, second.outcome),
        (Some(2), "waiting", "open")
    );
    assert_eq!(c.sessions[0].closed_by, Some(ClosedBy::Operator(ann)));
    let mut kpis = ClosedKpis::default();
    kpis.add(&first);
    kpis.add(&second);
    assert_eq!((kpis.closed, kpis.waits.quantile(0.5)), (1, Some(30)));
}
