//! Which conversations an operator may open: the one rule the console's
//! frames, its lists and the admin API's exports share.

use crate::ports::{RoutingStore, StoreResult};
use switchboard_domain::{Conversation, ConversationStatus, Group, OperatorId, Role};

/// Their own, one offered to them, one waiting in a group of theirs, a
/// closed one (a client's history); an admin any (the "Others" view). The
/// groups are read only for a conversation waiting in a named group.
pub async fn may_open(
    routing: &dyn RoutingStore,
    me: &OperatorId,
    roles: &[Role],
    conversation: &Conversation,
) -> StoreResult<bool> {
    let groups = match needs_groups(me, roles, conversation) {
        true => routing.groups(&conversation.tenant).await?,
        false => Vec::new(),
    };
    Ok(may_open_given(me, roles, conversation, &groups))
}

/// Whether [`may_open_given`] needs the tenant's groups for this one.
pub fn needs_groups(me: &OperatorId, roles: &[Role], conversation: &Conversation) -> bool {
    !roles.contains(&Role::Admin)
        && conversation.operator.as_ref() != Some(me)
        && conversation.status == ConversationStatus::Waiting
        && conversation.pending_transfer.is_none()
        && !conversation.group.is_default()
}

/// [`may_open`] with the groups already read (empty when
/// [`needs_groups`] says so).
pub fn may_open_given(
    me: &OperatorId,
    roles: &[Role],
    conversation: &Conversation,
    groups: &[Group],
) -> bool {
    if roles.contains(&Role::Admin) || conversation.operator.as_ref() == Some(me) {
        return true;
    }
    match conversation.status {
        ConversationStatus::Closed => true,
        ConversationStatus::Active => false,
        ConversationStatus::Waiting => match &conversation.pending_transfer {
            Some(p) => &p.to == me,
            None if conversation.group.is_default() => true,
            None => groups
                .iter()
                .any(|g| g.id == conversation.group && g.includes(me)),
        },
    }
}
