//! The card rules: what a channel can show, and the one outcome.

use super::*;
use crate::content::CardOutcome::{Cancelled, Confirmed};
use crate::{ConversationId, OperatorId, TenantId, Timestamp};
use serde_json::json;

pub(crate) fn booking(channel: CardChannel) -> CardDefinition {
    serde_json::from_value(json!({
        "id": "card_booking", "tenant": "acme", "name": "Table booking", "language": "en",
        "channel": channel.as_str(), "title": "Your table", "text": "Please check your booking.",
        "fields": [
            {"id": "name", "label": "Name", "type": "text", "required": true},
            {"id": "day", "label": "Day", "type": "date", "required": true},
            {"id": "guests", "label": "Guests", "type": "number", "default": 2},
            {"id": "menu", "label": "Menu", "type": "choice", "options": [
                {"id": "veg", "label": "Vegetarian"}, {"id": "fish", "label": "Fish"}]}
        ],
        "updatedAt": 0
    }))
    .unwrap()
}

fn refused(card: &CardDefinition) -> String {
    card.validate().unwrap_err().field
}

#[test]
fn each_channel_refuses_what_it_cannot_show() {
    for channel in [
        CardChannel::Webchat,
        CardChannel::Apple,
        CardChannel::Whatsapp,
    ] {
        booking(channel).validate().unwrap();
    }
    let mut card = booking(CardChannel::Whatsapp);
    card.confirm_label = Some("Yes, book this table now".into());
    assert_eq!(
        refused(&card),
        "confirmLabel",
        "a WhatsApp button title is at most 20"
    );
    card.confirm_label = None;
    let eleven: Vec<ChoiceOption> = (0..11)
        .map(|i| ChoiceOption {
            id: format!("o{i}"),
            label: format!("Option {i}"),
        })
        .collect();
    if let FieldKind::Choice { options } = &mut card.fields[3].kind {
        *options = eleven.clone();
    }
    assert_eq!(
        refused(&card),
        "fields[3].options",
        "a WhatsApp list has at most 10 rows"
    );
    let mut web = booking(CardChannel::Webchat);
    if let FieldKind::Choice { options } = &mut web.fields[3].kind {
        *options = eleven;
    }
    web.validate().unwrap();
    // Two choices of six: each fits a list, together not.
    let mut two = booking(CardChannel::Whatsapp);
    let six: Vec<ChoiceOption> = (0..6)
        .map(|i| ChoiceOption {
            id: format!("o{i}"),
            label: format!("Option {i}"),
        })
        .collect();
    two.fields[3].kind = FieldKind::Choice {
        options: six.clone(),
    };
    let mut second = two.fields[3].clone();
    second.id = "wine".into();
    two.fields.push(second);
    assert_eq!(refused(&two), "fields");
    two.whatsapp_flow_id = Some("1234567890".into());
    two.validate().unwrap();

    let mut card = booking(CardChannel::Whatsapp);
    if let FieldKind::Choice { options } = &mut card.fields[3].kind {
        options[0].label = "Vegetarian with seasonal sides".into();
    }
    assert_eq!(
        refused(&card),
        "fields[3].options[0].label",
        "a row title is at most 24"
    );
}

#[test]
fn malformed_definitions_name_the_field() {
    let mut card = booking(CardChannel::Webchat);
    card.title = " ".into();
    assert_eq!(refused(&card), "title");
    let mut card = booking(CardChannel::Webchat);
    card.language = "english please".into();
    assert_eq!(refused(&card), "language");
    let mut card = booking(CardChannel::Webchat);
    card.fields[1].id = "name".into();
    assert_eq!(refused(&card), "fields[1].id");
    let mut card = booking(CardChannel::Webchat);
    card.fields[2].default = Some(json!("many"));
    assert_eq!(refused(&card), "fields[2].default");
    let mut card = booking(CardChannel::Webchat);
    card.whatsapp_flow_id = Some("123".into());
    assert_eq!(refused(&card), "whatsappFlowId");
    let mut card = booking(CardChannel::Apple);
    card.image_url = Some("http://example.com/a.png".into());
    assert_eq!(refused(&card), "imageUrl");
}

fn sent() -> CardInstance {
    CardInstance::new(
        "ci_1".into(),
        ConversationId::parse("c1").unwrap(),
        booking(CardChannel::Webchat),
        &serde_json::from_value(json!({"name": "Ada", "menu": "fish"})).unwrap(),
        OperatorId::parse("alice").unwrap(),
        "de-AT".into(),
        Timestamp(1_000),
    )
    .unwrap()
}

fn answer(
    outcome: crate::CardOutcome,
    by: CardSide,
    values: serde_json::Value,
    at: u64,
) -> CardAnswer {
    CardAnswer {
        outcome,
        by,
        values: serde_json::from_value(values).unwrap(),
        at: Timestamp(at),
    }
}

#[test]
fn the_prefills_lie_over_the_defaults() {
    let card = sent();
    assert_eq!(card.tenant, TenantId::parse("acme").unwrap());
    assert_eq!(
        card.prefills,
        serde_json::from_value(json!({"name": "Ada", "menu": "fish", "guests": 2})).unwrap()
    );
    assert_eq!(card.expires_at, Timestamp(1_000 + 24 * 3600 * 1000));
}

#[test]
fn the_first_answer_wins_and_later_ones_are_refused() {
    let mut card = sent();
    // A confirm without the required day is refused and changes nothing.
    let err = card
        .answer(&answer(Confirmed, CardSide::Client, json!({}), 2_000))
        .unwrap_err();
    assert!(
        matches!(err, CardError::Value(ref v) if v.field == "values.day"),
        "{err:?}"
    );
    assert!(card.is_open());
    card.answer(&answer(
        Confirmed,
        CardSide::Client,
        json!({"day": "2026-12-24", "menu": "veg"}),
        2_000,
    ))
    .unwrap();
    assert_eq!(card.values["menu"], "veg");
    assert_eq!(card.values["name"], "Ada");
    assert_eq!(card.outcome_line().as_deref(), Some("Vom Kunden bestätigt"));
    assert_eq!(
        card.answer(&answer(Cancelled, CardSide::Operator, json!({}), 3_000)),
        Err(CardError::AlreadyResolved {
            outcome: Confirmed,
            by: CardSide::Client
        })
    );
}

#[test]
fn a_cancel_keeps_the_values_and_expiry_ends_it() {
    let mut card = sent();
    card.answer(&answer(
        Cancelled,
        CardSide::Operator,
        json!({"menu": "veg"}),
        2_000,
    ))
    .unwrap();
    assert_eq!(card.values["menu"], "fish", "a cancel changes no value");
    assert_eq!(
        outcome_line("en", Cancelled, CardSide::Operator),
        "Cancelled by the operator"
    );
    let mut late = sent();
    let expired = late.expires_at.millis();
    assert_eq!(
        late.answer(&answer(Cancelled, CardSide::Client, json!({}), expired)),
        Err(CardError::Expired)
    );
}

#[test]
fn an_unanswered_card_expires_once_and_then_takes_no_answer() {
    let mut card = sent();
    let due = card.expires_at.millis();
    assert!(!card.expire(Timestamp(due - 1)), "not yet");
    assert!(card.expire(Timestamp(due)));
    assert!(!card.expire(Timestamp(due + 1)), "once");
    assert_eq!(
        card.answer(&answer(Cancelled, CardSide::Client, json!({}), due - 1)),
        Err(CardError::Expired)
    );
    let mut answered = sent();
    answered
        .answer(&answer(Cancelled, CardSide::Client, json!({}), 2_000))
        .unwrap();
    assert!(
        !answered.expire(Timestamp(due)),
        "an answered card does not expire"
    );
}
