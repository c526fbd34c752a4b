//! What a provider receives for a card: the exact payload the preview
//! shows. The widget needs none (it renders the card view itself).

use switchboard_domain::cards::{CardChannel, CardInstance};

/// The provider payload of a card, None for the widget.
pub(crate) fn payload(card: &CardInstance) -> Option<serde_json::Value> {
    match card.card.channel {
        CardChannel::Webchat => None,
        CardChannel::Whatsapp | CardChannel::Apple => None,
    }
}
