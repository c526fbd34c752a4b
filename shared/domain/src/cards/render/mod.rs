//! A sent card in each channel's own terms, and a channel's reply read back
//! as an answer. Every rendering carries the card's id back: in a button's
//! or row's id (`card:{id}:confirm`), a Flow's `flow_token`, or Apple's
//! `requestIdentifier`. The preview shows exactly these payloads.

pub mod apple;
pub mod reply;
pub mod whatsapp;

use super::{CardField, CardInstance};

/// "Label: value" for each value the card holds, in field order: what a
/// channel without a form shows the client.
pub(crate) fn summary(card: &CardInstance) -> Vec<String> {
    card.card
        .fields
        .iter()
        .filter_map(|f: &CardField| {
            let v = card.values.get(&f.id)?;
            Some(format!("{}: {}", f.label, f.display(v)))
        })
        .collect()
}

/// At most `max` characters, cut on a character boundary with an ellipsis.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod golden;
