//! The waiting queues: conversations in `Waiting`, by SLA priority, deadline
//! and arrival.

use crate::conversation::Conversation;
use crate::ids::{ConversationId, GroupId, TenantId};
use crate::sla::Priority;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QueueChange {
    Entered,
    Left,
    /// What the tenant's online operators can take changed (someone came
    /// online or went, or the capacity): the wait estimates may have moved.
    Capacity,
}

/// Published whenever a conversation enters or leaves a tenant's waiting
/// queue, or its operators' capacity changes. Consumers re-read what it
/// names, so a stale or repeated event is harmless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueEvent {
    pub tenant: TenantId,
    /// The conversation that entered or left; None for `Capacity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationId>,
    /// The queue it entered or left (events from before groups: the
    /// default); the default for `Capacity`, which is about every group.
    #[serde(default)]
    pub group: GroupId,
    pub change: QueueChange,
    pub at: Timestamp,
}

/// Where a waiting conversation stands: by priority, then deadline (none
/// last), then arrival, the id breaking ties so the order is total.
pub fn queue_order(a: &Conversation, b: &Conversation) -> std::cmp::Ordering {
    order_parts(a).cmp(&order_parts(b))
}

fn order_parts(c: &Conversation) -> (u8, u64, u64, &str) {
    let sla = c.sla.as_ref();
    (
        sla.map_or(Priority::default(), |s| s.priority).rank(),
        sla.and_then(|s| s.deadline)
            .map_or(NO_DEADLINE, Timestamp::millis),
        c.enqueued_at.millis(),
        c.id.as_str(),
    )
}

/// Sorts after every real deadline (15 digits of milliseconds).
const NO_DEADLINE: u64 = 999_999_999_999_999;

/// [`queue_order`] as a string that sorts the same way byte by byte: what
/// an index orders a queue by.
pub fn queue_key(c: &Conversation) -> String {
    let (rank, deadline, enqueued, id) = order_parts(c);
    format!("{rank}#{deadline:015}#{enqueued:015}#{id}")
}

/// 1-based place of each waiting conversation, given the queue in order.
pub fn positions(waiting_in_order: &[Conversation]) -> Vec<(ConversationId, usize)> {
    waiting_in_order
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::tests::entry;
    use crate::{Channel, EntryType, VisitorId};

    fn waiting(id: &str, at: u64) -> Conversation {
        Conversation::start(
            ConversationId::parse(id).unwrap(),
            TenantId::parse("t").unwrap(),
            VisitorId::parse("v").unwrap(),
            Channel::WebChat,
            entry(EntryType::Chat),
            Timestamp(at),
        )
    }

    #[test]
    fn oldest_first_with_id_tiebreak() {
        let mut q = vec![waiting("b", 5), waiting("c", 1), waiting("a", 5)];
        q.sort_by(queue_order);
        let ids: Vec<_> = positions(&q)
            .into_iter()
            .map(|(id, p)| (id.to_string(), p))
            .collect();
        assert_eq!(ids, vec![("c".into(), 1), ("a".into(), 2), ("b".into(), 3)]);
    }

    fn with_sla(mut c: Conversation, priority: Priority, deadline: Option<u64>) -> Conversation {
        c.sla = Some(crate::sla::Sla {
            priority,
            deadline: deadline.map(Timestamp),
            rule: "r".into(),
        });
        c
    }

    #[test]
    fn priority_then_deadline_then_arrival() {
        let mut q = [
            waiting("plain-early", 1),
            with_sla(waiting("low", 0), Priority::Low, None),
            with_sla(waiting("high-late-deadline", 3), Priority::High, Some(900)),
            with_sla(waiting("high-soon", 4), Priority::High, Some(100)),
            with_sla(waiting("high-no-deadline", 2), Priority::High, None),
            with_sla(waiting("urgent", 9), Priority::Urgent, None),
            with_sla(waiting("normal-deadline", 8), Priority::Normal, Some(5_000)),
        ];
        q.sort_by(queue_order);
        let order: Vec<&str> = q.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            order,
            [
                "urgent",
                "high-soon",
                "high-late-deadline",
                "high-no-deadline",
                "normal-deadline",
                "plain-early",
                "low"
            ]
        );
        // The index key sorts exactly as the order does.
        let mut keys: Vec<String> = q.iter().map(queue_key).collect();
        let sorted = keys.clone();
        keys.sort();
        assert_eq!(keys, sorted);
    }
}
