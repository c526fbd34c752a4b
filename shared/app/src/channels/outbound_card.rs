//! A card's send call: WhatsApp's interactive message and Apple's
//! interactive form, list picker or quick reply, from the renderings in
//! `switchboard_domain::cards::render` (what the preview shows).

use super::outbound::{apple_message_id, correlation, json_call, token, BuildError};
use super::{apple, AccountBinding, ChannelsConfig};
use crate::ports::HttpCall;
use secrecy::ExposeSecret;
use switchboard_domain::cards::render::apple::AppleStyle;
use switchboard_domain::cards::render::{apple as apple_card, whatsapp as whatsapp_card};
use switchboard_domain::cards::CardInstance;
use switchboard_domain::{Channel, Contact, Message, Timestamp};

pub(super) fn build(
    config: &ChannelsConfig,
    account: &AccountBinding,
    contact: &Contact,
    message: &Message,
    card: &CardInstance,
    now: Timestamp,
) -> Result<HttpCall, BuildError> {
    let base = &config.endpoints;
    match contact.channel {
        Channel::WhatsApp => Ok(json_call(
            format!("{}/{}/messages", base.graph, account.account_id),
            token(account)?,
            &whatsapp_card::message(card, &contact.contact_id, &correlation(message)),
        )),
        Channel::Apple => {
            let (Some(cfg), Some(key)) = (
                config.apple.as_ref(),
                config.apple_key.as_ref().map(|k| k.expose_secret()),
            ) else {
                return Err(BuildError::NoCredentials(account.account_id.clone()));
            };
            let jwt = apple::outbound_token(&cfg.msp_id, key, now)
                .map_err(|e| BuildError::Signing(e.to_string()))?;
            let id = apple_message_id(contact.tenant.as_str(), message);
            let style = AppleStyle::for_capabilities(
                contact.profile.capabilities.as_deref().unwrap_or_default(),
            );
            let mut call = json_call(
                format!("{}/v1/message", base.apple),
                &jwt,
                &apple_card::message(card, style, &id, &account.account_id, &contact.contact_id),
            );
            call.headers.extend([
                ("id".to_string(), id),
                ("source-id".to_string(), account.account_id.clone()),
                ("destination-id".to_string(), contact.contact_id.clone()),
            ]);
            Ok(call)
        }
        other => Err(BuildError::Cannot {
            kind: "card",
            channel: other,
        }),
    }
}
