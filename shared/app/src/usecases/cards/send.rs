//! Sending a card into a conversation (`card.send`), the operator's own
//! confirm or cancel (`card.resolve`), and reading a sent card
//! (`card.get`).

use super::answers::Answerer;
use crate::error::ActionError;
use crate::ports::Principal;
use crate::protocol::{CardRef, ResolveCard, SendCard};
use crate::usecases::frames::Frames;
use crate::usecases::notify::{Audience, Caller};
use crate::views::{CardView, Event};
use switchboard_domain::cards::{CardChannel, CardInstance, CardValues};
use switchboard_domain::{Author, Card, Content, ConversationStatus, Delivery, NewMessage};

impl Frames {
    pub(crate) async fn send_card(
        &self,
        caller: &Caller,
        action: SendCard,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let conversation = self
            .conversation_for(caller, Some(&action.conversation_id))
            .await?;
        match (conversation.status, &conversation.operator) {
            (ConversationStatus::Active, Some(op)) if op == me => {}
            (ConversationStatus::Active, _) => return Err(ActionError::NotYours),
            (status, _) => return Err(ActionError::NotActive(status.as_str())),
        }
        let channel = CardChannel::of(conversation.channel).ok_or(ActionError::CardsUnavailable)?;
        if channel != CardChannel::Webchat {
            self.check_channel_window(&conversation).await?;
        }
        let card = self
            .cards
            .card(caller.tenant(), &action.card_id)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        if card.channel != channel {
            return Err(crate::protocol::ProtocolError::InvalidField {
                field: "cardId".into(),
                reason: format!(
                    "is a {} card; this conversation shows {} cards",
                    card.channel.as_str(),
                    channel.as_str()
                ),
            }
            .into());
        }
        let now = self.now();
        // The same send retried is the same card.
        let id = format!(
            "ci_{}",
            crate::digest::hex_prefix(
                &crate::digest::sha256_parts(&[
                    caller.tenant().as_str(),
                    conversation.id.as_str(),
                    action.client_message_id.as_str(),
                ]),
                12,
            )
        );
        let instance = CardInstance::new(
            id,
            conversation.id.clone(),
            card,
            &action.values,
            me.clone(),
            conversation.entry.language.clone(),
            now,
        )
        .map_err(ActionError::CardValue)?;
        let instance = self.cards.put_instance(&instance).await?;
        let content = Content::Card {
            card: Card {
                instance: instance.id.clone(),
                definition: instance.card.id.clone(),
                title: instance.card.title.clone(),
                fields: instance.prefills.clone().into_iter().collect(),
            },
        };
        let mut message = NewMessage::new(
            action.client_message_id,
            Author::Operator(me.clone()),
            content,
            now,
        );
        if channel != CardChannel::Webchat {
            message.delivery = Some(Delivery::queued(now));
        }
        let (conversation, appended) = self
            .lifecycle
            .append_or_reopen(conversation, message)
            .await?;
        if !self.deliver_sent(caller, &conversation, appended).await? {
            return Ok(());
        }
        let view = CardView::of(&instance, now);
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Card {
                    card: Box::new(view),
                },
                Audience::everyone(),
            )
            .await
    }

    pub(crate) async fn resolve_card(
        &self,
        caller: &Caller,
        action: ResolveCard,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        self.card_answers
            .apply(
                caller.tenant(),
                &action.instance_id,
                &Answerer::Operator(me.clone()),
                action.outcome,
                CardValues::new(),
                Some(caller),
            )
            .await
            .map(|_| ())
    }

    pub(crate) async fn get_card(
        &self,
        caller: &Caller,
        action: CardRef,
    ) -> Result<(), ActionError> {
        let card = self
            .cards
            .instance(caller.tenant(), &action.instance_id)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        // Whoever may see its conversation may see the card.
        let conversation = match self
            .conversation_for(caller, Some(&card.conversation))
            .await
        {
            Ok(c) => c,
            Err(ActionError::ConversationNotFound) => return Err(ActionError::CardNotFound),
            Err(e) => return Err(e),
        };
        if let Principal::Operator { id, roles, .. } = &caller.connection.principal {
            if !self.may_open(id, roles, &conversation).await? {
                return Err(ActionError::CardNotFound);
            }
        }
        self.notifier
            .reply(
                caller,
                &Event::Card {
                    card: Box::new(CardView::of(&card, self.now())),
                },
            )
            .await
    }
}
