//! Send calls as the providers expect them, and their answers read.

use super::*;

fn reply(status: u16, body: &str) -> HttpReply {
    HttpReply {
        status,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn text_and_templates_are_sent_and_a_note_never() {
    use switchboard_domain::{
        Author, ClientMessageId, ConversationId, MessageText, NewMessage, OperatorId, Template,
        TenantId, VisitorId,
    };
    let config = ChannelsConfig::parse(
        r#"{"meta": {"appSecret": "s", "verifyToken": "v"},
            "accounts": [{"channel": "whatsapp", "accountId": "42", "tenant": "t", "accessToken": "x"}]}"#,
    )
    .unwrap();
    let account = config.account(Channel::WhatsApp, "42").unwrap();
    let contact = Contact {
        tenant: TenantId::parse("t").unwrap(),
        visitor: VisitorId::parse("v").unwrap(),
        channel: Channel::WhatsApp,
        account_id: "42".into(),
        contact_id: "4477".into(),
        profile: Default::default(),
        last_inbound_at: None,
    };
    let message = |content| {
        Message::from_new(
            ConversationId::parse("c").unwrap(),
            1,
            NewMessage::new(
                ClientMessageId::parse("m").unwrap(),
                Author::Operator(OperatorId::parse("op").unwrap()),
                content,
                Timestamp(0),
            ),
        )
    };
    let text = MessageText::parse("hi").unwrap();
    assert!(build(
        &config,
        account,
        &contact,
        &message(Content::text(text.clone())),
        None,
        Timestamp(0)
    )
    .is_ok());
    let template = build(
        &config,
        account,
        &contact,
        &message(Content::Template {
            template: Template {
                name: "order".into(),
                language: "en".into(),
                parameters: vec!["4411".into()],
                header_parameters: vec![],
                text: String::new(),
            },
        }),
        None,
        Timestamp(0),
    )
    .unwrap();
    let body: Value = serde_json::from_slice(&template.body).unwrap();
    assert_eq!(body["type"], "template");
    assert_eq!(body["template"]["name"], "order");
    let refused = build(
        &config,
        account,
        &contact,
        &message(Content::Unsupported),
        None,
        Timestamp(0),
    )
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "unsupported content cannot be sent through WhatsApp"
    );
    let note = build(
        &config,
        account,
        &contact,
        &message(Content::Note { text }),
        None,
        Timestamp(0),
    )
    .unwrap_err();
    assert!(matches!(note, BuildError::Internal("note")));
}

#[test]
fn whatsapp_answers() {
    assert_eq!(
        classify(
            Channel::WhatsApp,
            None,
            &reply(200, r#"{"messages":[{"id":"wamid.X"}]}"#)
        ),
        SendOutcome::Sent {
            external_id: "wamid.X".into()
        }
    );
    let SendOutcome::Rejected(e) = classify(
        Channel::WhatsApp,
        None,
        &reply(
            400,
            r#"{"error":{"code":131047,"message":"Re-engagement message"}}"#,
        ),
    ) else {
        panic!("131047 is permanent")
    };
    assert_eq!(e.action, "send_approved_template_to_reengage");
    assert!(matches!(
        classify(Channel::WhatsApp, None, &reply(429, "")),
        SendOutcome::Retry(_)
    ));
    assert!(matches!(
        classify(Channel::WhatsApp, None, &reply(503, "oops")),
        SendOutcome::Retry(_)
    ));
    assert!(matches!(
        classify(
            Channel::WhatsApp,
            None,
            &reply(400, r#"{"error":{"code":130429}}"#)
        ),
        SendOutcome::Retry(_)
    ));
}

#[test]
fn vk_errors_come_with_200() {
    assert!(matches!(
        classify(
            Channel::Vk,
            None,
            &reply(200, r#"{"error":{"error_code":901,"error_msg":"no"}}"#)
        ),
        SendOutcome::Rejected(_)
    ));
    assert_eq!(
        classify(Channel::Vk, None, &reply(200, r#"{"response":77}"#)),
        SendOutcome::Sent {
            external_id: "vk-out:77".into()
        }
    );
}
