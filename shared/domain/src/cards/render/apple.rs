//! Apple Messages for Business payloads for a card (reference §6.5 and
//! §10), by what the client's device can show:
//! - `FORM`: a `messageForms` form, one page per field and a last page
//!   choosing Confirm or Cancel, with a summary before submitting;
//! - `LIST`: a list picker with Confirm and Cancel under the card's values;
//! - otherwise: a quick reply with Confirm and Cancel.
//!
//! `requestIdentifier` is the card's id, so the reply resolves it.

use super::{clip, summary};
use crate::cards::{button_words, CardInstance, FieldKind};
use serde_json::{json, Value};

/// The Messages extension every Apple interactive message names.
pub const BID: &str = "com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension";
/// The identifier of a form's last page, whose choice is the outcome.
pub const DECISION_PAGE: &str = "decision";

/// How a client's device shows interactive messages, from its capability list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppleStyle {
    Form,
    ListPicker,
    QuickReply,
}

impl AppleStyle {
    pub fn for_capabilities(capabilities: &[String]) -> Self {
        let has = |c: &str| capabilities.iter().any(|x| x.eq_ignore_ascii_case(c));
        if has("FORM") {
            AppleStyle::Form
        } else if has("LIST") {
            AppleStyle::ListPicker
        } else {
            AppleStyle::QuickReply
        }
    }
}

/// The `interactiveData` object of the card's message.
pub fn interactive_data(card: &CardInstance, style: AppleStyle) -> Value {
    let def = &card.card;
    let (confirm, _, cancel) = button_words(&card.language);
    let confirm = def.confirm_label.as_deref().unwrap_or(confirm);
    let cancel = def.cancel_label.as_deref().unwrap_or(cancel);
    let values = summary(card).join("\n");
    let received =
        json!({"title": clip(&def.title, 60), "subtitle": clip(&def.text, 120), "style": "icon"});
    let data = match style {
        AppleStyle::Form => json!({
            "version": "1.0",
            "requestIdentifier": card.id,
            "dynamic": {"template": "messageForms", "data": form(card, confirm, cancel)},
        }),
        AppleStyle::ListPicker => json!({
            "version": "1.0",
            "requestIdentifier": card.id,
            "listPicker": {"sections": [{
                "title": clip(&def.title, 60), "order": 0, "multipleSelection": false,
                "items": [
                    {"identifier": "confirm", "title": confirm, "subtitle": clip(&values, 120), "order": 0, "style": "default"},
                    {"identifier": "cancel", "title": cancel, "order": 1, "style": "default"},
                ],
            }]},
        }),
        AppleStyle::QuickReply => json!({
            "version": "1.0",
            "requestIdentifier": card.id,
            "quick-reply": {"summaryText": clip(&format!("{}\n{}", def.text, values), 300),
                            "items": [{"identifier": "confirm", "title": confirm},
                                      {"identifier": "cancel", "title": cancel}]},
        }),
    };
    json!({
        "bid": BID,
        "data": data,
        "receivedMessage": received,
        "replyMessage": {"title": clip(&def.title, 60), "style": "icon"},
    })
}

fn form(card: &CardInstance, confirm: &str, cancel: &str) -> Value {
    let def = &card.card;
    let mut pages: Vec<Value> = Vec::new();
    for (i, f) in def.fields.iter().enumerate() {
        let next = def
            .fields
            .get(i + 1)
            .map_or(DECISION_PAGE.to_string(), |n| n.id.clone());
        let value = card.values.get(&f.id).map(|v| f.display(v));
        let mut page =
            json!({"pageIdentifier": f.id, "title": f.label, "nextPageIdentifier": next});
        match &f.kind {
            FieldKind::Choice { options } => {
                page["type"] = json!("select");
                page["multipleSelection"] = json!(false);
                page["items"] = options
                    .iter()
                    .map(|o| json!({"identifier": o.id, "title": o.label, "value": o.id}))
                    .collect();
            }
            FieldKind::YesNo => {
                let (yes, no) = yes_no(&card.language);
                page["type"] = json!("select");
                page["multipleSelection"] = json!(false);
                page["items"] = json!([{"identifier": "yes", "title": yes, "value": "true"},
                                       {"identifier": "no", "title": no, "value": "false"}]);
            }
            FieldKind::Date => {
                page["type"] = json!("datePicker");
                let mut options = json!({"required": f.required, "dateFormat": "yyyy-MM-dd"});
                if let Some(v) = card.values.get(&f.id).and_then(|v| v.as_str()) {
                    options["startDate"] = json!(v);
                }
                page["options"] = options;
            }
            kind => {
                page["type"] = json!("input");
                let keyboard = match kind {
                    FieldKind::Number => "numberPad",
                    FieldKind::Time => "numbersAndPunctuation",
                    _ => "default",
                };
                let mut options = json!({"required": f.required, "inputType": "singleline",
                                         "keyboardType": keyboard});
                if let Some(v) = value {
                    options["placeholder"] = json!(v);
                }
                page["options"] = options;
            }
        }
        pages.push(page);
    }
    pages.push(json!({
        "pageIdentifier": DECISION_PAGE, "type": "select", "title": card.card.title,
        "multipleSelection": false, "submitForm": true,
        "items": [{"identifier": "confirm", "title": confirm, "value": "confirm"},
                  {"identifier": "cancel", "title": cancel, "value": "cancel"}],
    }));
    let start = def.fields.first().map_or(DECISION_PAGE, |f| f.id.as_str());
    json!({"startPageIdentifier": start, "showSummary": true, "pages": pages})
}

fn yes_no(language: &str) -> (&'static str, &'static str) {
    match language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "de" => ("Ja", "Nein"),
        "fr" => ("Oui", "Non"),
        "es" => ("Sí", "No"),
        "it" => ("Sì", "No"),
        "ru" => ("Да", "Нет"),
        _ => ("Yes", "No"),
    }
}

/// The whole send body, from the business to the client.
pub fn message(
    card: &CardInstance,
    style: AppleStyle,
    id: &str,
    business: &str,
    client: &str,
) -> Value {
    json!({
        "v": 1,
        "type": "interactive",
        "id": id,
        "sourceId": business,
        "destinationId": client,
        "interactiveData": interactive_data(card, style),
    })
}
