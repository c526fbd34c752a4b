//! Which conversations an operator may open: the one rule the console's
//! frames and the admin API's exports share.

use crate::ports::{RoutingStore, StoreResult};
use switchboard_domain::{Conversation, ConversationStatus, OperatorId, Role};

/// Their own, one offered to them, one waiting in a group of theirs, a
/// closed one (a client's history); an admin any (the "Others" view). The
/// groups are read only for a conversation waiting in a named group.
pub async fn may_open(
    routing: &dyn RoutingStore,
    me: &OperatorId,
    roles: &[Role],
    conversation: &Conversation,
) -> StoreResult<bool> {
    if roles.contains(&Role::Admin) || conversation.operator.as_ref() == Some(me) {
        return Ok(true);
    }
    Ok(match conversation.status {
        ConversationStatus::Closed => true,
        ConversationStatus::Active => false,
        ConversationStatus::Waiting => match &conversation.pending_transfer {
            Some(p) => &p.to == me,
            None if conversation.group.is_default() => true,
            None => routing
                .groups(&conversation.tenant)
                .await?
                .iter()
                .any(|g| g.id == conversation.group && g.includes(me)),
        },
    })
}
