//! Defining cards (admins, also from a conversation) and finding them:
//! `card.put`, `card.list` and `card.preview`.

use crate::error::ActionError;
use crate::protocol::{ListCards, PreviewCard, PutCard};
use crate::usecases::frames::Frames;
use crate::usecases::notify::Caller;
use crate::views::{CardView, Event};
use switchboard_domain::cards::{CardChannel, CardDefinition, CardInstance};
use switchboard_domain::{ConversationId, Role};

/// `de` lists German cards for a client whose language is `de-AT`, and an
/// `de-AT` card is listed for `de-AT` and `de-AT-x` but not for `de`.
fn language_fits(card: &str, client: &str) -> bool {
    let (card, client) = (card.to_ascii_lowercase(), client.to_ascii_lowercase());
    client == card
        || client
            .strip_prefix(&card)
            .is_some_and(|rest| rest.starts_with(['-', '_']))
}

impl Frames {
    pub(crate) async fn put_card(
        &self,
        caller: &Caller,
        action: PutCard,
    ) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if !roles.contains(&Role::Admin) {
            return Err(ActionError::Forbidden("tenant admins"));
        }
        let draft = action.card;
        let id = match draft.id {
            Some(id) => id,
            None => self.lifecycle.ids.new_id("card"),
        };
        let card = CardDefinition {
            id,
            tenant: caller.tenant().clone(),
            name: draft.name,
            language: draft.language,
            channel: draft.channel,
            title: draft.title,
            text: draft.text,
            image_url: draft.image_url,
            fields: draft.fields,
            confirm_label: draft.confirm_label,
            cancel_label: draft.cancel_label,
            whatsapp_flow_id: draft.whatsapp_flow_id,
            expires_after_seconds: draft
                .expires_after_seconds
                .unwrap_or(CardDefinition::DEFAULT_EXPIRY_SECONDS),
            updated_at: self.now(),
        };
        // The id goes into storage keys and client message ids.
        if switchboard_domain::ClientMessageId::parse(format!("card-outcome:{}", card.id)).is_err()
            || card.id.len() > 64
        {
            return Err(ActionError::InvalidCard(
                switchboard_domain::cards::CardDefinitionError {
                    field: "id".into(),
                    reason: "1 to 64 of letters, digits, '-', '_', '.'".into(),
                },
            ));
        }
        card.validate().map_err(ActionError::InvalidCard)?;
        self.cards.put_card(&card).await?;
        self.notifier
            .reply(
                caller,
                &Event::CardSaved {
                    card: Box::new(card),
                },
            )
            .await
    }

    pub(crate) async fn list_cards(
        &self,
        caller: &Caller,
        action: ListCards,
    ) -> Result<(), ActionError> {
        caller.operator()?;
        let (channel, client_language) = match &action.conversation_id {
            Some(id) => {
                let conversation = self.conversation_for(caller, Some(id)).await?;
                let channel =
                    CardChannel::of(conversation.channel).ok_or(ActionError::CardsUnavailable)?;
                (Some(channel), Some(conversation.entry.language))
            }
            None => (action.channel, None),
        };
        let language = action.language.or(client_language);
        let cards = self
            .cards
            .cards(caller.tenant())
            .await?
            .into_iter()
            .filter(|c| channel.is_none_or(|ch| c.channel == ch))
            .filter(|c| {
                language
                    .as_deref()
                    .is_none_or(|l| language_fits(&c.language, l))
            })
            .collect();
        self.notifier
            .reply(
                caller,
                &Event::Cards {
                    channel,
                    language,
                    cards,
                },
            )
            .await
    }

    pub(crate) async fn preview_card(
        &self,
        caller: &Caller,
        action: PreviewCard,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let card = self
            .cards
            .card(caller.tenant(), &action.card_id)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        let (language, contact) = match &action.conversation_id {
            Some(id) => {
                let conversation = self.conversation_for(caller, Some(id)).await?;
                let contact = match conversation.channel {
                    switchboard_domain::Channel::WebChat => None,
                    _ => {
                        self.contacts
                            .contact(&conversation.tenant, &conversation.visitor)
                            .await?
                    }
                };
                (conversation.entry.language, contact)
            }
            None => (card.language.clone(), None),
        };
        let conversation = action
            .conversation_id
            .clone()
            .map_or_else(|| ConversationId::parse("preview"), Ok)
            .map_err(ActionError::Id)?;
        let instance = CardInstance::new(
            "preview".into(),
            conversation,
            card,
            &action.values,
            me.clone(),
            language,
            self.now(),
        )
        .map_err(ActionError::CardValue)?;
        let view = CardView::of(&instance, self.now());
        self.notifier
            .reply(
                caller,
                &Event::CardPreview {
                    card: Box::new(view),
                    payload: super::render::payload(&instance, contact.as_ref()),
                },
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_language_fits_its_regional_variants() {
        assert!(super::language_fits("de", "de-AT"));
        assert!(super::language_fits("DE", "de"));
        assert!(!super::language_fits("de-AT", "de"));
        assert!(!super::language_fits("de", "den"));
    }
}
