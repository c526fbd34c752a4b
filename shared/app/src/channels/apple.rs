//! Apple Messages for Business through the MSP REST API: `POST /message` in,
//! `POST /v1/message` out.

use super::{str_field, ParseError};
use crate::jwt;
use serde_json::{json, Value};
use switchboard_domain::{
    Attachment, Channel, ChannelEvent, ContactProfile, InboundMessage, Reply, Timestamp,
    TypingState,
};

/// Apple puts one U+FFFC in the text where each attachment sits.
const OBJECT_REPLACEMENT: char = '\u{FFFC}';

/// What the MSP headers carry beside the JSON body.
#[derive(Debug, Default, Clone)]
pub struct AppleHeaders {
    pub id: Option<String>,
    pub source_id: Option<String>,
    pub destination_id: Option<String>,
    pub capability_list: Option<String>,
    pub device_agent: Option<String>,
}

pub fn normalize(headers: &AppleHeaders, body: &Value) -> Result<Vec<ChannelEvent>, ParseError> {
    let kind = str_field(body, "type").ok_or_else(|| ParseError::new("type", "is required"))?;
    let contact_id = headers
        .source_id
        .clone()
        .or_else(|| str_field(body, "sourceId"))
        .ok_or_else(|| ParseError::new("source-id", "is required"))?;
    let account_id = headers
        .destination_id
        .clone()
        .or_else(|| str_field(body, "destinationId"))
        .ok_or_else(|| ParseError::new("destination-id", "is required"))?;
    let external_id = headers
        .id
        .clone()
        .or_else(|| str_field(body, "id"))
        .ok_or_else(|| ParseError::new("id", "is required"))?;
    let event = match kind.as_str() {
        "typing_start" | "typing_end" => ChannelEvent::Typing {
            channel: Channel::Apple,
            account_id,
            contact_id,
            state: if kind == "typing_start" {
                TypingState::Start
            } else {
                TypingState::End
            },
            event_id: Some(external_id),
        },
        "close" => ChannelEvent::Closed {
            channel: Channel::Apple,
            account_id,
            contact_id,
            by: "customer".into(),
            event_id: Some(external_id),
        },
        "text" | "interactive" => {
            let capabilities = headers.capability_list.as_ref().map(|list| {
                list.split(',')
                    .map(|c| c.trim().to_ascii_uppercase())
                    .filter(|c| !c.is_empty())
                    .collect()
            });
            let routing = match (str_field(body, "intent"), str_field(body, "group")) {
                (None, None) => None,
                (intent, group) => Some(json!({"intent": intent, "group": group})),
            };
            let text = str_field(body, "body")
                .map(|t| t.replace(OBJECT_REPLACEMENT, "").trim().to_string())
                .filter(|t| !t.is_empty());
            let mut message = InboundMessage {
                channel: Channel::Apple,
                account_id,
                contact_id,
                profile: ContactProfile {
                    locale: str_field(body, "locale"),
                    capabilities,
                    device: headers.device_agent.clone(),
                    ..ContactProfile::default()
                },
                external_id,
                timestamp: 0,
                text,
                attachments: attachments(body),
                in_reply_to: None,
                routing,
                unsupported: false,
                reply: None,
            };
            if kind == "interactive" {
                let reply = interactive(body);
                if message.text.is_none() {
                    message.text = reply.title.clone();
                }
                message.reply = Some(reply);
                ChannelEvent::InteractiveReply(message)
            } else {
                ChannelEvent::MessageReceived(message)
            }
        }
        other => ChannelEvent::Unhandled {
            channel: Channel::Apple,
            account_id,
            kind: other.to_string(),
        },
    };
    Ok(vec![event])
}

fn attachments(body: &Value) -> Vec<Attachment> {
    body.get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| Attachment {
            kind: "file".into(),
            url: str_field(a, "url"),
            mime_type: str_field(a, "mimeType"),
            name: str_field(a, "name"),
            size: match a.get("size") {
                Some(Value::String(s)) => s.parse().ok(),
                Some(v) => v.as_u64(),
                None => None,
            },
            ..Attachment::default()
        })
        .collect()
}

/// Positions of Apple's reply fields are partly inferred from implementations,
/// so every one is optional and an unknown shape still yields a reply.
/// An interactive message's reply, from a body that has `interactiveData`
/// (or, over 10 KB, `interactiveDataRef`).
pub fn interactive(body: &Value) -> Reply {
    let mut reply = Reply {
        kind: "apple_interactive".into(),
        reply_id: None,
        request_id: None,
        title: body
            .pointer("/interactiveData/replyMessage/title")
            .and_then(Value::as_str)
            .map(str::to_string),
        description: None,
        selected_ids: Vec::new(),
        data: None,
    };
    if body.get("interactiveDataRef").is_some() {
        // Larger than 10 KB: the reply sits encrypted behind a short-lived URL.
        reply.kind = "pending_interactive_data_ref".into();
        reply.title = body
            .pointer("/interactiveDataRef/title")
            .and_then(Value::as_str)
            .map(str::to_string);
        reply.data = body.get("interactiveDataRef").cloned();
        return reply;
    }
    let Some(data) = body.pointer("/interactiveData/data") else {
        return reply;
    };
    reply.request_id = str_field(data, "requestIdentifier");
    if let Some(list) = data.get("listPicker") {
        reply.kind = "apple_list_picker".into();
        // Apple sends back only the selected items, across all sections.
        let items: Vec<&Value> = list
            .get("sections")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("items").and_then(Value::as_array))
            .flatten()
            .collect();
        reply.selected_ids = items
            .iter()
            .filter_map(|i| str_field(i, "identifier"))
            .collect();
        if let [only] = items.as_slice() {
            let item_title = str_field(only, "title");
            reply.title = item_title.or(reply.title);
        }
    } else if let Some(event) = data.get("event") {
        reply.kind = "apple_time_picker".into();
        let slots: Vec<&Value> = event
            .get("timeslots")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        reply.selected_ids = slots
            .iter()
            .filter_map(|s| str_field(s, "identifier"))
            .collect();
        if let Some(slot) = slots.first() {
            reply.data = Some(json!({
                "start": str_field(slot, "startTime").and_then(|t| rfc3339_utc(&t)),
                "duration_s": slot.get("duration").and_then(Value::as_u64),
            }));
        }
    } else if let Some(dynamic) = data.get("dynamic") {
        reply.kind = "apple_form".into();
        reply.data = dynamic.get("selections").cloned();
    } else if let Some(quick) = data.get("quick-reply") {
        reply.kind = "apple_quick_reply".into();
        reply.selected_ids = quick
            .get("items")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|i| str_field(i, "identifier"))
            .collect();
        reply.reply_id =
            str_field(quick, "selectedIdentifier").or_else(|| reply.selected_ids.first().cloned());
    }
    reply
}

/// Apple's picker time `2026-01-05T08:00+0000` as RFC 3339 UTC. Seconds are
/// optional, and the offset may be `Z`, `+0100` or `+01:00`.
fn rfc3339_utc(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let raw = match raw.strip_suffix('Z') {
        Some(rest) => format!("{rest}+0000"),
        None => raw.to_string(),
    };
    [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%:z",
    ]
    .iter()
    .find_map(|format| {
        jiff::fmt::strtime::parse(format, &raw)
            .ok()?
            .to_timestamp()
            .ok()
    })
    .map(|t| t.to_string())
}

/// The MSP's own token for calls to Apple: `iss` is the MSP id.
pub fn outbound_token(msp_id: &str, key: &[u8], now: Timestamp) -> Result<String, jwt::JwtError> {
    jwt::sign(&json!({"iss": msp_id, "iat": now.seconds()}), key)
}

pub fn text_message(id: &str, business_id: &str, contact: &str, text: &str) -> Value {
    json!({
        "v": 1,
        "type": "text",
        "id": id,
        "sourceId": business_id,
        "destinationId": contact,
        "body": text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picker_times_become_utc() {
        assert_eq!(
            rfc3339_utc("2026-01-05T08:00+0000").as_deref(),
            Some("2026-01-05T08:00:00Z")
        );
        assert_eq!(
            rfc3339_utc("2026-01-01T00:30+0100").as_deref(),
            Some("2025-12-31T23:30:00Z")
        );
        assert_eq!(
            rfc3339_utc("2026-02-28T23:00-0200").as_deref(),
            Some("2026-03-01T01:00:00Z")
        );
        assert_eq!(
            rfc3339_utc("2026-06-01T10:15:30Z").as_deref(),
            Some("2026-06-01T10:15:30Z")
        );
        assert_eq!(
            rfc3339_utc("2026-06-01T10:15+02:00").as_deref(),
            Some("2026-06-01T08:15:00Z")
        );
        assert_eq!(rfc3339_utc("garbage"), None);
        assert_eq!(rfc3339_utc("2026-02-30T10:00+0000"), None);
    }
}
