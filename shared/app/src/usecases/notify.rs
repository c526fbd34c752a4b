//! Pushing events to connections, and who sees what. A connection the gateway
//! reports gone is forgotten on the spot (the target's record, never the
//! sender's).

use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{
    Clock, Connection, ConnectionRegistry, DirectoryStore, Principal, PrincipalRef, Push, PushError,
};
use crate::protocol::Envelope;
use crate::views::{Event, OperatorView};
use std::borrow::Cow;
use std::sync::Arc;
use switchboard_domain::{
    ConnectionId, Conversation, ConversationStatus, OperatorId, Role, TenantId, TenantSettings,
};

/// Connections and operators' presence: what `$disconnect` needs, and what a
/// push that finds a connection gone needs to clean up after it.
#[derive(Clone)]
pub struct Presence {
    pub connections: Arc<dyn ConnectionRegistry>,
    pub directory: Arc<dyn DirectoryStore>,
}

impl Presence {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Presence {
            connections: adapters.connections(),
            directory: adapters.directory(),
        }
    }

    /// `$disconnect`, and the same clean-up when a push finds a connection gone.
    #[tracing::instrument(skip(self))]
    pub async fn disconnect(&self, connection_id: &str) -> Result<(), ActionError> {
        let Ok(id) = ConnectionId::parse(connection_id) else {
            return Ok(());
        };
        self.forget_connection(&id).await
    }

    pub(crate) async fn forget_connection(&self, id: &ConnectionId) -> Result<(), ActionError> {
        let Some(conn) = self.connections.remove_connection(id).await? else {
            return Ok(());
        };
        if let Principal::Operator { id: op, .. } = &conn.principal {
            self.directory
                .operator_disconnected(&conn.tenant, op)
                .await?;
        }
        tracing::info!(connection = %conn.id, tenant = %conn.tenant, "disconnected");
        Ok(())
    }
}

/// The connection an action came from, with the caller's identity.
pub(crate) struct Caller {
    pub connection: Connection,
    pub request_id: Option<String>,
}

impl Caller {
    pub fn tenant(&self) -> &TenantId {
        &self.connection.tenant
    }

    pub fn operator(&self) -> Result<(&OperatorId, &str, &[Role]), ActionError> {
        match &self.connection.principal {
            Principal::Operator { id, name, roles } => Ok((id, name, roles)),
            Principal::Visitor { .. } => Err(ActionError::Forbidden("operators")),
        }
    }

    pub fn visitor(
        &self,
    ) -> Result<
        (
            &switchboard_domain::VisitorId,
            &switchboard_domain::WidgetId,
        ),
        ActionError,
    > {
        match &self.connection.principal {
            Principal::Visitor { id, widget } => Ok((id, widget)),
            Principal::Operator { .. } => Err(ActionError::Forbidden("visitors")),
        }
    }
}

/// Who, among the recipients of an event, is special.
#[derive(Clone, Copy, Default)]
pub(crate) struct Audience<'a> {
    /// Left out: it was already answered another way.
    pub skip: Option<&'a ConnectionId>,
    /// Gets the event with its request id.
    pub caller: Option<&'a Caller>,
}

impl<'a> Audience<'a> {
    pub fn everyone() -> Self {
        Self::default()
    }

    pub fn except(connection: &'a ConnectionId) -> Self {
        Self {
            skip: Some(connection),
            caller: None,
        }
    }

    pub fn answering(caller: &'a Caller) -> Self {
        Self {
            skip: None,
            caller: Some(caller),
        }
    }
}

/// Pushes events to the right connections.
#[derive(Clone)]
pub struct Notifier {
    pub presence: Presence,
    pub push: Arc<dyn Push>,
    pub clock: Arc<dyn Clock>,
}

impl Notifier {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Notifier {
            presence: Presence::build(adapters),
            push: adapters.push(),
            clock: adapters.clock(),
        }
    }

    pub(crate) fn directory(&self) -> &dyn DirectoryStore {
        self.presence.directory.as_ref()
    }

    pub(crate) fn connections(&self) -> &dyn ConnectionRegistry {
        self.presence.connections.as_ref()
    }

    /// Sends to one connection. Gone is handled here and reported as delivered-to-nobody.
    pub(crate) async fn push_event(
        &self,
        connection: &ConnectionId,
        event: &Event,
        request_id: Option<&str>,
    ) -> Result<(), ActionError> {
        let payload = serde_json::to_vec(&Envelope { event, request_id })
            .map_err(|e| ActionError::Encode(e.to_string()))?;
        match self.push.send(connection, &payload).await {
            Ok(()) => Ok(()),
            Err(PushError::Gone) => {
                tracing::info!(connection = %connection, "connection gone, removing it");
                self.presence.forget_connection(connection).await
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Who may see what, applied here and nowhere else: an event bound for
    /// a visitor's connection loses its operators-only items, or is not sent.
    fn visible_to<'e>(connection: &Connection, event: &'e Event) -> Option<Cow<'e, Event>> {
        match connection.principal {
            Principal::Visitor { .. } => event.for_visitor(),
            Principal::Operator { .. } => Some(Cow::Borrowed(event)),
        }
    }

    /// Answers the caller.
    pub(crate) async fn reply(&self, caller: &Caller, event: &Event) -> Result<(), ActionError> {
        let Some(event) = Self::visible_to(&caller.connection, event) else {
            return Ok(());
        };
        self.push_event(&caller.connection.id, &event, caller.request_id.as_deref())
            .await
    }

    pub(crate) async fn reply_error(
        &self,
        caller: &Caller,
        err: &ActionError,
    ) -> Result<(), ActionError> {
        self.reply(caller, &err.to_event()).await
    }

    /// Sends to several connections at once; the first hard failure is reported
    /// after every connection has been tried. When the caller is among them, its
    /// copy carries the request id: that copy is the answer to its request.
    pub(crate) async fn push_all(
        &self,
        connections: &[Connection],
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let sends = connections
            .iter()
            .filter(|c| Some(&c.id) != audience.skip)
            .filter_map(|c| Some((c, Self::visible_to(c, event)?)))
            .map(|(c, event)| async move {
                let request_id = audience
                    .caller
                    .filter(|caller| caller.connection.id == c.id)
                    .and_then(|caller| caller.request_id.as_deref());
                self.push_event(&c.id, &event, request_id).await
            });
        futures::future::join_all(sends)
            .await
            .into_iter()
            .collect::<Result<Vec<()>, _>>()
            .map(|_| ())
    }

    /// Every connection (browser tab) of one person.
    pub(crate) async fn push_to(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let connections = self
            .connections()
            .principal_connections(tenant, principal, self.clock.now())
            .await?;
        self.push_all(&connections, event, audience).await
    }

    /// The visitor's connections and, once assigned, the operator's.
    pub(crate) async fn push_to_participants(
        &self,
        conversation: &Conversation,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let visitor_ref = PrincipalRef::Visitor(conversation.visitor.clone());
        let visitor = self.push_to(&conversation.tenant, &visitor_ref, event, audience);
        match &conversation.operator {
            Some(op) if conversation.status == ConversationStatus::Active => {
                let operator_ref = PrincipalRef::Operator(op.clone());
                let operator = self.push_to(&conversation.tenant, &operator_ref, event, audience);
                let (a, b) = futures::join!(visitor, operator);
                a.and(b)
            }
            _ => visitor.await,
        }
    }

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
        let Some(roles) = connections.iter().find_map(|c| match &c.principal {
            Principal::Operator { roles, .. } => Some(roles.clone()),
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
}
