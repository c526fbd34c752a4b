//! What only operators (and tenant admins) do.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::{ConversationError, ConversationStore, RoutingStore};
use crate::protocol::{ConversationRef, SetStatus, UpdateSettings};
use crate::views::{Event, QueueEntry};
use switchboard_domain::{
    Capacity, Conversation, ConversationStatus, GroupId, OperatorId, Role, TenantId, TenantSettings,
};

/// How much of the queue a console is sent at once.
pub(crate) const QUEUE_PAGE: usize = 200;

/// Tags as given, normalized ([`switchboard_domain::normalize_tag`]), or the
/// first that cannot be, named by its place in `field`.
pub(super) fn normalized_tags(list: &[String], field: &str) -> Result<Vec<String>, ActionError> {
    list.iter()
        .enumerate()
        .map(|(i, raw)| {
            switchboard_domain::normalize_tag(raw).ok_or_else(|| {
                ActionError::Protocol(crate::protocol::ProtocolError::InvalidField {
                    field: format!("{field}[{i}]"),
                    reason: "1 to 40 letters, digits, '-', '_' or spaces".into(),
                })
            })
        })
        .collect()
}

impl Frames {
    pub(super) async fn welcome_operator(&self, caller: &Caller) -> Result<(), ActionError> {
        let (id, _, roles) = caller.operator()?;
        let tenant = caller.tenant();
        let operator = self
            .notifier
            .operator_view(
                tenant,
                id,
                roles.to_vec(),
                &self.notifier.settings(tenant).await?,
            )
            .await?
            .ok_or(ActionError::Refused(
                switchboard_domain::AcceptRefusal::NotOnline,
            ))?;
        let mut conversations = Vec::new();
        for c in self
            .conversations()
            .operator_conversations(tenant, id)
            .await?
        {
            conversations.push(self.lifecycle.view(c).await?);
        }
        let event = Event::WelcomeOperator {
            tenant: tenant.clone(),
            operator,
            conversations,
            queue: queue_entries(
                self.conversations(),
                self.routing.as_ref(),
                tenant,
                id,
                roles,
            )
            .await?,
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn list_queue(&self, caller: &Caller) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let entries = queue_entries(
            self.conversations(),
            self.routing.as_ref(),
            caller.tenant(),
            me,
            roles,
        )
        .await?;
        self.notifier
            .reply(caller, &Event::QueueSnapshot { entries })
            .await
    }

    pub(super) async fn preview(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let conversation = self
            .conversation_for(caller, Some(&action.conversation_id))
            .await?;
        if !self.may_open(me, roles, &conversation).await? {
            return Err(ActionError::ConversationNotFound);
        }
        let view = self.lifecycle.view(conversation).await?;
        self.notifier.reply(caller, &Event::Preview { view }).await
    }

    /// Tags (or untags) the client of a conversation the operator may
    /// open: what SLA rules on a client's tag look at when the client next
    /// enters a queue. Tags are trimmed and lowercased; a client carries at
    /// most 50 (a soft limit: two operators adding at once may pass it).
    pub(super) async fn tag_client(
        &self,
        caller: &Caller,
        action: crate::protocol::TagClient,
    ) -> Result<(), ActionError> {
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let (add, remove) = (
            normalized_tags(&action.add, "add")?,
            normalized_tags(&action.remove, "remove")?,
        );
        let (tenant, visitor) = (caller.tenant(), conversation.client_id());
        let mut tags = self
            .contacts
            .tag_client(tenant, visitor, &remove, false)
            .await?;
        if !add.is_empty() {
            let after = tags
                .iter()
                .chain(&add)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            if after > switchboard_domain::MAX_TAGS {
                return Err(ActionError::Protocol(
                    crate::protocol::ProtocolError::InvalidField {
                        field: "add".into(),
                        reason: format!(
                            "a client carries at most {} tags",
                            switchboard_domain::MAX_TAGS
                        ),
                    },
                ));
            }
            tags = self
                .contacts
                .tag_client(tenant, visitor, &add, true)
                .await?;
        }
        self.notifier
            .reply(
                caller,
                &Event::ClientTags {
                    visitor_id: visitor.clone(),
                    tags,
                },
            )
            .await
    }

    /// The conversation, if the calling operator may open it; another's
    /// (or another tenant's) is not found.
    pub(super) async fn openable(
        &self,
        caller: &Caller,
        id: &switchboard_domain::ConversationId,
    ) -> Result<Conversation, ActionError> {
        let (me, _, roles) = caller.operator()?;
        let conversation = self.conversation_for(caller, Some(id)).await?;
        if !self.may_open(me, roles, &conversation).await? {
            return Err(ActionError::ConversationNotFound);
        }
        Ok(conversation)
    }

    /// Whether an operator may open a conversation ([`super::access::may_open`]).
    pub(super) async fn may_open(
        &self,
        me: &OperatorId,
        roles: &[Role],
        conversation: &Conversation,
    ) -> Result<bool, ActionError> {
        Ok(super::access::may_open(self.routing.as_ref(), me, roles, conversation).await?)
    }

    /// The "Others" view: an admin opens another operator's chats.
    pub(super) async fn others_conversations(
        &self,
        caller: &Caller,
        action: crate::protocol::OperatorRef,
    ) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if !roles.contains(&Role::Admin) {
            return Err(ActionError::Forbidden("tenant admins"));
        }
        let mut conversations = Vec::new();
        for c in self
            .conversations()
            .operator_conversations(caller.tenant(), &action.operator_id)
            .await?
        {
            conversations.push(self.lifecycle.view(c).await?);
        }
        let event = Event::OperatorConversations {
            operator_id: action.operator_id,
            conversations,
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn accept(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let (me, my_name, _) = caller.operator()?;
        let tenant = caller.tenant();
        match self
            .conversations()
            .accept(tenant, &action.conversation_id, me, self.now())
            .await
        {
            Ok(accepted) => {
                self.lifecycle
                    .announce_assignment(&self.notifier, &accepted, Audience::answering(caller))
                    .await
            }
            // Our own accept, replayed (a retried frame): answer as before, change nothing.
            Err(ConversationError::AlreadyTaken { by }) if &by == me => {
                let conversation = self
                    .conversations()
                    .conversation(tenant, &action.conversation_id)
                    .await?
                    .ok_or(ActionError::ConversationNotFound)?;
                self.announce_accept(caller, conversation, me, my_name)
                    .await?;
                self.notifier
                    .push_operator_state(tenant, me, None, None)
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn announce_accept(
        &self,
        caller: &Caller,
        conversation: Conversation,
        operator: &OperatorId,
        operator_name: &str,
    ) -> Result<(), ActionError> {
        debug_assert_eq!(conversation.status, ConversationStatus::Active);
        let event = Event::Accepted {
            view: self.lifecycle.view_unplaced(conversation.clone()).await?,
            operator_id: operator.clone(),
            operator_name: operator_name.to_string(),
        };
        self.notifier
            .push_to_participants(&conversation, &event, Audience::answering(caller))
            .await
    }

    pub(super) async fn set_status(
        &self,
        caller: &Caller,
        action: SetStatus,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let status = action.status.into();
        self.directory()
            .set_operator_status(caller.tenant(), me, status, self.now())
            .await?;
        // Online or not changes what the operator's groups can take.
        self.lifecycle.capacity_changed(caller.tenant()).await?;
        self.notifier
            .push_operator_state(caller.tenant(), me, Some(caller), None)
            .await
    }

    pub(super) async fn update_settings(
        &self,
        caller: &Caller,
        action: UpdateSettings,
    ) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if !roles.contains(&Role::Admin) {
            return Err(ActionError::Forbidden("tenant admins"));
        }
        let max_chats =
            Capacity::new(action.max_chats).map_err(|e| ActionError::InvalidSetting {
                field: "maxChats",
                reason: e.to_string(),
            })?;
        let transfer_timeout_seconds = match action.transfer_timeout_seconds {
            Some(t) if TenantSettings::TRANSFER_TIMEOUT_RANGE.contains(&t) => t,
            Some(_) => {
                let range = TenantSettings::TRANSFER_TIMEOUT_RANGE;
                return Err(ActionError::InvalidSetting {
                    field: "transferTimeoutSeconds",
                    reason: format!(
                        "transfer timeout must be {} to {} seconds",
                        range.start(),
                        range.end()
                    ),
                });
            }
            None => {
                self.notifier
                    .settings(caller.tenant())
                    .await?
                    .transfer_timeout_seconds
            }
        };
        let settings = TenantSettings {
            max_chats,
            transfer_timeout_seconds,
        };
        self.directory()
            .set_tenant_settings(caller.tenant(), &settings)
            .await?;
        // More room for everyone: auto-routed queues may move, waits shorten.
        self.lifecycle.capacity_changed(caller.tenant()).await?;
        let connections = self
            .connections()
            .operator_connections(caller.tenant(), self.now())
            .await?;
        self.notifier
            .push_all(
                caller.tenant(),
                &connections,
                &Event::TenantSettings {
                    max_chats: settings.max_chats.get(),
                    transfer_timeout_seconds: settings.transfer_timeout_seconds,
                },
                Audience::answering(caller),
            )
            .await
    }
}

/// The waiting queues as a console shows them: each group's oldest first,
/// numbered within its group; an operator sees their groups' queues, an
/// admin every one.
pub(crate) async fn queue_entries(
    conversations: &dyn ConversationStore,
    routing: &dyn RoutingStore,
    tenant: &TenantId,
    viewer: &OperatorId,
    roles: &[Role],
) -> Result<Vec<QueueEntry>, ActionError> {
    let waiting = conversations.waiting(tenant, QUEUE_PAGE).await?;
    let groups = routing.groups(tenant).await?;
    let sees = |group: &GroupId| {
        roles.contains(&Role::Admin)
            || groups
                .iter()
                .find(|g| &g.id == group)
                .map_or(group.is_default(), |g| g.includes(viewer))
    };
    let mut places: std::collections::HashMap<GroupId, usize> = Default::default();
    Ok(waiting
        .into_iter()
        .map(|conversation| {
            let place = places.entry(conversation.group.clone()).or_default();
            *place += 1;
            QueueEntry {
                position: *place,
                conversation,
            }
        })
        .filter(|entry| sees(&entry.conversation.group))
        .collect())
}
