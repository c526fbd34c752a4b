//! Cards nobody answered in time (a WhatsApp Flow dismissed sends nothing):
//! the scheduled sweep ends them, so both sides see the card expired and
//! the operator can follow up. Ending one is a write conditioned on its
//! being open, so an answer racing the sweep still wins or loses whole.

use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{CardStore, Clock, ConversationStore};
use crate::usecases::notify::{Audience, Notifier};
use crate::views::{CardView, Event, Side};
use std::sync::Arc;

/// Cards ended per sweep; the next sweep (a minute later) takes the rest.
const SWEEP_PAGE: usize = 200;

#[derive(Clone)]
pub struct CardExpiry {
    pub cards: Arc<dyn CardStore>,
    pub conversations: Arc<dyn ConversationStore>,
    pub notifier: Notifier,
    pub clock: Arc<dyn Clock>,
}

impl CardExpiry {
    pub fn build(adapters: &dyn Adapters) -> Self {
        CardExpiry {
            cards: adapters.cards(),
            conversations: adapters.conversations(),
            notifier: Notifier::build(adapters),
            clock: adapters.clock(),
        }
    }

    /// Ends every card past its expiry; answers how many.
    ///
    /// # Errors
    /// The due cards could not be listed; one card's failure is logged and
    /// left for the next sweep.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self) -> Result<usize, ActionError> {
        let now = self.clock.now();
        let mut ended = 0;
        for due in self.cards.due_cards(now, SWEEP_PAGE).await? {
            match self.end(&due, now).await {
                Ok(true) => ended += 1,
                Ok(false) => {}
                Err(e) => tracing::error!(
                    tenant = %due.tenant, card = %due.id,
                    error = %crate::error::chain(&e), "expiring a card failed"
                ),
            }
        }
        Ok(ended)
    }

    async fn end(
        &self,
        due: &switchboard_domain::cards::CardInstance,
        now: switchboard_domain::Timestamp,
    ) -> Result<bool, ActionError> {
        let Some(card) = self.cards.expire_card(due, now).await? else {
            return Ok(false);
        };
        let Some(conversation) = self
            .conversations
            .conversation(&card.tenant, &card.conversation)
            .await?
        else {
            return Ok(true);
        };
        let view = Box::new(CardView::of(&card, now));
        self.notifier
            .push_to_participants(
                &conversation,
                &Event::Card { card: view.clone() },
                Audience::everyone(),
            )
            .await?;
        self.notifier
            .push_to_side(
                &conversation,
                Side::Operator,
                &Event::CardExpired { card: view },
                Audience::everyone(),
            )
            .await?;
        Ok(true)
    }
}
