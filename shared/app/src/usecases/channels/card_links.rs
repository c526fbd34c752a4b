//! WhatsApp's Edit button on a card: the client is sent a link to the
//! card's form page, served by the hero-card-submit function, where it
//! edits the fields and confirms or cancels. The link carries a visitor
//! token valid for a day in its fragment, so it never reaches a server log.

use super::ingest::Ingest;
use crate::auth::TokenService;
use crate::digest::{hex_prefix, sha256_parts};
use crate::error::ActionError;
use crate::ports::OutboundBus;
use crate::usecases::lifecycle::hand_to_sender;
use crate::usecases::notify::Audience;
use crate::views::Event;
use std::sync::Arc;
use switchboard_domain::cards::button_words;
use switchboard_domain::{
    Author, ClientMessageId, Contact, Content, Delivery, GroupId, MessageText, NewMessage, WidgetId,
};

/// What sending a card's form link needs.
#[derive(Clone)]
pub struct CardLinks {
    pub tokens: TokenService,
    /// Base of the HTTP API the form is served on, `https://…` without a
    /// trailing slash.
    pub public_url: String,
    pub outbound: Arc<dyn OutboundBus>,
}

/// How long a form link works.
const LINK_SECONDS: u64 = 24 * 3600;

impl Ingest {
    /// Sends `contact` the link to card `instance`'s form, once per tap
    /// (`tap` is the provider's id of the Edit reply).
    pub(super) async fn send_card_link(
        &self,
        contact: &Contact,
        group: &GroupId,
        instance: &str,
        tap: &str,
    ) -> Result<(), ActionError> {
        let Some(links) = &self.card_links else {
            tracing::info!(card = %instance, "Edit tapped, but no public URL is configured for forms");
            return Ok(());
        };
        let now = self.now();
        let widget = WidgetId::parse("channel").map_err(ActionError::Id)?;
        let token = links
            .tokens
            .issue_visitor_until(
                &contact.tenant,
                &contact.visitor,
                &widget,
                now.plus_seconds(LINK_SECONDS),
            )
            .map_err(ActionError::Token)?;
        let (_, edit, _) = button_words("en");
        let text = format!(
            "{edit}: {}/cards/{instance}/form#t={token}",
            links.public_url
        );
        let text = MessageText::parse(text).map_err(|e| {
            ActionError::Protocol(crate::protocol::ProtocolError::InvalidField {
                field: "text".into(),
                reason: e.to_string(),
            })
        })?;
        let client_id = ClientMessageId::parse(format!(
            "card-link.{}",
            hex_prefix(&sha256_parts(&[instance, tap]), 12)
        ))
        .map_err(ActionError::Id)?;
        let mut message = NewMessage::new(client_id, Author::System, Content::text(text), now);
        message.delivery = Some(Delivery::queued(now));
        let conversation = self.channel_conversation(contact, group).await?;
        let (conversation, appended) = self
            .lifecycle
            .append_or_reopen(conversation, message)
            .await?;
        hand_to_sender(&*links.outbound, &conversation, &appended.message).await?;
        if appended.duplicate {
            return Ok(());
        }
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Message {
                    message: appended.message,
                },
                Audience::everyone(),
            )
            .await
    }
}
