//! A conversation as rows of a transcript: when, who, what kind, the text;
//! its chat items and, between them, its timeline (accepted, transferred,
//! closed). Notes appear only when asked for, marked as notes. Cells that a
//! spreadsheet would run as a formula are defused.

use crate::{
    Assignment, Author, ClosedBy, Content, Message, OperatorId, SystemLine, TimelineEvent,
    TimelineKind, Timestamp,
};
use std::borrow::Cow;

/// One row: the item's time, its author as a person reads it, its kind
/// (`text`, `attachments`, `reply`, `card`, `template`, `note`, `system`,
/// `unsupported`) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptRow {
    pub time: Timestamp,
    pub author: String,
    pub kind: &'static str,
    pub text: String,
}

/// How people are named in a transcript.
pub trait Names {
    fn visitor(&self) -> String;
    fn operator(&self, id: &OperatorId) -> String;
}

/// The message as a row, or None for a note when notes are left out.
pub fn row(message: &Message, names: &dyn Names, with_notes: bool) -> Option<TranscriptRow> {
    let (kind, text) = match &message.content {
        Content::Text { text } => ("text", text.as_str().to_string()),
        Content::Attachments { text, attachments } => {
            let files = attachments
                .iter()
                .map(|a| {
                    a.name
                        .clone()
                        .or_else(|| a.url.clone())
                        .unwrap_or_else(|| format!("{:?}", a.kind).to_lowercase())
                })
                .collect::<Vec<_>>()
                .join("; ");
            let text = match text {
                Some(caption) => format!("{} [{files}]", caption.as_str()),
                None => format!("[{files}]"),
            };
            ("attachments", text)
        }
        Content::Reply { text, reply } => (
            "reply",
            text.as_ref()
                .map(|t| t.as_str().to_string())
                .or_else(|| reply.title.clone())
                .unwrap_or_default(),
        ),
        Content::Card { card } => ("card", card.title.clone()),
        Content::Template { template } => (
            "template",
            if template.text.is_empty() {
                template.name.clone()
            } else {
                template.text.clone()
            },
        ),
        Content::Note { text } => {
            if !with_notes {
                return None;
            }
            ("note", text.as_str().to_string())
        }
        Content::System { event } => ("system", system_text(event, names)),
        Content::Unsupported => ("unsupported", "(content the channel could not show)".into()),
    };
    let author = match &message.author {
        Author::Visitor(_) => names.visitor(),
        Author::Operator(id) => names.operator(id),
        Author::System => "Switchboard".into(),
        Author::Business(app) if app.is_empty() => "Business".into(),
        Author::Business(app) => format!("Business ({app})"),
    };
    Some(TranscriptRow {
        time: message.created_at,
        author,
        kind,
        text,
    })
}

fn system_text(event: &SystemLine, names: &dyn Names) -> String {
    match event {
        SystemLine::Assigned { operator } => format!("Assigned to {}", names.operator(operator)),
        SystemLine::Transferred { from, to } => format!(
            "Transferred from {} to {}",
            names.operator(from),
            names.operator(to)
        ),
        SystemLine::CardOutcome {
            text,
            definition,
            outcome,
            ..
        } => {
            if text.is_empty() {
                format!("{definition}: {outcome:?}").to_lowercase()
            } else {
                text.clone()
            }
        }
        SystemLine::Closed {
            by: ClosedBy::Visitor,
        } => format!("Closed by {}", names.visitor()),
        SystemLine::Closed {
            by: ClosedBy::Operator(id),
        } => format!("Closed by {}", names.operator(id)),
        SystemLine::Reopened => "Reopened".into(),
    }
}

/// A timeline entry as a row of kind `event`: started, accepted or
/// assigned, transferred, returned, closed, reopened. A transfer's comment
/// and a decline's reason are internal, like notes, and shown only with
/// them.
pub fn event_row(event: &TimelineEvent, names: &dyn Names, with_notes: bool) -> TranscriptRow {
    let op = |id: &OperatorId| names.operator(id);
    let internal = |text: &Option<String>| match text {
        Some(t) if with_notes && !t.trim().is_empty() => format!(": {t}"),
        _ => String::new(),
    };
    let text = match &event.kind {
        TimelineKind::Created if event.session <= 1 => "Started".to_string(),
        TimelineKind::Created => "Started again".to_string(),
        TimelineKind::Assigned {
            operator,
            how: Assignment::Accepted,
            ..
        } => format!("Accepted by {}", op(operator)),
        TimelineKind::Assigned {
            operator,
            how: Assignment::Routed,
            ..
        } => format!("Assigned to {}", op(operator)),
        TimelineKind::Assigned { operator, by, .. } => match by {
            Some(admin) => format!("Assigned to {} by {}", op(operator), op(admin)),
            None => format!("Assigned to {}", op(operator)),
        },
        TimelineKind::Transferred { from, to, comment } => {
            format!(
                "Transferred from {} to {}{}",
                op(from),
                op(to),
                internal(comment)
            )
        }
        TimelineKind::TransferredToGroup {
            from,
            group,
            comment,
        } => format!(
            "Transferred by {} to the group {group}{}",
            op(from),
            internal(comment)
        ),
        TimelineKind::TransferReturned { to, by, reason } => match by {
            Some(by) => format!("Declined by {}{}", op(by), internal(reason)),
            None => format!("Not answered by {} in time", op(to)),
        },
        TimelineKind::Closed {
            by: ClosedBy::Visitor,
        } => format!("Closed by {}", names.visitor()),
        TimelineKind::Closed {
            by: ClosedBy::Operator(id),
        } => format!("Closed by {}", op(id)),
        TimelineKind::Reopened => "Reopened".to_string(),
    };
    TranscriptRow {
        time: event.at,
        author: "Switchboard".into(),
        kind: "event",
        text,
    }
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) gets a leading apostrophe, so a client's
/// "=HYPERLINK(…)" stays text when the file is opened (OWASP's advice on
/// CSV injection).
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClientMessageId, ConversationId, MessageText, VisitorId};

    struct Fixed;
    impl Names for Fixed {
        fn visitor(&self) -> String {
            "Grace".into()
        }
        fn operator(&self, id: &OperatorId) -> String {
            format!("Op {id}")
        }
    }

    fn message(author: Author, content: Content) -> Message {
        Message {
            conversation: ConversationId::parse("c1").unwrap(),
            seq: 1,
            client_id: ClientMessageId::parse("m1").unwrap(),
            author,
            content,
            created_at: Timestamp(5),
            external_id: None,
            delivery: None,
        }
    }

    #[test]
    fn notes_only_when_asked_and_marked() {
        let note = message(
            Author::Operator(OperatorId::parse("ann").unwrap()),
            Content::Note {
                text: MessageText::parse("VIP, be nice").unwrap(),
            },
        );
        assert_eq!(row(&note, &Fixed, false), None);
        let shown = row(&note, &Fixed, true).unwrap();
        assert_eq!((shown.kind, shown.author.as_str()), ("note", "Op ann"));
    }

    #[test]
    fn rows_name_people_and_describe_lines() {
        let hello = message(
            Author::Visitor(VisitorId::parse("v1").unwrap()),
            Content::text(MessageText::parse("Hi").unwrap()),
        );
        let r = row(&hello, &Fixed, false).unwrap();
        assert_eq!(
            (r.author.as_str(), r.kind, r.text.as_str()),
            ("Grace", "text", "Hi")
        );
        let closed = message(
            Author::System,
            Content::System {
                event: SystemLine::Closed {
                    by: ClosedBy::Visitor,
                },
            },
        );
        assert_eq!(row(&closed, &Fixed, false).unwrap().text, "Closed by Grace");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(safe_cell("=1+1"), "'=1+1");
        assert_eq!(safe_cell("-5"), "'-5");
        assert_eq!(safe_cell("fine = ok"), "fine = ok");
    }
}
