//! What only operators (and tenant admins) do.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::{ConversationError, ConversationStore};
use crate::protocol::{ConversationRef, SetStatus, UpdateSettings};
use crate::views::{Event, QueueEntry};
use switchboard_domain::{
    Capacity, Conversation, ConversationStatus, GroupId, OperatorId, OperatorStatus, QueueChange,
    Role, TenantId, TenantSettings,
};

/// How much of the queue a console is sent at once.
pub(crate) const QUEUE_PAGE: usize = 200;

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
            queue: queue_entries(self.conversations(), tenant).await?,
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn list_queue(&self, caller: &Caller) -> Result<(), ActionError> {
        caller.operator()?;
        let entries = queue_entries(self.conversations(), caller.tenant()).await?;
        self.notifier
            .reply(caller, &Event::QueueSnapshot { entries })
            .await
    }

    pub(super) async fn preview(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        caller.operator()?;
        let conversation = self
            .conversation_for(caller, Some(&action.conversation_id))
            .await?;
        let view = self.lifecycle.view(conversation).await?;
        self.notifier.reply(caller, &Event::Preview { view }).await
    }

    pub(super) async fn accept(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let (me, my_name, roles) = caller.operator()?;
        let tenant = caller.tenant();
        match self
            .conversations()
            .accept(tenant, &action.conversation_id, me, self.now())
            .await
        {
            Ok(accepted) => {
                self.lifecycle
                    .publish_queue_change(&accepted.conversation, QueueChange::Left)
                    .await?;
                self.announce_accept(caller, accepted.conversation, me, my_name)
                    .await?;
                self.notifier
                    .push_operator_load(&accepted.operator, roles.to_vec(), None)
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
            .set_operator_status(caller.tenant(), me, status)
            .await?;
        if status == OperatorStatus::Online {
            self.lifecycle
                .trigger_assignment(caller.tenant(), None)
                .await?;
        }
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
        // More room for everyone: auto-routed queues may move.
        self.lifecycle
            .trigger_assignment(caller.tenant(), None)
            .await?;
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
/// numbered within its group.
pub(crate) async fn queue_entries(
    conversations: &dyn ConversationStore,
    tenant: &TenantId,
) -> Result<Vec<QueueEntry>, ActionError> {
    let waiting = conversations.waiting(tenant, QUEUE_PAGE).await?;
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
        .collect())
}
