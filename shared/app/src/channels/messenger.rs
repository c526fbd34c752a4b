//! Messenger and Instagram messaging: `page` / `instagram` webhook payloads
//! in, Send API requests out. Instagram's `messaging[]` mirrors Messenger's.

use super::{str_field, ParseError};
use serde_json::{json, Value};
use switchboard_domain::{
    Attachment, Channel, ChannelEvent, ContactProfile, DeliveryState, EchoMessage, InboundMessage,
    Reply, StatusUpdate,
};

fn id_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn normalize(payload: &Value) -> Result<Vec<ChannelEvent>, ParseError> {
    let channel = match payload.get("object").and_then(Value::as_str) {
        Some("page") => Channel::Messenger,
        Some("instagram") => Channel::Instagram,
        _ => return Err(ParseError::new("object", "must be page or instagram")),
    };
    let entries = payload
        .get("entry")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::new("entry", "must be an array"))?;
    let mut events = Vec::new();
    for entry in entries {
        let account = id_string(entry.get("id")).unwrap_or_default();
        // `standby` carries events while another app owns the thread (handover
        // protocol); they are the client's all the same.
        let items = ["messaging", "standby"]
            .iter()
            .filter_map(|k| entry.get(*k).and_then(Value::as_array))
            .flatten();
        for item in items {
            events.push(event(channel, &account, item));
        }
    }
    Ok(events)
}

fn event(channel: Channel, account: &str, item: &Value) -> ChannelEvent {
    let sender = id_string(item.pointer("/sender/id")).unwrap_or_default();
    let recipient = id_string(item.pointer("/recipient/id")).unwrap_or_default();
    let millis = item
        .get("timestamp")
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let unhandled = |kind: &str| ChannelEvent::Unhandled {
        channel,
        account_id: account.to_string(),
        kind: kind.to_string(),
    };
    if let Some(m) = item.get("message") {
        if m.get("is_echo").and_then(Value::as_bool) == Some(true) {
            return ChannelEvent::Echo(EchoMessage {
                channel,
                account_id: account.to_string(),
                contact_id: recipient,
                external_id: str_field(m, "mid").unwrap_or_default(),
                timestamp: millis / 1000,
                text: str_field(m, "text"),
                attachments: attachments(m),
                source_app_id: m.get("app_id").and_then(Value::as_u64),
                metadata: str_field(m, "metadata"),
            });
        }
        let mut message = InboundMessage {
            channel,
            account_id: account.to_string(),
            contact_id: sender,
            profile: ContactProfile::default(),
            external_id: str_field(m, "mid").unwrap_or_default(),
            timestamp: millis / 1000,
            text: str_field(m, "text"),
            attachments: attachments(m),
            in_reply_to: m
                .pointer("/reply_to/mid")
                .and_then(Value::as_str)
                .map(str::to_string),
            routing: None,
            unsupported: false,
            reply: None,
        };
        if let Some(payload) = m.pointer("/quick_reply/payload").and_then(Value::as_str) {
            message.reply = Some(Reply {
                kind: "quick_reply".into(),
                reply_id: Some(payload.to_string()),
                request_id: None,
                title: message.text.clone(),
                description: None,
                selected_ids: Vec::new(),
                data: None,
            });
            return ChannelEvent::InteractiveReply(message);
        }
        message.unsupported = message.text.is_none() && message.attachments.is_empty();
        return ChannelEvent::MessageReceived(message);
    }
    if let Some(p) = item.get("postback") {
        let title = str_field(p, "title");
        return ChannelEvent::InteractiveReply(InboundMessage {
            channel,
            account_id: account.to_string(),
            contact_id: sender,
            profile: ContactProfile::default(),
            // Postbacks before Graph v11 have no mid; the tap time keeps retries recognisable.
            external_id: str_field(p, "mid").unwrap_or_else(|| format!("postback:{millis}")),
            timestamp: millis / 1000,
            text: title.clone(),
            attachments: Vec::new(),
            in_reply_to: None,
            routing: p.get("referral").cloned(),
            unsupported: false,
            reply: Some(Reply {
                kind: "postback".into(),
                reply_id: str_field(p, "payload"),
                request_id: None,
                title,
                description: None,
                selected_ids: Vec::new(),
                data: None,
            }),
        });
    }
    let receipt = |status: DeliveryState, external_id: Option<String>, watermark: Option<u64>| {
        ChannelEvent::Status(StatusUpdate {
            channel,
            account_id: account.to_string(),
            contact_id: Some(sender.clone()),
            external_id,
            status,
            timestamp: None,
            watermark,
            error: None,
            callback: None,
        })
    };
    if let Some(d) = item.get("delivery") {
        let watermark = d.get("watermark").and_then(Value::as_u64);
        let mids: Vec<String> = d
            .get("mids")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if let [mid] = mids.as_slice() {
            return receipt(DeliveryState::Delivered, Some(mid.clone()), watermark);
        }
        // Several mids, or only a watermark: the watermark covers them all.
        return receipt(DeliveryState::Delivered, None, watermark);
    }
    if let Some(r) = item.get("read") {
        return receipt(
            DeliveryState::Read,
            None,
            r.get("watermark").and_then(Value::as_u64),
        );
    }
    if let Some(seen) = item.get("messaging_seen").or_else(|| item.get("seen")) {
        return receipt(
            DeliveryState::Read,
            str_field(seen, "mid"),
            seen.get("watermark").and_then(Value::as_u64),
        );
    }
    for kind in [
        "reaction",
        "referral",
        "optin",
        "pass_thread_control",
        "take_thread_control",
        "policy_enforcement",
    ] {
        if item.get(kind).is_some() {
            return unhandled(kind);
        }
    }
    unhandled("unknown")
}

fn attachments(m: &Value) -> Vec<Attachment> {
    m.get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| Attachment {
            kind: str_field(a, "type").unwrap_or_else(|| "file".into()).into(),
            url: a
                .pointer("/payload/url")
                .and_then(Value::as_str)
                .map(str::to_string),
            name: a
                .pointer("/payload/title")
                .and_then(Value::as_str)
                .map(str::to_string),
            ..Attachment::default()
        })
        .collect()
}

/// Send API body for a text reply. `metadata` comes back in the echo, which is
/// how our own sends are told apart from the Page Inbox's.
pub fn text_message(recipient: &str, text: &str, metadata: &str) -> Value {
    json!({
        "recipient": {"id": recipient},
        "messaging_type": "RESPONSE",
        "message": {"text": text, "metadata": metadata},
    })
}
