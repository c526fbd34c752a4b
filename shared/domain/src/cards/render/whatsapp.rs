//! WhatsApp Cloud API payloads for a card (reference §3.2 and §10):
//! - with a Flow: an `interactive.flow` message, `flow_token` = the card id,
//!   the prefills in `flow_action_payload.data`, opening the Flow's first
//!   screen, which must be named `CARD`;
//! - otherwise, with exactly one choice still to make: a list message whose
//!   rows are its options (picking one confirms the card with it);
//! - otherwise: reply buttons Confirm / Edit / Cancel under the card's text
//!   and the values it holds. Edit answers with a link to the card's form
//!   page.

use super::{clip, summary};
use crate::cards::{button_words, CardInstance, FieldKind};
use serde_json::{json, Value};

/// The Flow screen a card's Flow opens on.
pub const FLOW_SCREEN: &str = "CARD";

/// The `interactive` object of the card's message.
pub fn interactive(card: &CardInstance) -> Value {
    let def = &card.card;
    let (confirm, edit, cancel) = button_words(&card.language);
    let confirm = def.confirm_label.as_deref().unwrap_or(confirm);
    let cancel = def.cancel_label.as_deref().unwrap_or(cancel);
    let header = json!({"type": "text", "text": clip(&def.title, 60)});
    let mut body = def.text.clone();
    let lines = summary(card);
    if !lines.is_empty() {
        body.push_str("\n\n");
        body.push_str(&lines.join("\n"));
    }
    if let Some(flow) = &def.whatsapp_flow_id {
        return json!({
            "type": "flow",
            "header": header,
            "body": {"text": clip(&body, 1024)},
            "action": {"name": "flow", "parameters": {
                "flow_message_version": "3",
                "flow_id": flow,
                "flow_cta": clip(confirm, 20),
                "flow_token": card.id,
                "mode": "published",
                "flow_action": "navigate",
                "flow_action_payload": {"screen": FLOW_SCREEN, "data": card.values},
            }},
        });
    }
    let open_choices: Vec<_> = def
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Choice { .. }) && !card.values.contains_key(&f.id))
        .collect();
    if let [field] = open_choices.as_slice() {
        if let FieldKind::Choice { options } = &field.kind {
            let rows: Vec<Value> = options
                .iter()
                .map(|o| {
                    json!({"id": format!("card:{}:pick:{}:{}", card.id, field.id, o.id),
                           "title": clip(&o.label, 24)})
                })
                .collect();
            return json!({
                "type": "list",
                "header": header,
                "body": {"text": clip(&body, 4096)},
                "action": {"button": clip(&field.label, 20),
                           "sections": [{"title": clip(&field.label, 24), "rows": rows}]},
            });
        }
    }
    let button = |action: &str, title: &str| {
        json!({"type": "reply", "reply": {"id": format!("card:{}:{action}", card.id),
                                          "title": clip(title, 20)}})
    };
    json!({
        "type": "button",
        "header": header,
        "body": {"text": clip(&body, 1024)},
        "action": {"buttons": [button("confirm", confirm), button("edit", edit), button("cancel", cancel)]},
    })
}

/// The whole send body to `to`, with our correlation id.
pub fn message(card: &CardInstance, to: &str, correlation: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": interactive(card),
        "biz_opaque_callback_data": correlation,
    })
}
