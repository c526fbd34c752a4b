//! The console's conversation lists and each conversation's progress.
//!
//! Lists follow the rule of who may open what: an operator lists their own
//! and, of the unassigned ones waiting, those of their groups; a
//! colleague's open conversations are for admins ("Others"), their closed
//! ones for anyone.

use super::access::{may_open_given, needs_groups};
use super::frames::Frames;
use super::notify::{Audience, Caller};
use super::operator::normalized_tags;
use crate::error::ActionError;
use crate::protocol::{
    ListConversations, ListScope, ListSort, ListState, ProgressFilter, ProtocolError,
    SearchConversations, SetProgress,
};
use crate::views::{ConversationSummary, Event, Side};
use switchboard_domain::workspace::{ListFilter, ListOrder, Progress, Scope, SearchQuery};
use switchboard_domain::Role;

const DEFAULT_PAGE: u64 = 20;
const MAX_PAGE: u64 = 50;

fn invalid(field: &str, reason: &str) -> ActionError {
    ActionError::Protocol(ProtocolError::InvalidField {
        field: field.into(),
        reason: reason.into(),
    })
}

impl Frames {
    pub(super) async fn set_progress(
        &self,
        caller: &Caller,
        action: SetProgress,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let conversation = self
            .conversations()
            .set_progress(caller.tenant(), &conversation.id, action.progress)
            .await?;
        let event = Event::ConversationProgress {
            conversation_id: conversation.id.clone(),
            progress: conversation.progress,
            by: me.clone(),
        };
        self.notifier.reply(caller, &event).await?;
        // The holder's other tabs.
        self.notifier
            .push_to_side(
                &conversation,
                Side::Operator,
                &event,
                Audience::except(&caller.connection.id),
            )
            .await
    }

    pub(super) async fn list_conversations(
        &self,
        caller: &Caller,
        action: ListConversations,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let admin = roles.contains(&Role::Admin);
        let open = action.state == ListState::Open;
        let limit = action.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(invalid("limit", "must be 1 to 50"));
        }
        let scope = match (action.scope, &action.operator_id) {
            (ListScope::Mine, _) => Scope::Operator(me.clone()),
            (ListScope::Unassigned, _) => Scope::Unassigned,
            (ListScope::Operator, None) => return Err(invalid("operatorId", "is required")),
            (ListScope::Operator, Some(op)) => {
                if op != me && open && !admin {
                    return Err(ActionError::Forbidden("admins"));
                }
                Scope::Operator(op.clone())
            }
        };
        let order = match action.sort {
            ListSort::Newest => ListOrder::Newest,
            ListSort::Sla if open => ListOrder::SlaDeadline,
            ListSort::Sla => return Err(invalid("sort", "only open lists sort by deadline")),
        };
        let progress = match action.progress {
            ProgressFilter::Unread => Some(Progress::Unread),
            ProgressFilter::Unresolved => Some(Progress::Unresolved),
            ProgressFilter::Done => Some(Progress::Done),
            ProgressFilter::All => None,
        };
        let filter = ListFilter {
            open,
            scope,
            progress,
            channel: action.channel,
            order,
        };
        let page = self
            .conversations()
            .list_conversations(
                caller.tenant(),
                &filter,
                action.cursor.as_deref(),
                limit as usize,
            )
            .await
            .map_err(|e| match e {
                crate::ports::StoreError::Corrupt(what) if what == "cursor" => {
                    invalid("cursor", "not a cursor this list gave")
                }
                other => other.into(),
            })?;
        // Waiting ones in a group the operator is not in are left out; the
        // groups are read once, and only if one of them needs it.
        let groups = match page.items.iter().any(|c| needs_groups(me, roles, c)) {
            true => self.routing.groups(caller.tenant()).await?,
            false => Vec::new(),
        };
        let conversations = page
            .items
            .into_iter()
            .filter(|c| may_open_given(me, roles, c, &groups))
            .map(ConversationSummary::from)
            .collect();
        let event = Event::ConversationList {
            conversations,
            next: page.next,
        };
        self.notifier.reply(caller, &event).await
    }

    /// By a prefix of the client's name (any word, case and accents
    /// ignored) or the first digits of their phone; what the operator may
    /// not open is left out.
    pub(super) async fn search_conversations(
        &self,
        caller: &Caller,
        action: SearchConversations,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let query =
            SearchQuery::parse(&action.query).map_err(|reason| invalid("query", &reason))?;
        let limit = action.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(invalid("limit", "must be 1 to 50"));
        }
        let found = self
            .conversations()
            .search_conversations(caller.tenant(), &query, limit as usize)
            .await?;
        let groups = match found.iter().any(|c| needs_groups(me, roles, c)) {
            true => self.routing.groups(caller.tenant()).await?,
            false => Vec::new(),
        };
        let conversations = found
            .into_iter()
            .filter(|c| may_open_given(me, roles, c, &groups))
            .map(ConversationSummary::from)
            .collect();
        let event = Event::ConversationSearch {
            query: action.query,
            conversations,
        };
        self.notifier.reply(caller, &event).await
    }

    /// Operators' tags on a conversation they may open (at most 50, like a
    /// client's); every operator watching it hears the change.
    pub(super) async fn tag_conversation(
        &self,
        caller: &Caller,
        action: crate::protocol::TagClient,
    ) -> Result<(), ActionError> {
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let add = normalized_tags(&action.add, "add")?;
        let remove = normalized_tags(&action.remove, "remove")?;
        let after: std::collections::BTreeSet<&String> = conversation
            .tags
            .iter()
            .filter(|t| !remove.contains(t))
            .chain(&add)
            .collect();
        if after.len() > switchboard_domain::MAX_TAGS {
            return Err(invalid("add", "a conversation carries at most 50 tags"));
        }
        let tags = self
            .conversations()
            .tag_conversation(caller.tenant(), &conversation.id, &add, &remove)
            .await?;
        let event = Event::ConversationTags {
            conversation_id: conversation.id.clone(),
            tags,
        };
        self.notifier.reply(caller, &event).await?;
        self.notifier
            .push_to_side(
                &conversation,
                Side::Operator,
                &event,
                Audience::except(&caller.connection.id),
            )
            .await
    }
}
