use super::*;
use crate::timeline::TimelineKind;

pub fn entry(kind: EntryType) -> EntryInfo {
    EntryInfo {
        entry_type: kind,
        language: "en".into(),
        browser: "Firefox".into(),
        os: "Linux".into(),
        widget: "Support".into(),
        page_url: "https://example.com/pricing".into(),
        name: Some("Ada".into()),
        phone: None,
        email: None,
    }
}

fn conv() -> Conversation {
    Conversation::start(
        ConversationId::parse("c1").unwrap(),
        TenantId::parse("t").unwrap(),
        VisitorId::parse("v").unwrap(),
        Channel::WebChat,
        entry(EntryType::Chat),
        Timestamp(10),
    )
}

#[test]
fn lifecycle_waiting_active_closed_reopened() {
    let mut c = conv();
    let op = OperatorId::parse("op").unwrap();
    c.accept(&op, Timestamp(20)).unwrap();
    assert_eq!(c.status, ConversationStatus::Active);
    assert_eq!(
        c.accept(&op, Timestamp(21)),
        Err(TransitionError::NotWaiting(ConversationStatus::Active))
    );
    c.close(Some(&op), Timestamp(30)).unwrap();
    assert_eq!(
        c.close(None, Timestamp(31)),
        Err(TransitionError::AlreadyClosed)
    );
    c.reopen(Timestamp(40)).unwrap();
    assert_eq!(c.status, ConversationStatus::Waiting);
    assert_eq!(c.enqueued_at, Timestamp(40));
    assert_eq!(c.operator, None);
    // The first session keeps what happened in it.
    assert_eq!(c.created_at, Timestamp(10));
    assert_eq!(c.sessions.len(), 2);
    assert_eq!(c.sessions[0].operator, Some(op.clone()));
    assert_eq!(c.sessions[0].accepted_at, Some(Timestamp(20)));
    assert_eq!(c.sessions[0].closed_at, Some(Timestamp(30)));
    assert_eq!(c.sessions[0].closed_by, Some(ClosedBy::Operator(op)));
    assert_eq!(c.sessions[1].number, 2);
    assert_eq!(c.sessions[1].enqueued_at, Timestamp(40));
}

#[test]
fn events_are_numbered_without_gaps() {
    let mut c = conv();
    let created = c.record(TimelineKind::Created, Timestamp(10));
    let op = OperatorId::parse("op").unwrap();
    c.accept(&op, Timestamp(20)).unwrap();
    let assigned = c.assigned_event(&op, Timestamp(20));
    assert_eq!((created.number, assigned.number), (1, 2));
    assert_eq!(c.last_event, 2);
    assert!(matches!(assigned.kind, TimelineKind::Assigned { .. }));
}

#[test]
fn a_conversation_from_before_sessions_gets_its_one_session() {
    let mut c = conv();
    c.sessions.clear();
    c.accepted_at = Some(Timestamp(12));
    let c = c.with_sessions();
    assert_eq!(c.sessions.len(), 1);
    assert_eq!(c.sessions[0].accepted_at, Some(Timestamp(12)));
}

#[test]
fn only_the_assigned_operator_closes() {
    let mut c = conv();
    let op = OperatorId::parse("op").unwrap();
    let other = OperatorId::parse("other").unwrap();
    assert_eq!(
        c.close(Some(&op), Timestamp(11)),
        Err(TransitionError::NotActive(ConversationStatus::Waiting))
    );
    c.accept(&op, Timestamp(20)).unwrap();
    assert_eq!(
        c.close(Some(&other), Timestamp(21)),
        Err(TransitionError::NotAssignedTo)
    );
    assert!(c.close(None, Timestamp(22)).is_ok());
}
