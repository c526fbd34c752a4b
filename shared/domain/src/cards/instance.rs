//! A card sent into a conversation, and its one outcome. The first of the
//! client's confirm or cancel and the operator's confirm or cancel wins;
//! the store applies it under the condition that the card is still open,
//! so duplicated and concurrent answers end the same way.

use super::definition::CardDefinition;
use super::fields::{check_values, CardValues, ValueError};
use crate::content::CardOutcome;
use crate::ids::{ConversationId, OperatorId, TenantId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who answered a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CardSide {
    Client,
    Operator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum CardState {
    Open,
    Resolved {
        outcome: CardOutcome,
        by: CardSide,
        at: Timestamp,
    },
    /// Nobody answered in time (a WhatsApp Flow dismissed sends nothing).
    Expired {
        at: Timestamp,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardInstance {
    pub id: String,
    pub tenant: TenantId,
    pub conversation: ConversationId,
    /// The definition as it was sent: later edits do not change a card a
    /// client already holds.
    pub card: CardDefinition,
    /// What the operator filled in before sending.
    pub prefills: CardValues,
    /// The values as the outcome left them (the prefills until then).
    pub values: CardValues,
    #[serde(flatten)]
    pub state: CardState,
    pub sent_by: OperatorId,
    pub sent_at: Timestamp,
    /// Unanswered by then, the card no longer takes an answer.
    pub expires_at: Timestamp,
    /// The conversation's language when sent: the outcome line's words.
    pub language: String,
}

/// An answer: confirm (with the values the client changed) or cancel.
#[derive(Debug, Clone, PartialEq)]
pub struct CardAnswer {
    pub outcome: CardOutcome,
    pub by: CardSide,
    pub values: CardValues,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CardError {
    #[error("the card was already {outcome:?} by the {by:?}")]
    AlreadyResolved { outcome: CardOutcome, by: CardSide },
    #[error("the card expired unanswered")]
    Expired,
    #[error(transparent)]
    Value(#[from] ValueError),
}

impl CardInstance {
    /// A card ready to send: the operator's prefills over the defaults.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        conversation: ConversationId,
        card: CardDefinition,
        prefills: &CardValues,
        sent_by: OperatorId,
        language: String,
        now: Timestamp,
    ) -> Result<Self, ValueError> {
        let prefills = card.prefill(prefills)?;
        Ok(CardInstance {
            id,
            tenant: card.tenant.clone(),
            conversation,
            expires_at: now.plus_seconds(card.expires_after_seconds),
            card,
            values: prefills.clone(),
            prefills,
            state: CardState::Open,
            sent_by,
            sent_at: now,
            language,
        })
    }

    pub fn is_open(&self) -> bool {
        self.state == CardState::Open
    }

    /// Applies the first answer. A confirm needs every required field,
    /// from the prefills or the answer; a cancel keeps the values as they
    /// were. Refused once resolved or past its expiry.
    pub fn answer(&mut self, answer: &CardAnswer) -> Result<(), CardError> {
        match self.state {
            CardState::Resolved { outcome, by, .. } => {
                return Err(CardError::AlreadyResolved { outcome, by })
            }
            CardState::Expired { .. } => return Err(CardError::Expired),
            CardState::Open => {}
        }
        if answer.at >= self.expires_at {
            return Err(CardError::Expired);
        }
        if answer.outcome == CardOutcome::Confirmed {
            self.values = check_values(&self.card.fields, &self.values, &answer.values, true)?;
        }
        self.state = CardState::Resolved {
            outcome: answer.outcome,
            by: answer.by,
            at: answer.at,
        };
        Ok(())
    }

    /// Ends a card nobody answered once its time is up; true if it did.
    pub fn expire(&mut self, now: Timestamp) -> bool {
        let due = self.is_open() && now >= self.expires_at;
        if due {
            self.state = CardState::Expired { at: now };
        }
        due
    }

    /// The chat line of its outcome, in the conversation's language.
    pub fn outcome_line(&self) -> Option<String> {
        match self.state {
            CardState::Resolved { outcome, by, .. } => {
                Some(outcome_line(&self.language, outcome, by).to_string())
            }
            CardState::Open | CardState::Expired { .. } => None,
        }
    }
}

/// "Confirmed by the client" and its three siblings, in the languages the
/// widget ships; English for any other.
pub fn outcome_line(language: &str, outcome: CardOutcome, by: CardSide) -> &'static str {
    use CardOutcome::{Cancelled, Confirmed};
    use CardSide::{Client, Operator};
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match (primary.as_str(), outcome, by) {
        ("de", Confirmed, Client) => "Vom Kunden bestätigt",
        ("de", Cancelled, Client) => "Vom Kunden abgebrochen",
        ("de", Confirmed, Operator) => "Vom Mitarbeiter bestätigt",
        ("de", Cancelled, Operator) => "Vom Mitarbeiter abgebrochen",
        ("fr", Confirmed, Client) => "Confirmé par le client",
        ("fr", Cancelled, Client) => "Annulé par le client",
        ("fr", Confirmed, Operator) => "Confirmé par l'opérateur",
        ("fr", Cancelled, Operator) => "Annulé par l'opérateur",
        ("es", Confirmed, Client) => "Confirmado por el cliente",
        ("es", Cancelled, Client) => "Cancelado por el cliente",
        ("es", Confirmed, Operator) => "Confirmado por el operador",
        ("es", Cancelled, Operator) => "Cancelado por el operador",
        ("it", Confirmed, Client) => "Confermato dal cliente",
        ("it", Cancelled, Client) => "Annullato dal cliente",
        ("it", Confirmed, Operator) => "Confermato dall'operatore",
        ("it", Cancelled, Operator) => "Annullato dall'operatore",
        ("ru", Confirmed, Client) => "Подтверждено клиентом",
        ("ru", Cancelled, Client) => "Отменено клиентом",
        ("ru", Confirmed, Operator) => "Подтверждено оператором",
        ("ru", Cancelled, Operator) => "Отменено оператором",
        (_, Confirmed, Client) => "Confirmed by the client",
        (_, Cancelled, Client) => "Cancelled by the client",
        (_, Confirmed, Operator) => "Confirmed by the operator",
        (_, Cancelled, Operator) => "Cancelled by the operator",
    }
}

/// The words of a card's buttons in a language, where the card names none.
pub fn button_words(language: &str) -> (&'static str, &'static str, &'static str) {
    match language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "de" => ("Bestätigen", "Ändern", "Abbrechen"),
        "fr" => ("Confirmer", "Modifier", "Annuler"),
        "es" => ("Confirmar", "Editar", "Cancelar"),
        "it" => ("Conferma", "Modifica", "Annulla"),
        "ru" => ("Подтвердить", "Изменить", "Отменить"),
        _ => ("Confirm", "Edit", "Cancel"),
    }
}

/// A client's answer arriving through a channel (a Flow reply, a button,
/// an Apple form), forwarded by the inbound function to the card function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardSubmission {
    pub tenant: TenantId,
    pub instance: String,
    /// The client the channel says answered: it must be the card's.
    pub visitor: crate::ids::VisitorId,
    pub outcome: CardOutcome,
    #[serde(default)]
    pub values: CardValues,
}
