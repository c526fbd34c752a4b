//! A channel's interactive reply read back as a card answer: which card
//! (from the id every rendering carries back), which outcome, which values.

use super::apple::DECISION_PAGE;
use crate::cards::CardValues;
use crate::channel::{Reply, ReplyKind};
use crate::content::CardOutcome;
use serde_json::Value;

/// What a reply to a card asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum CardReply {
    Answer {
        instance: String,
        outcome: CardOutcome,
        values: CardValues,
    },
    /// WhatsApp's Edit button: the client wants the card's form.
    Edit { instance: String },
}

/// The card answer a reply carries, if it answers one of ours.
pub fn card_reply(reply: &Reply) -> Option<CardReply> {
    match &reply.kind {
        ReplyKind::Button | ReplyKind::List => {
            let rest = reply.reply_id.as_deref()?.strip_prefix("card:")?;
            let (instance, action) = rest.split_once(':')?;
            let answer = |outcome, values| CardReply::Answer {
                instance: instance.to_string(),
                outcome,
                values,
            };
            match action.split(':').collect::<Vec<_>>().as_slice() {
                ["confirm"] => Some(answer(CardOutcome::Confirmed, CardValues::new())),
                ["cancel"] => Some(answer(CardOutcome::Cancelled, CardValues::new())),
                ["edit"] => Some(CardReply::Edit {
                    instance: instance.to_string(),
                }),
                ["pick", field, option] => Some(answer(
                    CardOutcome::Confirmed,
                    CardValues::from([(field.to_string(), Value::String(option.to_string()))]),
                )),
                _ => None,
            }
        }
        // The Flow's answer: its fields, and `outcome: "cancel"` from the
        // Flow's Cancel choice.
        ReplyKind::Flow => {
            let instance = reply.reply_id.clone()?;
            let mut values: CardValues = match &reply.data {
                Some(Value::Object(map)) => map.clone().into_iter().collect(),
                _ => CardValues::new(),
            };
            values.remove("flow_token");
            let cancelled = values
                .remove("outcome")
                .is_some_and(|o| o.as_str() == Some("cancel"));
            Some(CardReply::Answer {
                instance,
                outcome: if cancelled {
                    CardOutcome::Cancelled
                } else {
                    CardOutcome::Confirmed
                },
                values: if cancelled { CardValues::new() } else { values },
            })
        }
        ReplyKind::AppleListPicker | ReplyKind::AppleQuickReply => {
            let instance = reply.request_id.clone()?;
            let chosen: Vec<&str> = reply
                .selected_ids
                .iter()
                .map(String::as_str)
                .chain(reply.reply_id.as_deref())
                .collect();
            let outcome = if chosen.contains(&"cancel") {
                CardOutcome::Cancelled
            } else if chosen.contains(&"confirm") {
                CardOutcome::Confirmed
            } else {
                return None;
            };
            Some(CardReply::Answer {
                instance,
                outcome,
                values: CardValues::new(),
            })
        }
        // A form's selections: one per page, the page's identifier the
        // field's id; the decision page chooses the outcome.
        ReplyKind::AppleForm => {
            let instance = reply.request_id.clone()?;
            let mut values = CardValues::new();
            let mut outcome = CardOutcome::Confirmed;
            for page in reply.data.as_ref()?.as_array()? {
                let Some(id) = page.get("pageIdentifier").and_then(Value::as_str) else {
                    continue;
                };
                let item = page
                    .get("items")
                    .and_then(Value::as_array)
                    .and_then(|items| items.first());
                let value = item
                    .and_then(|i| i.get("value").or_else(|| i.get("identifier")))
                    .cloned();
                match (id, value) {
                    (DECISION_PAGE, Some(v)) if v.as_str() == Some("cancel") => {
                        outcome = CardOutcome::Cancelled
                    }
                    (DECISION_PAGE, _) => {}
                    (field, Some(v)) => {
                        values.insert(field.to_string(), v);
                    }
                    (_, None) => {}
                }
            }
            Some(CardReply::Answer {
                instance,
                outcome,
                values: if outcome == CardOutcome::Cancelled {
                    CardValues::new()
                } else {
                    values
                },
            })
        }
        _ => None,
    }
}
