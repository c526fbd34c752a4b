//! What only operators (and tenant admins) do.

use super::{App, Caller};
use crate::error::ActionError;
use crate::notify::Audience;
use crate::ports::{ConversationError, PrincipalRef};
use crate::protocol::{ConversationRef, SetStatus, UpdateSettings};
use crate::views::{Event, OperatorView, QueueEntry};
use switchboard_domain::{
    Capacity, Conversation, ConversationStatus, OperatorId, QueueChange, Role, TenantId,
    TenantSettings,
};

/// How much of the queue a console is sent at once.
pub(crate) const QUEUE_PAGE: usize = 200;

impl App {
    async fn settings(&self, tenant: &TenantId) -> Result<TenantSettings, ActionError> {
        Ok(self
            .store
            .tenant(tenant)
            .await?
            .map(|t| t.settings)
            .unwrap_or_default())
    }

    pub(crate) async fn queue_entries(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<QueueEntry>, ActionError> {
        let waiting = self.store.waiting(tenant, QUEUE_PAGE).await?;
        Ok(waiting
            .into_iter()
            .enumerate()
            .map(|(i, conversation)| QueueEntry {
                conversation,
                position: i + 1,
            })
            .collect())
    }

    async fn operator_view(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        roles: Vec<Role>,
        settings: &TenantSettings,
    ) -> Result<Option<OperatorView>, ActionError> {
        Ok(self
            .store
            .operator(tenant, id)
            .await?
            .map(|op| OperatorView::new(&op, settings.max_chats.get(), roles)))
    }

    pub(super) async fn welcome_operator(&self, caller: &Caller) -> Result<(), ActionError> {
        let (id, _, roles) = caller.operator()?;
        let tenant = caller.tenant();
        let operator = self
            .operator_view(tenant, id, roles.to_vec(), &self.settings(tenant).await?)
            .await?
            .ok_or(ActionError::Refused(
                switchboard_domain::AcceptRefusal::NotOnline,
            ))?;
        let mut conversations = Vec::new();
        for c in self.store.operator_conversations(tenant, id).await? {
            conversations.push(self.view(c).await?);
        }
        let event = Event::WelcomeOperator {
            tenant: tenant.clone(),
            operator,
            conversations,
            queue: self.queue_entries(tenant).await?,
        };
        self.reply(caller, &event).await
    }

    pub(super) async fn list_queue(&self, caller: &Caller) -> Result<(), ActionError> {
        caller.operator()?;
        let entries = self.queue_entries(caller.tenant()).await?;
        self.reply(caller, &Event::QueueSnapshot { entries }).await
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
        let view = self.view(conversation).await?;
        self.reply(caller, &Event::Preview { view }).await
    }

    pub(super) async fn accept(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let (me, my_name, _) = caller.operator()?;
        let tenant = caller.tenant();
        let settings = self.settings(tenant).await?;
        let capacity = settings.max_chats;
        let accepted = match self
            .store
            .accept(tenant, &action.conversation_id, me, capacity, self.now())
            .await
        {
            Ok(conversation) => {
                self.publish_queue_change(&conversation, QueueChange::Left)
                    .await?;
                conversation
            }
            // Our own accept, replayed (a retried frame): answer as before, change nothing.
            Err(ConversationError::AlreadyTaken { by }) if &by == me => self
                .store
                .conversation(tenant, &action.conversation_id)
                .await?
                .ok_or(ActionError::ConversationNotFound)?,
            Err(e) => return Err(e.into()),
        };
        self.announce_accept(caller, accepted, me, my_name).await?;
        self.push_operator_state(tenant, me, None, Some(&settings))
            .await
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
            view: self.view(conversation.clone()).await?,
            operator_id: operator.clone(),
            operator_name: operator_name.to_string(),
        };
        self.push_to_participants(&conversation, &event, Audience::answering(caller))
            .await
    }

    /// Tells every tab of the operator its state; `caller` gets it as its answer.
    /// `settings` saves a read when the action already has them.
    pub(crate) async fn push_operator_state(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
        caller: Option<&Caller>,
        settings: Option<&TenantSettings>,
    ) -> Result<(), ActionError> {
        let connections = self
            .store
            .principal_connections(
                tenant,
                &PrincipalRef::Operator(operator.clone()),
                self.now(),
            )
            .await?;
        let Some(roles) = connections.iter().find_map(|c| match &c.principal {
            crate::ports::Principal::Operator { roles, .. } => Some(roles.clone()),
            _ => None,
        }) else {
            return Ok(());
        };
        let settings = match settings {
            Some(s) => s.clone(),
            None => self.settings(tenant).await?,
        };
        if let Some(view) = self
            .operator_view(tenant, operator, roles, &settings)
            .await?
        {
            let audience = Audience { skip: None, caller };
            self.push_all(
                &connections,
                &Event::OperatorState { operator: view },
                audience,
            )
            .await?;
        }
        Ok(())
    }

    pub(super) async fn set_status(
        &self,
        caller: &Caller,
        action: SetStatus,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        self.store
            .set_operator_status(caller.tenant(), me, action.status.into())
            .await?;
        self.push_operator_state(caller.tenant(), me, Some(caller), None)
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
        let max_chats = Capacity::new(action.max_chats)
            .map_err(|e| ActionError::InvalidSetting(e.to_string()))?;
        let settings = TenantSettings { max_chats };
        self.store
            .set_tenant_settings(caller.tenant(), &settings)
            .await?;
        let connections = self
            .store
            .operator_connections(caller.tenant(), self.now())
            .await?;
        self.push_all(
            &connections,
            &Event::TenantSettings {
                max_chats: max_chats.get(),
            },
            Audience::answering(caller),
        )
        .await
    }
}
