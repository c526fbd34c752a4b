//! Where an entering conversation goes in its queue: the tenant's SLA rules,
//! read with the fan-out's routing snapshot, decide its priority and deadline.

use super::Fanout;
use crate::error::ActionError;
use crate::ports::{RoutingSnapshot, WaitingQueue};
use std::collections::HashMap;
use switchboard_domain::queue::queue_order;
use switchboard_domain::sla::{self, SlaSubject};
use switchboard_domain::{Conversation, ConversationStatus, GroupId, VisitorId};

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
        let unplaced: Vec<&Conversation> = queue
            .touched
            .iter()
            .filter(|c| {
                c.status == ConversationStatus::Waiting
                    && &c.group == group
                    && c.pending_transfer.is_none()
                    && c.sla.is_none()
            })
            .collect();
        if unplaced.is_empty() {
            return Ok(());
        }
        // Clients' tags are read only when a rule looks at them.
        let tags = if snapshot
            .sla_rules
            .iter()
            .any(|r| r.when.contact_tag.is_some())
        {
            // A merged client's tags are the contact's they were merged into.
            let visitors: Vec<VisitorId> = unplaced.iter().map(|c| c.client_id().clone()).collect();
            self.contacts
                .client_tags(&unplaced[0].tenant, &visitors)
                .await?
        } else {
            HashMap::new()
        };
        let mut moved = false;
        for c in unplaced {
            let client_tags = tags.get(c.client_id()).map_or(&[][..], Vec::as_slice);
            let Some(sla) = sla::evaluate(
                &snapshot.sla_rules,
                &sla_subject(c, client_tags),
                c.enqueued_at,
            ) else {
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

fn sla_subject<'a>(c: &'a Conversation, client_tags: &'a [String]) -> SlaSubject<'a> {
    SlaSubject {
        channel: c.channel,
        entry_type: c.entry.entry_type,
        language: &c.entry.language,
        group: &c.group,
        contact_tags: client_tags,
    }
}
