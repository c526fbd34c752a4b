//! VK Callback API: confirmation and `message_new` in, `messages.send` out.

use super::{str_field, ParseError};
use serde_json::Value;
use switchboard_domain::{Attachment, Channel, ChannelEvent, ContactProfile, InboundMessage};

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

pub fn group_id(body: &Value) -> Option<String> {
    id_string(body.get("group_id"))
}

pub fn normalize(body: &Value) -> Result<Vec<ChannelEvent>, ParseError> {
    let group = group_id(body).ok_or_else(|| ParseError::new("group_id", "is required"))?;
    let kind = str_field(body, "type").ok_or_else(|| ParseError::new("type", "is required"))?;
    if kind != "message_new" {
        return Ok(vec![ChannelEvent::Unhandled {
            channel: Channel::Vk,
            account_id: group,
            kind,
        }]);
    }
    let m = body
        .pointer("/object/message")
        .ok_or_else(|| ParseError::new("object.message", "is required"))?;
    let from = id_string(m.get("from_id"))
        .ok_or_else(|| ParseError::new("object.message.from_id", "is required"))?;
    // conversation_message_id numbers the messages of one dialogue with the
    // community; with the group it names the message for good.
    let number = id_string(m.get("conversation_message_id"))
        .or_else(|| id_string(m.get("id")))
        .ok_or_else(|| ParseError::new("object.message.conversation_message_id", "is required"))?;
    let attachments: Vec<Attachment> = m
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| Attachment {
            kind: str_field(a, "type").unwrap_or_else(|| "file".into()).into(),
            ..Attachment::default()
        })
        .collect();
    let text = str_field(m, "text").filter(|t| !t.trim().is_empty());
    Ok(vec![ChannelEvent::MessageReceived(InboundMessage {
        channel: Channel::Vk,
        account_id: group.clone(),
        contact_id: from,
        profile: ContactProfile::default(),
        external_id: format!("vk:{group}:{number}"),
        timestamp: m.get("date").and_then(Value::as_u64).unwrap_or_default(),
        unsupported: text.is_none() && attachments.is_empty(),
        text,
        attachments,
        in_reply_to: None,
        routing: None,
        reply: None,
    })])
}
