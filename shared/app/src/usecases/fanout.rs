//! The queue function's use case: tell a tenant's operators what changed in the
//! waiting queue and tell waiting visitors their place.
//!
//! Delivery is at least once and events may arrive late, so nothing here trusts
//! the event's `change`: the conversation is re-read and its current state is
//! what gets pushed. Handling the same event twice pushes the same state twice.

use super::notify::{Audience, Notifier};
use super::operator::queue_entries;
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{ConversationStore, PrincipalRef};
use crate::views::{Event, QueueUpdate};
use std::sync::Arc;
use switchboard_domain::{ConversationStatus, QueueEvent};

/// The `queue-fanout` function's use case.
#[derive(Clone)]
pub struct Fanout {
    pub conversations: Arc<dyn ConversationStore>,
    pub notifier: Notifier,
}

impl Fanout {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Fanout {
            conversations: adapters.conversations(),
            notifier: Notifier::build(adapters),
        }
    }

    #[tracing::instrument(skip_all, fields(tenant = %event.tenant, conversation = %event.conversation))]
    pub async fn fan_out(&self, event: &QueueEvent) -> Result<(), ActionError> {
        let tenant = &event.tenant;
        let queue = queue_entries(self.conversations.as_ref(), tenant).await?;
        let current = self
            .conversations
            .conversation(tenant, &event.conversation)
            .await?;
        let waiting_now = current
            .as_ref()
            .is_some_and(|c| c.status == ConversationStatus::Waiting);
        let entry = queue
            .iter()
            .find(|e| e.conversation.id == event.conversation)
            .cloned();
        let update = Event::QueueUpdated {
            change: if waiting_now {
                QueueUpdate::Added
            } else {
                QueueUpdate::Removed
            },
            conversation_id: event.conversation.clone(),
            entry: if waiting_now { entry } else { None },
            queue_length: queue.len(),
        };
        let operators = self
            .notifier
            .connections()
            .operator_connections(tenant, self.notifier.clock.now())
            .await?;
        self.notifier
            .push_all(&operators, &update, Audience::everyone())
            .await?;

        // Joining the end moves nobody else; leaving moves everyone behind.
        let moved: Vec<_> = if waiting_now {
            queue
                .iter()
                .filter(|e| e.conversation.id == event.conversation)
                .collect()
        } else {
            queue.iter().collect()
        };
        for entry in moved {
            let position = Event::QueuePosition {
                conversation_id: entry.conversation.id.clone(),
                position: entry.position,
            };
            self.notifier
                .push_to(
                    tenant,
                    &PrincipalRef::Visitor(entry.conversation.visitor.clone()),
                    &position,
                    Audience::everyone(),
                )
                .await?;
        }
        Ok(())
    }
}
