//! The queue function's use case: tell a tenant's operators what changed in the
//! waiting queue and tell waiting visitors their place.
//!
//! Delivery is at least once and events may arrive late or out of order, so
//! nothing here trusts an event's `change`: the conversations it names are
//! re-read and their current state is what gets pushed. Handling the same
//! events twice pushes the same state twice.
//!
//! Each group has a queue of its own; a visitor's place is their place in it.
//! Changes are coalesced: all the events of one group in a batch cost one
//! read of its queue and one push per operator connection, and a waiting
//! visitor hears of their place only when it changes meaningfully (see
//! [`position_band`]), so a change near the front of a long queue does not
//! cost a push to everyone behind it.

use super::notify::{Audience, Notifier, Recipient};
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{ConversationStore, RoutingStore};
use crate::views::{Event, QueueEntry, QueueUpdate, QueueUpdated};
use std::sync::Arc;
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, ConversationStatus, GroupId, QueueEvent, Role,
    TenantId,
};

/// Places up to here are told exactly, on every change.
pub const EXACT_PLACES: usize = 10;
/// Beyond [`EXACT_PLACES`], the bands a place is told in grow by this factor,
/// so the place a visitor was last told is never more than 20% off.
const BAND_GROWTH: f64 = 1.2;

/// The band a place falls in: the place itself near the front, then bands
/// 20% wider each. A visitor is told their place when its band changes.
pub fn position_band(position: usize) -> usize {
    if position <= EXACT_PLACES {
        return position;
    }
    let ratio = position as f64 / EXACT_PLACES as f64;
    EXACT_PLACES + 1 + (ratio.ln() / BAND_GROWTH.ln()).floor() as usize
}

/// The `queue-fanout` function's use case.
#[derive(Clone)]
pub struct Fanout {
    pub conversations: Arc<dyn ConversationStore>,
    /// Who is in a named group (its queue is theirs and the admins' only).
    pub routing: Arc<dyn RoutingStore>,
    pub notifier: Notifier,
}

impl Fanout {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Fanout {
            conversations: adapters.conversations(),
            routing: adapters.routing(),
            notifier: Notifier::build(adapters),
        }
    }

    /// A batch of queue events: one fan-out per group queue in it.
    ///
    /// # Errors
    /// Per tenant and group, in the order of first appearance; the caller
    /// retries the events of a failed one.
    pub async fn fan_out(
        &self,
        events: &[QueueEvent],
    ) -> Vec<((TenantId, GroupId), Result<(), ActionError>)> {
        // The queues in order of first appearance, each with its distinct changes.
        let mut batches: Vec<((TenantId, GroupId), Vec<ConversationId>)> = Vec::new();
        for event in events {
            let at = match batches
                .iter()
                .position(|((t, g), _)| *t == event.tenant && *g == event.group)
            {
                Some(at) => at,
                None => {
                    batches.push(((event.tenant.clone(), event.group.clone()), Vec::new()));
                    batches.len() - 1
                }
            };
            let touched = &mut batches[at].1;
            if !touched.contains(&event.conversation) {
                touched.push(event.conversation.clone());
            }
        }
        let mut results = Vec::with_capacity(batches.len());
        for ((tenant, group), touched) in batches {
            let result = self.fan_out_group(&tenant, &group, &touched).await;
            results.push(((tenant, group), result));
        }
        results
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, group = %group, changes = touched.len()))]
    async fn fan_out_group(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
    ) -> Result<(), ActionError> {
        let queue = self
            .conversations
            .waiting_queue(tenant, group, touched)
            .await?;
        let entries: Vec<QueueEntry> = queue
            .waiting
            .iter()
            .enumerate()
            .map(|(i, c)| QueueEntry {
                conversation: c.clone(),
                position: i + 1,
            })
            .collect();
        let changes: Vec<QueueUpdated> = touched
            .iter()
            .map(
                |id| match entries.iter().find(|e| &e.conversation.id == id) {
                    Some(entry) => QueueUpdated {
                        change: QueueUpdate::Added,
                        conversation_id: id.clone(),
                        entry: Some(entry.clone()),
                    },
                    None => QueueUpdated {
                        change: QueueUpdate::Removed,
                        conversation_id: id.clone(),
                        entry: None,
                    },
                },
            )
            .collect();
        let update = Event::QueueUpdated {
            group_id: group.clone(),
            changes,
            queue_length: entries.len(),
        };
        // The default group's queue is every operator's; a named group's is
        // its members' and the admins'.
        let watchers: Vec<ConnectionId> = if group.is_default() {
            queue.operators.clone()
        } else {
            let snapshot = self.routing.routing(tenant).await?;
            let named = snapshot.group(group).cloned();
            snapshot
                .operators
                .into_iter()
                .filter(|o| {
                    o.operator.roles.contains(&Role::Admin)
                        || named.as_ref().is_some_and(|g| g.includes(&o.operator.id))
                })
                .flat_map(|o| o.connections)
                .filter(|c| queue.operators.contains(c))
                .collect()
        };
        self.notifier
            .push_many(
                tenant,
                None,
                watchers.iter().map(Recipient::operator),
                &update,
                Audience::everyone(),
            )
            .await?;

        let left: Vec<&Conversation> = queue
            .touched
            .iter()
            .filter(|c| c.status != ConversationStatus::Waiting)
            .collect();
        for entry in &entries {
            let conversation = &entry.conversation;
            let entered = touched.contains(&conversation.id);
            // Where this visitor stood before these changes: everyone who left
            // from ahead of them moved them forward.
            let key = (conversation.enqueued_at, &conversation.id);
            let before =
                entry.position + left.iter().filter(|c| (c.enqueued_at, &c.id) < key).count();
            if !entered && position_band(before) == position_band(entry.position) {
                continue;
            }
            let event = Event::QueuePosition {
                conversation_id: conversation.id.clone(),
                position: entry.position,
            };
            self.notifier
                .push_to_participants(conversation, &event, Audience::everyone())
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_exact_near_the_front_and_at_most_20_percent_wide_behind() {
        for p in 1..=EXACT_PLACES {
            assert_eq!(position_band(p), p);
        }
        assert!(position_band(11) > position_band(10));
        // Everyone in one band is within 20% of its first place.
        let mut first_of_band = 11;
        for p in 12..5000 {
            if position_band(p) != position_band(p - 1) {
                first_of_band = p;
            }
            assert!((p as f64) < first_of_band as f64 * BAND_GROWTH + 1.0, "{p}");
        }
        // A queue of 1,000 has few bands: a move by one crosses few edges.
        assert!(position_band(1000) < 40);
    }
}
