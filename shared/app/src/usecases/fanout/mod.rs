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
//!
//! Entering conversations get their place from the SLA rules ([`sla`]);
//! visitors are told their estimated wait with their place ([`estimates`]).

mod estimates;
mod sla;

use super::notify::{Audience, Notifier, Recipient};
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{
    Clock, ConversationStore, RoutingSnapshot, RoutingStore, StoreError, WaitingQueue,
};
use crate::views::{Event, QueueEntry, QueueUpdate, QueueUpdated};
use estimates::Estimator;
use std::sync::Arc;
use switchboard_domain::queue::queue_order;
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, ConversationStatus, GroupId, QueueChange,
    QueueEvent, Role, TenantId,
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
    /// Who is in a group, their load, the SLA rules and handling times.
    pub routing: Arc<dyn RoutingStore>,
    pub notifier: Notifier,
    pub clock: Arc<dyn Clock>,
    /// Clients' tags, for SLA rules that look at them.
    pub contacts: Arc<dyn crate::ports::ContactStore>,
}

/// What one batch asks of one tenant.
#[derive(Default)]
struct TenantWork {
    /// Each group queue that changed, with the conversations that did.
    groups: Vec<(GroupId, Vec<ConversationId>)>,
    /// Whether its operators' capacity changed.
    capacity: bool,
}

impl Fanout {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Fanout {
            conversations: adapters.conversations(),
            routing: adapters.routing(),
            notifier: Notifier::build(adapters),
            clock: adapters.clock(),
            contacts: adapters.contacts(),
        }
    }

    /// A batch of queue events: one routing read per tenant, one fan-out
    /// per group queue in it, and for a capacity change a look at every
    /// group's estimates.
    ///
    /// # Errors
    /// Per tenant and group, in the order of first appearance (a capacity
    /// change's under the default group); the caller retries the events of
    /// a failed one.
    pub async fn fan_out(
        &self,
        events: &[QueueEvent],
    ) -> Vec<((TenantId, GroupId), Result<(), ActionError>)> {
        let mut tenants: Vec<(TenantId, TenantWork)> = Vec::new();
        for event in events {
            let at = match tenants.iter().position(|(t, _)| *t == event.tenant) {
                Some(at) => at,
                None => {
                    tenants.push((event.tenant.clone(), TenantWork::default()));
                    tenants.len() - 1
                }
            };
            let work = &mut tenants[at].1;
            let Some(conversation) = &event.conversation else {
                work.capacity |= event.change == QueueChange::Capacity;
                continue;
            };
            let at = match work.groups.iter().position(|(g, _)| *g == event.group) {
                Some(at) => at,
                None => {
                    work.groups.push((event.group.clone(), Vec::new()));
                    work.groups.len() - 1
                }
            };
            let touched = &mut work.groups[at].1;
            if !touched.contains(conversation) {
                touched.push(conversation.clone());
            }
        }
        let mut results = Vec::new();
        for (tenant, work) in tenants {
            let snapshot = match self.routing.routing(&tenant).await {
                Ok(s) => s,
                Err(e) => {
                    // One read failed for all of the tenant's queues.
                    let why = format!("routing read: {}", crate::error::chain(&e));
                    let failed = |g: &GroupId| {
                        let e = StoreError::backend_says(why.clone());
                        ((tenant.clone(), g.clone()), Err(e.into()))
                    };
                    results.extend(work.groups.iter().map(|(g, _)| failed(g)));
                    if work.capacity {
                        results.push(failed(&GroupId::default_group()));
                    }
                    continue;
                }
            };
            for (group, touched) in work.groups {
                let result = self
                    .fan_out_group(&tenant, &group, &touched, &snapshot)
                    .await;
                results.push(((tenant.clone(), group), result));
            }
            if work.capacity {
                let result = self.capacity_changed(&tenant, &snapshot).await;
                results.push(((tenant, GroupId::default_group()), result));
            }
        }
        results
    }

    #[tracing::instrument(skip_all, fields(tenant = %tenant, group = %group, changes = touched.len()))]
    async fn fan_out_group(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
        snapshot: &RoutingSnapshot,
    ) -> Result<(), ActionError> {
        let mut queue = self
            .conversations
            .waiting_queue(tenant, group, touched)
            .await?;
        self.classify_entering(&mut queue, group, snapshot).await?;
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
        let watchers = queue_watchers(&queue, group, snapshot);
        self.notifier
            .push_many(
                tenant,
                None,
                watchers.iter().map(Recipient::operator),
                &update,
                Audience::everyone(),
            )
            .await?;

        let estimate = Estimator::new(snapshot, group, self.clock.now());
        let left: Vec<&Conversation> = queue
            .touched
            .iter()
            .filter(|c| c.status != ConversationStatus::Waiting)
            .collect();
        for (i, entry) in entries.iter().enumerate() {
            let conversation = &entry.conversation;
            let entered = touched.contains(&conversation.id);
            // Where this visitor stood before these changes: everyone who left
            // from ahead of them moved them forward, everyone who entered
            // ahead of them (an SLA puts some ahead) moved them back.
            let left_ahead = left
                .iter()
                .filter(|c| queue_order(c, conversation).is_lt())
                .count();
            let entered_ahead = entries[..i]
                .iter()
                .filter(|e| touched.contains(&e.conversation.id))
                .count();
            let before = (entry.position + left_ahead).saturating_sub(entered_ahead);
            if !entered && position_band(before) == position_band(entry.position) {
                continue;
            }
            self.tell_place(conversation, entry.position, estimate.now(entry.position))
                .await?;
        }
        Ok(())
    }

    pub(super) async fn tell_place(
        &self,
        conversation: &Conversation,
        position: usize,
        estimated_wait_seconds: Option<u64>,
    ) -> Result<(), ActionError> {
        let event = Event::QueuePosition {
            conversation_id: conversation.id.clone(),
            position,
            estimated_wait_seconds,
        };
        self.notifier
            .push_to_participants(conversation, &event, Audience::everyone())
            .await
    }
}

/// The default group's queue is every operator's; a named group's is its
/// members' and the admins'.
fn queue_watchers(
    queue: &WaitingQueue,
    group: &GroupId,
    snapshot: &RoutingSnapshot,
) -> Vec<ConnectionId> {
    if group.is_default() {
        return queue.operators.clone();
    }
    let named = snapshot.group(group);
    snapshot
        .operators
        .iter()
        .filter(|o| {
            o.operator.roles.contains(&Role::Admin)
                || named.is_some_and(|g| g.includes(&o.operator.id))
        })
        .flat_map(|o| o.connections.iter().cloned())
        .filter(|c| queue.operators.contains(c))
        .collect()
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
