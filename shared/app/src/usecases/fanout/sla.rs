//! Where an entering conversation goes in its queue: the tenant's SLA rules,
//! read with the fan-out's routing snapshot, decide its priority and deadline.

use super::Fanout;
use crate::error::ActionError;
use crate::ports::{RoutingSnapshot, WaitingQueue};
use switchboard_domain::queue::queue_order;
use switchboard_domain::sla::{self, SlaSubject};
use switchboard_domain::{Conversation, ConversationStatus, GroupId};

impl Fanout {
    /// Gives the conversations that just entered this queue their SLA, and
    /// puts them in their place. Deterministic, so a redelivered event
    /// decides the same; one that moved on meanwhile is left alone.
    pub(super) async fn classify_entering(
        &self,
        queue: &mut WaitingQueue,
        group: &GroupId,
        snapshot: &RoutingSnapshot,
    ) -> Result<(), ActionError> {
        if snapshot.sla_rules.is_empty() {
            return Ok(());
        }
        let mut moved = false;
        for c in &queue.touched {
            let unplaced = c.status == ConversationStatus::Waiting
                && &c.group == group
                && c.pending_transfer.is_none()
                && c.sla.is_none();
            if !unplaced {
                continue;
            }
            let Some(sla) = sla::evaluate(&snapshot.sla_rules, &sla_subject(c), c.enqueued_at)
            else {
                continue;
            };
            if self.conversations.set_sla(c, &sla).await? {
                if let Some(w) = queue.waiting.iter_mut().find(|w| w.id == c.id) {
                    w.sla = Some(sla);
                    moved = true;
                }
            }
        }
        if moved {
            queue.waiting.sort_by(queue_order);
        }
        Ok(())
    }
}

fn sla_subject(c: &Conversation) -> SlaSubject<'_> {
    SlaSubject {
        channel: c.channel,
        entry_type: c.entry.entry_type,
        language: &c.entry.language,
        group: &c.group,
        // Contacts carry no tags yet; a rule on a tag matches none.
        contact_tags: &[],
    }
}
