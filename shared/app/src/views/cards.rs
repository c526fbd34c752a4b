//! How a sent card is shown: to the client's widget (its fields, the values
//! so far, the words of its buttons and where to send the answer) and to
//! the operator's console (the same, with the outcome once there is one).

use serde::Serialize;
use switchboard_domain::cards::{
    button_words, CardChannel, CardField, CardInstance, CardSide, CardState, CardValues,
};
use switchboard_domain::{CardOutcome, ConversationId, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    pub instance_id: String,
    pub conversation_id: ConversationId,
    pub card_id: String,
    pub channel: CardChannel,
    pub title: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    pub fields: Vec<CardField>,
    /// The prefills until answered; then the values the outcome left.
    pub values: CardValues,
    pub confirm_label: String,
    pub cancel_label: String,
    /// `open` until answered or past `expiresAt`.
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CardOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<CardSide>,
    /// The outcome's chat line, in the conversation's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_text: Option<String>,
    pub expires_at: Timestamp,
    /// Where the client posts its answer (with its visitor token).
    pub submit_path: String,
}

impl CardView {
    pub fn of(card: &CardInstance, now: Timestamp) -> Self {
        let (confirm, _, cancel) = button_words(&card.language);
        let (state, outcome, by) = match card.state {
            CardState::Resolved { outcome, by, .. } => ("resolved", Some(outcome), Some(by)),
            CardState::Expired { .. } => ("expired", None, None),
            CardState::Open if now >= card.expires_at => ("expired", None, None),
            CardState::Open => ("open", None, None),
        };
        CardView {
            instance_id: card.id.clone(),
            conversation_id: card.conversation.clone(),
            card_id: card.card.id.clone(),
            channel: card.card.channel,
            title: card.card.title.clone(),
            text: card.card.text.clone(),
            image_url: card.card.image_url.clone(),
            fields: card.card.fields.clone(),
            values: card.values.clone(),
            confirm_label: card
                .card
                .confirm_label
                .clone()
                .unwrap_or_else(|| confirm.to_string()),
            cancel_label: card
                .card
                .cancel_label
                .clone()
                .unwrap_or_else(|| cancel.to_string()),
            state,
            outcome,
            by,
            outcome_text: card.outcome_line(),
            expires_at: card.expires_at,
            submit_path: format!("/cards/{}/submit", card.id),
        }
    }
}
