//! WhatsApp Cloud API: webhook payloads in, Cloud API messages out.

use super::errors::whatsapp_error;
use super::{str_field, ParseError};
use serde_json::{json, Value};
use switchboard_domain::{
    Attachment, Channel, ChannelEvent, ContactProfile, DeliveryState, EchoMessage, InboundMessage,
    Reply, StatusUpdate,
};

const MEDIA_KINDS: [&str; 5] = ["image", "video", "audio", "document", "sticker"];

fn seconds(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap_or_default(),
        Value::Number(n) => n.as_u64().unwrap_or_default(),
        _ => 0,
    }
}

/// Every `entry[].changes[]` of a `whatsapp_business_account` payload.
pub fn normalize(payload: &Value) -> Result<Vec<ChannelEvent>, ParseError> {
    if payload.get("object").and_then(Value::as_str) != Some("whatsapp_business_account") {
        return Err(ParseError::new(
            "object",
            "must be whatsapp_business_account",
        ));
    }
    let entries = payload
        .get("entry")
        .and_then(Value::as_array)
        .ok_or_else(|| ParseError::new("entry", "must be an array"))?;
    let mut events = Vec::new();
    for entry in entries {
        for change in entry
            .get("changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let value = change.get("value").unwrap_or(&Value::Null);
            let field = change
                .get("field")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let account = value
                .pointer("/metadata/phone_number_id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let before = events.len();
            messages(value, &account, &mut events);
            statuses(value, &account, &mut events);
            echoes(value, &account, &mut events);
            if events.len() == before {
                events.push(ChannelEvent::Unhandled {
                    channel: Channel::WhatsApp,
                    account_id: account,
                    kind: if field.is_empty() {
                        "unknown".into()
                    } else {
                        field.into()
                    },
                });
            }
        }
    }
    Ok(events)
}

fn messages(value: &Value, account: &str, out: &mut Vec<ChannelEvent>) {
    let contacts = value.get("contacts").and_then(Value::as_array);
    for m in value
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let from = str_field(m, "from");
        let bsuid = str_field(m, "from_user_id");
        let contact = contacts.and_then(|cs| {
            cs.iter().find(|c| {
                (from.is_some() && str_field(c, "wa_id") == from)
                    || (bsuid.is_some() && str_field(c, "user_id") == bsuid)
            })
        });
        let Some(contact_id) = from.clone().or_else(|| bsuid.clone()) else {
            continue;
        };
        let profile = ContactProfile {
            contact_name: contact
                .and_then(|c| c.pointer("/profile/name"))
                .and_then(Value::as_str)
                .map(str::to_string),
            contact_phone: from.clone(),
            contact_bsuid: bsuid.or_else(|| contact.and_then(|c| str_field(c, "user_id"))),
            ..ContactProfile::default()
        };
        let kind = str_field(m, "type").unwrap_or_default();
        let mut message = InboundMessage {
            channel: Channel::WhatsApp,
            account_id: account.to_string(),
            contact_id,
            profile,
            external_id: str_field(m, "id").unwrap_or_default(),
            timestamp: m.get("timestamp").map(seconds).unwrap_or_default(),
            text: None,
            attachments: Vec::new(),
            in_reply_to: m
                .pointer("/context/id")
                .and_then(Value::as_str)
                .map(str::to_string),
            routing: m.get("referral").cloned(),
            unsupported: false,
            reply: None,
        };
        let reply = |kind: &str, id: Option<String>, title: Option<String>| Reply {
            kind: kind.into(),
            reply_id: id,
            request_id: None,
            title,
            description: None,
            selected_ids: Vec::new(),
            data: None,
        };
        match kind.as_str() {
            "text" => {
                message.text = m
                    .pointer("/text/body")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            }
            k if MEDIA_KINDS.contains(&k) => {
                let media = m.get(k).unwrap_or(&Value::Null);
                message.text = str_field(media, "caption");
                message.attachments.push(Attachment {
                    kind: k.into(),
                    provider_media_id: str_field(media, "id"),
                    mime_type: str_field(media, "mime_type"),
                    caption: str_field(media, "caption"),
                    name: str_field(media, "filename"),
                    sha256: str_field(media, "sha256"),
                    ..Attachment::default()
                });
            }
            "location" => {
                let l = m.get("location").unwrap_or(&Value::Null);
                message.text = str_field(l, "name").or_else(|| str_field(l, "address"));
                message.attachments.push(Attachment {
                    kind: "location".into(),
                    url: match (l.get("latitude"), l.get("longitude")) {
                        (Some(lat), Some(lon)) => Some(format!("geo:{lat},{lon}")),
                        _ => None,
                    },
                    ..Attachment::default()
                });
            }
            "interactive" => {
                let i = m.get("interactive").unwrap_or(&Value::Null);
                let itype = str_field(i, "type").unwrap_or_default();
                let r = match itype.as_str() {
                    "button_reply" => {
                        let b = i.get("button_reply").unwrap_or(&Value::Null);
                        reply("button", str_field(b, "id"), str_field(b, "title"))
                    }
                    "list_reply" => {
                        let l = i.get("list_reply").unwrap_or(&Value::Null);
                        let mut r = reply("list", str_field(l, "id"), str_field(l, "title"));
                        r.description = str_field(l, "description");
                        r
                    }
                    "nfm_reply" => {
                        let n = i.get("nfm_reply").unwrap_or(&Value::Null);
                        // response_json is a JSON document inside a string.
                        let data = str_field(n, "response_json")
                            .and_then(|s| serde_json::from_str::<Value>(&s).ok());
                        let mut r = reply(
                            "flow",
                            data.as_ref().and_then(|d| str_field(d, "flow_token")),
                            str_field(n, "body"),
                        );
                        r.data = data;
                        r
                    }
                    other => {
                        message.unsupported = true;
                        reply(other, None, None)
                    }
                };
                message.text = r.title.clone();
                message.reply = Some(r);
            }
            "button" => {
                let b = m.get("button").unwrap_or(&Value::Null);
                let r = reply(
                    "template_button",
                    str_field(b, "payload"),
                    str_field(b, "text"),
                );
                message.text = r.title.clone();
                message.reply = Some(r);
            }
            _ => message.unsupported = true,
        }
        out.push(if message.reply.is_some() && !message.unsupported {
            ChannelEvent::InteractiveReply(message)
        } else {
            ChannelEvent::MessageReceived(message)
        });
    }
}

fn statuses(value: &Value, account: &str, out: &mut Vec<ChannelEvent>) {
    for s in value
        .get("statuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let status = match str_field(s, "status").as_deref() {
            Some("sent") => DeliveryState::Sent,
            Some("delivered") => DeliveryState::Delivered,
            Some("read") => DeliveryState::Read,
            Some("failed") => DeliveryState::Failed,
            other => {
                out.push(ChannelEvent::Unhandled {
                    channel: Channel::WhatsApp,
                    account_id: account.into(),
                    kind: format!("status:{}", other.unwrap_or("none")),
                });
                continue;
            }
        };
        let error = s
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
            .map(|e| {
                whatsapp_error(
                    e.get("code").and_then(Value::as_i64).unwrap_or_default(),
                    e.pointer("/error_data/details")
                        .or_else(|| e.get("message"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
            });
        out.push(ChannelEvent::Status(StatusUpdate {
            channel: Channel::WhatsApp,
            account_id: account.into(),
            contact_id: str_field(s, "recipient_id").or_else(|| str_field(s, "recipient_user_id")),
            external_id: str_field(s, "id"),
            status,
            timestamp: s.get("timestamp").map(seconds),
            watermark: None,
            error,
            callback: str_field(s, "biz_opaque_callback_data"),
        }));
    }
}

fn echoes(value: &Value, account: &str, out: &mut Vec<ChannelEvent>) {
    for e in value
        .get("message_echoes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(contact_id) = str_field(e, "to").or_else(|| str_field(e, "to_user_id")) else {
            continue;
        };
        let kind = str_field(e, "type").unwrap_or_default();
        let text = match kind.as_str() {
            "text" => e
                .pointer("/text/body")
                .and_then(Value::as_str)
                .map(str::to_string),
            k => e.get(k).and_then(|m| str_field(m, "caption")),
        };
        out.push(ChannelEvent::Echo(EchoMessage {
            channel: Channel::WhatsApp,
            account_id: account.into(),
            contact_id,
            external_id: str_field(e, "id").unwrap_or_default(),
            timestamp: e.get("timestamp").map(seconds).unwrap_or_default(),
            text,
            attachments: Vec::new(),
            source_app_id: None,
            metadata: None,
        }));
    }
}

/// Cloud API `POST /{phone-number-id}/messages` body for a text message.
/// `callback` comes back in every status webhook for it.
pub fn text_message(to: &str, text: &str, callback: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": false, "body": text},
        "biz_opaque_callback_data": callback,
    })
}
