//! What an operator's consoles are told about the operator: their state
//! (status, load, capacity, roles), after an accept or close, a status change
//! or a connect.

use super::notify::{Audience, Caller, Notifier, Recipient};
use crate::error::ActionError;
use crate::ports::{Connection, OperatorLoad, Principal, PrincipalRef};
use crate::views::{Event, OperatorView};
use switchboard_domain::{OperatorId, Role, TenantId, TenantSettings};

impl Notifier {
    pub(crate) async fn settings(&self, tenant: &TenantId) -> Result<TenantSettings, ActionError> {
        Ok(self
            .directory()
            .tenant(tenant)
            .await?
            .map(|t| t.settings)
            .unwrap_or_default())
    }

    pub(crate) async fn operator_view(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        roles: Vec<Role>,
        settings: &TenantSettings,
    ) -> Result<Option<OperatorView>, ActionError> {
        Ok(self
            .directory()
            .operator(tenant, id)
            .await?
            .map(|op| OperatorView::new(&op, settings.max_chats.get(), roles)))
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
            .connections()
            .principal_connections(
                tenant,
                &PrincipalRef::Operator(operator.clone()),
                self.clock.now(),
            )
            .await?;
        let Some(roles) = roles_of(&connections) else {
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
                tenant,
                &connections,
                &Event::OperatorState { operator: view },
                audience,
            )
            .await?;
        }
        Ok(())
    }

    /// Tells every tab of the operator their load as an accept or close left
    /// it, with the roles their console holds.
    pub(crate) async fn push_operator_load(
        &self,
        load: &OperatorLoad,
        roles: Vec<Role>,
        caller: Option<&Caller>,
    ) -> Result<(), ActionError> {
        let view = OperatorView::new(&load.operator, load.max_chats, roles);
        self.push_many(
            &load.operator.tenant,
            None,
            load.connections.iter().map(Recipient::operator),
            &Event::OperatorState { operator: view },
            Audience { skip: None, caller },
        )
        .await
    }

    /// The same when the caller's roles are not at hand: the roles the
    /// operator's record keeps, or for a record from before it kept them,
    /// their connections', looked up.
    pub(crate) async fn push_operator_load_to_tabs(
        &self,
        load: &OperatorLoad,
    ) -> Result<(), ActionError> {
        if !load.operator.roles.is_empty() {
            return self
                .push_operator_load(load, load.operator.roles.clone(), None)
                .await;
        }
        let tenant = &load.operator.tenant;
        let connections = self
            .connections()
            .principal_connections(
                tenant,
                &PrincipalRef::Operator(load.operator.id.clone()),
                self.clock.now(),
            )
            .await?;
        let Some(roles) = roles_of(&connections) else {
            return Ok(());
        };
        let view = OperatorView::new(&load.operator, load.max_chats, roles);
        self.push_all(
            tenant,
            &connections,
            &Event::OperatorState { operator: view },
            Audience::everyone(),
        )
        .await
    }
}

fn roles_of(connections: &[Connection]) -> Option<Vec<Role>> {
    connections.iter().find_map(|c| match &c.principal {
        Principal::Operator { roles, .. } => Some(roles.clone()),
        Principal::Visitor { .. } => None,
    })
}
