//! What a provider receives for a card: the exact payload the preview
//! shows (the widget needs none; it renders the card view itself). Without
//! a conversation the client's address is a placeholder; an Apple message
//! id is chosen when the card is sent.

use crate::channels::outbound::correlation_of;
use switchboard_domain::cards::render::apple::{self, AppleStyle};
use switchboard_domain::cards::render::whatsapp;
use switchboard_domain::cards::{CardChannel, CardInstance};
use switchboard_domain::Contact;

/// The provider payload of a card for `contact`, None for the widget.
pub(crate) fn payload(card: &CardInstance, contact: Option<&Contact>) -> Option<serde_json::Value> {
    let to = contact.map_or("<client>", |c| c.contact_id.as_str());
    match card.card.channel {
        CardChannel::Webchat => None,
        CardChannel::Whatsapp => Some(whatsapp::message(
            card,
            to,
            &correlation_of(&card.conversation, 0),
        )),
        CardChannel::Apple => {
            let style = AppleStyle::for_capabilities(
                contact
                    .and_then(|c| c.profile.capabilities.as_deref())
                    .unwrap_or_default(),
            );
            let business = contact.map_or("<business>", |c| c.account_id.as_str());
            Some(apple::message(
                card,
                style,
                "<chosen when sent>",
                business,
                to,
            ))
        }
    }
}
