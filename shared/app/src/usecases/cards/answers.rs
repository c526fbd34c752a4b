//! A card's answer, from whichever side and path it comes: the client's
//! widget (the hero-card-submit function, over HTTP with its visitor
//! token), a channel reply (forwarded over the bus), or the operator's
//! console. The store lets exactly one answer win; the winner writes the
//! outcome line into the chat once (its client message id is the card's),
//! and only a line newly written is pushed, so a redelivered answer
//! notifies nobody twice.

use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{
    CardStore, CardStoreError, Clock, ConversationStore, MessageStore, OutboundBus,
};
use crate::usecases::lifecycle::hand_to_sender;
use crate::usecases::notify::{Audience, Caller, Notifier};
use crate::views::{CardView, Event, Side};
use std::sync::Arc;
use switchboard_domain::cards::{
    CardAnswer, CardError, CardInstance, CardSide, CardState, CardValues,
};
use switchboard_domain::{
    Author, CardOutcome, Channel, ClientMessageId, Content, Conversation, ConversationStatus,
    Delivery, NewMessage, OperatorId, SystemLine, TenantId, VisitorId,
};

/// Who is answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answerer {
    Client(VisitorId),
    Operator(OperatorId),
}

/// Applies answers to sent cards (the `hero-card-submit` function's use
/// case; the console's `card.resolve` uses it too).
#[derive(Clone)]
pub struct CardAnswers {
    pub cards: Arc<dyn CardStore>,
    /// The card's conversation: who may answer, and where the line goes.
    pub conversations: Arc<dyn ConversationStore>,
    pub messages: Arc<dyn MessageStore>,
    pub clock: Arc<dyn Clock>,
    pub notifier: Notifier,
    /// In a channel conversation the outcome line is sent to the client too.
    pub outbound: Arc<dyn OutboundBus>,
}

impl CardAnswers {
    pub fn build(adapters: &dyn Adapters) -> Self {
        CardAnswers {
            cards: adapters.cards(),
            conversations: adapters.conversations(),
            messages: adapters.messages(),
            clock: adapters.clock(),
            notifier: Notifier::build(adapters),
            outbound: adapters.outbound_bus(),
        }
    }

    /// Applies one answer and tells both sides.
    ///
    /// # Errors
    /// `CardNotFound` (also another client's card), `NotYours`,
    /// `ConversationClosed`, `CardAnswered` (the winner named),
    /// `CardExpired`, `CardValue`; store, bus and push failures.
    pub async fn answer(
        &self,
        tenant: &TenantId,
        instance_id: &str,
        who: &Answerer,
        outcome: CardOutcome,
        values: CardValues,
    ) -> Result<CardInstance, ActionError> {
        self.apply(tenant, instance_id, who, outcome, values, None)
            .await
    }

    /// A sent card as its client sees it (the form page reads it).
    ///
    /// # Errors
    /// `CardNotFound`, also for another client's card.
    pub async fn view_for_client(
        &self,
        tenant: &TenantId,
        instance_id: &str,
        visitor: &VisitorId,
    ) -> Result<CardView, ActionError> {
        let card = self
            .cards
            .instance(tenant, instance_id)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        let conversation = self
            .conversations
            .conversation(tenant, &card.conversation)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        if &conversation.visitor != visitor {
            return Err(ActionError::CardNotFound);
        }
        Ok(CardView::of(&card, self.clock.now()))
    }

    /// [`answer`](Self::answer) from a console, whose events carry the
    /// request id.
    #[tracing::instrument(skip_all, fields(tenant = %tenant, card = %instance_id))]
    pub(crate) async fn apply(
        &self,
        tenant: &TenantId,
        instance_id: &str,
        who: &Answerer,
        outcome: CardOutcome,
        values: CardValues,
        caller: Option<&Caller>,
    ) -> Result<CardInstance, ActionError> {
        let seen = self
            .cards
            .instance(tenant, instance_id)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        let conversation = self
            .conversations
            .conversation(tenant, &seen.conversation)
            .await?
            .ok_or(ActionError::CardNotFound)?;
        let by = match who {
            Answerer::Client(v) if *v == conversation.visitor => CardSide::Client,
            // Another client's card does not exist for this one.
            Answerer::Client(_) => return Err(ActionError::CardNotFound),
            Answerer::Operator(op)
                if conversation.status == ConversationStatus::Active
                    && conversation.operator.as_ref() == Some(op) =>
            {
                CardSide::Operator
            }
            Answerer::Operator(_) => return Err(ActionError::NotYours),
        };
        if conversation.status == ConversationStatus::Closed {
            return Err(ActionError::ConversationClosed);
        }
        let answer = CardAnswer {
            outcome,
            by,
            values,
            at: self.clock.now(),
        };
        match self.cards.answer_card(&seen, &answer).await {
            Ok(card) => {
                self.record(conversation, &card, caller).await?;
                Ok(card)
            }
            Err(e @ CardStoreError::Card(CardError::Expired))
                if by == CardSide::Client && conversation.channel != Channel::WebChat =>
            {
                self.tell_channel_client(
                    &conversation,
                    &seen,
                    "expired",
                    expired_line(&seen.language),
                )
                .await?;
                Err(e.into())
            }
            Err(e @ CardStoreError::Card(CardError::AlreadyResolved { .. })) => {
                // The winner's line may be missing if its writer stopped
                // between the two writes: writing it is idempotent.
                if let Some(winner) = self.cards.instance(tenant, instance_id).await? {
                    let conversation = self.record(conversation, &winner, None).await?;
                    if by == CardSide::Client {
                        self.tell_late_client(conversation, &winner, outcome)
                            .await?;
                    }
                }
                Err(e.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A channel client answered a card someone had answered differently
    /// before (its widget hears 409; its WhatsApp or Apple chat hears this).
    /// A repeat of the winning answer itself says nothing.
    async fn tell_late_client(
        &self,
        conversation: Conversation,
        winner: &CardInstance,
        outcome: CardOutcome,
    ) -> Result<(), ActionError> {
        let CardState::Resolved {
            outcome: won, by, ..
        } = winner.state
        else {
            return Ok(());
        };
        if conversation.channel == Channel::WebChat || (won == outcome && by == CardSide::Client) {
            return Ok(());
        }
        let text = winner.outcome_line().unwrap_or_default();
        let kind = match outcome {
            CardOutcome::Confirmed => "late-confirm",
            CardOutcome::Cancelled => "late-cancel",
        };
        self.tell_channel_client(&conversation, winner, kind, text)
            .await
    }

    /// A line to a channel client about their card (answered already,
    /// expired), once per card and `kind`.
    async fn tell_channel_client(
        &self,
        conversation: &Conversation,
        card: &CardInstance,
        kind: &str,
        text: String,
    ) -> Result<(), ActionError> {
        let Ok(text) =
            switchboard_domain::MessageText::parse(format!("{}: {text}", card.card.title))
        else {
            return Ok(());
        };
        let client_id =
            ClientMessageId::parse(format!("card-{kind}:{}", card.id)).map_err(ActionError::Id)?;
        let now = self.clock.now();
        let mut message = NewMessage::new(client_id, Author::System, Content::text(text), now);
        message.delivery = Some(Delivery::queued(now));
        let appended = self.messages.append_message(conversation, message).await?;
        hand_to_sender(&*self.outbound, conversation, &appended.message).await?;
        if !appended.duplicate {
            self.notifier
                .push_to_participants(
                    conversation,
                    &Event::Message {
                        message: appended.message,
                    },
                    Audience::everyone(),
                )
                .await?;
        }
        Ok(())
    }

    /// The outcome line, once, and both sides told of it; answers the
    /// conversation as it stands after the line.
    async fn record(
        &self,
        mut conversation: Conversation,
        card: &CardInstance,
        caller: Option<&Caller>,
    ) -> Result<Conversation, ActionError> {
        let CardState::Resolved { outcome, by, at } = card.state else {
            return Ok(conversation);
        };
        let line = Content::System {
            event: SystemLine::CardOutcome {
                instance: card.id.clone(),
                definition: card.card.id.clone(),
                outcome,
                by,
                text: card.outcome_line().unwrap_or_default(),
            },
        };
        let client_id =
            ClientMessageId::parse(format!("card-outcome:{}", card.id)).map_err(ActionError::Id)?;
        let mut message = NewMessage::new(client_id, Author::System, line, at);
        // A channel client reads the line in its own app: it goes out too.
        if conversation.channel != Channel::WebChat {
            message.delivery = Some(Delivery::queued(at));
        }
        let appended = self.messages.append_message(&conversation, message).await?;
        // Handed to the sender again on a repeat whose first hand-over may
        // have been lost; the sender sends a message at most once.
        hand_to_sender(&*self.outbound, &conversation, &appended.message).await?;
        conversation.last_seq = conversation.last_seq.max(appended.message.seq);
        if appended.duplicate {
            return Ok(conversation);
        }
        let audience = || caller.map_or_else(Audience::everyone, Audience::answering);
        let view = Box::new(CardView::of(card, self.clock.now()));
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Message {
                    message: appended.message,
                },
                Audience::everyone(),
            )
            .await?;
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Card { card: view.clone() },
                audience(),
            )
            .await?;
        self.notifier
            .push_to_side(
                &conversation,
                Side::Operator,
                &Event::CardAnswered {
                    card: view,
                    outcome,
                    by,
                    sound: by == CardSide::Client,
                },
                Audience::everyone(),
            )
            .await?;
        Ok(conversation)
    }
}

/// What an expired card's client is told, in the conversation's language.
fn expired_line(language: &str) -> String {
    match language
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "de" => "Dieses Formular ist abgelaufen.",
        "fr" => "Ce formulaire a expiré.",
        "es" => "Este formulario ha caducado.",
        "it" => "Questo modulo è scaduto.",
        "ru" => "Срок действия формы истёк.",
        _ => "This form has expired.",
    }
    .to_string()
}
