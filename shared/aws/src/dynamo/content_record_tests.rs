//! The content records against the shapes version 1 items hold.
use super::*;
use serde_json::json;
use switchboard_domain::{CardOutcome, ClosedBy, SystemLine};

fn samples() -> Vec<Content> {
    let op = OperatorId::parse("ann").unwrap();
    vec![
        Content::Text {
            text: MessageText::parse("hello").unwrap(),
        },
        Content::Attachments {
            text: Some(MessageText::parse("see").unwrap()),
            attachments: vec![Attachment {
                kind: AttachmentKind::Other("hologram".into()),
                url: Some("https://x".into()),
                size: Some(3),
                ..Attachment::default()
            }],
        },
        Content::Reply {
            text: None,
            reply: Reply {
                kind: ReplyKind::AppleListPicker,
                reply_id: Some("r1".into()),
                request_id: None,
                title: Some("Tuesday".into()),
                description: None,
                selected_ids: vec!["a".into()],
                data: Some(json!({"k": [1, 2]})),
            },
        },
        Content::Card {
            card: Card {
                instance: "ci_1".into(),
                title: "Address".into(),
                definition: "address".into(),
                fields: json!({"street": "Main"}).as_object().unwrap().clone(),
            },
        },
        Content::Template {
            template: Template {
                name: "reengage".into(),
                language: "de".into(),
                parameters: vec!["Grace".into()],
                header_parameters: vec![],
                text: String::new(),
            },
        },
        Content::Note {
            text: MessageText::parse("vip").unwrap(),
        },
        Content::System {
            event: SystemLine::Transferred {
                from: op.clone(),
                to: OperatorId::parse("bob").unwrap(),
            },
        },
        Content::System {
            event: SystemLine::CardOutcome {
                instance: "ci_1".into(),
                definition: "address".into(),
                outcome: CardOutcome::Confirmed,
                by: switchboard_domain::cards::CardSide::Operator,
                text: "Confirmed by the operator".into(),
            },
        },
        Content::System {
            event: SystemLine::Closed {
                by: ClosedBy::Operator(op),
            },
        },
        Content::Unsupported,
    ]
}

/// Version 1 items were written with the domain's serde: the records
/// write the same shapes, so those items read unchanged.
#[test]
fn records_write_what_version_1_items_hold_and_read_it_back() {
    for content in samples() {
        let record = ContentRecord::from(&content);
        assert_eq!(
            serde_json::to_value(&record).unwrap(),
            serde_json::to_value(&content).unwrap()
        );
        let stored =
            serde_dynamo::to_attribute_value::<_, aws_sdk_dynamodb::types::AttributeValue>(
                &content,
            )
            .unwrap();
        let read: ContentRecord = serde_dynamo::from_attribute_value(stored).unwrap();
        assert_eq!(Content::try_from(read).unwrap(), content);
    }
    let author = Author::Business("wa-app".into());
    assert_eq!(
        serde_json::to_value(AuthorRecord::from(&author)).unwrap(),
        serde_json::to_value(&author).unwrap()
    );
}
