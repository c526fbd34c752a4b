//! The waiting queue: conversations in `Waiting`, oldest `enqueued_at` first.

use crate::conversation::Conversation;
use crate::ids::{ConversationId, GroupId, TenantId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueChange {
    Entered,
    Left,
}

/// Published whenever a conversation enters or leaves a tenant's waiting queue.
/// Consumers re-read the conversation, so a stale or repeated event is harmless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueEvent {
    pub tenant: TenantId,
    pub conversation: ConversationId,
    /// The queue it entered or left (events from before groups: the default).
    #[serde(default)]
    pub group: GroupId,
    pub change: QueueChange,
    pub at: Timestamp,
}

/// The order key of the queue: earlier first, id breaks ties so the order is total.
pub fn queue_order(a: &Conversation, b: &Conversation) -> std::cmp::Ordering {
    (a.enqueued_at, a.id.as_str()).cmp(&(b.enqueued_at, b.id.as_str()))
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
}
