//! The use cases. `App` holds the ports; each WebSocket action is one method.

mod channel;
mod conversation;
mod fanout;
mod operator;

use crate::auth::TokenService;
use crate::error::{ActionError, ConnectError};
use crate::ports::{ChannelBus, Clock, Connection, IdGen, Principal, Push, QueueBus, Store};
use crate::protocol::{parse_request, Action, Request};
use crate::views::Event;
use std::sync::Arc;
use switchboard_domain::{
    ConnectionId, OperatorId, Role, TenantId, Timestamp, VisitorId, WidgetId,
};

/// API Gateway ends every WebSocket connection after two hours.
const MAX_CONNECTION_SECONDS: u64 = 2 * 3600;
/// Grace so a record outlives its connection slightly rather than the reverse.
const CONNECTION_SLACK_SECONDS: u64 = 300;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub bus: Arc<dyn QueueBus>,
    /// Inbound channel events and outbound sends.
    pub channels: Arc<dyn ChannelBus>,
    pub push: Arc<dyn Push>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub tokens: TokenService,
}

pub use channel::{contact_visitor_id, ChannelGateway, RetryPolicy, SenderError};

/// What `$connect` carries, already lifted out of the gateway's event.
#[derive(Debug, Clone, Default)]
pub struct ConnectRequest {
    pub connection_id: String,
    /// Operator token.
    pub token: Option<String>,
    /// Optional: an operator console may name the tenant it expects.
    pub tenant: Option<String>,
    pub widget_id: Option<String>,
    pub visitor_token: Option<String>,
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

    pub fn visitor(&self) -> Result<(&VisitorId, &WidgetId), ActionError> {
        match &self.connection.principal {
            Principal::Visitor { id, widget } => Ok((id, widget)),
            Principal::Operator { .. } => Err(ActionError::Forbidden("visitors")),
        }
    }
}

impl App {
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// `$connect`: authenticates and registers the connection. Nothing is written
    /// unless the caller is allowed in.
    pub async fn connect(&self, req: ConnectRequest) -> Result<Connection, ConnectError> {
        let now = self.now();
        let id =
            ConnectionId::parse(req.connection_id).map_err(|_| ConnectError::BadConnectionId)?;
        let (tenant, principal) = if let Some(token) = req.token.as_deref() {
            let claims = self.tokens.verify_operator(token, now)?;
            if let Some(expected) = req.tenant.as_deref() {
                if expected != claims.tenant.as_str() {
                    return Err(ConnectError::TenantMismatch);
                }
            }
            if self.store.tenant(&claims.tenant).await?.is_none() {
                return Err(ConnectError::UnknownTenant);
            }
            (
                claims.tenant,
                Principal::Operator {
                    id: claims.sub,
                    name: claims.name,
                    roles: claims.roles,
                },
            )
        } else if req.widget_id.is_some() || req.visitor_token.is_some() {
            self.authenticate_visitor(req.widget_id.as_deref(), req.visitor_token.as_deref(), now)
                .await?
        } else {
            return Err(ConnectError::MissingCredentials);
        };

        if let Principal::Operator { id: op, name, .. } = &principal {
            self.store.operator_connected(&tenant, op, name).await?;
        }
        let connection = Connection {
            id,
            tenant,
            principal,
            connected_at: now,
            expires_at: now.plus_seconds(MAX_CONNECTION_SECONDS + CONNECTION_SLACK_SECONDS),
        };
        self.store.register(&connection).await?;
        tracing::info!(connection = %connection.id, tenant = %connection.tenant, "connected");
        Ok(connection)
    }

    async fn authenticate_visitor(
        &self,
        widget_id: Option<&str>,
        visitor_token: Option<&str>,
        now: Timestamp,
    ) -> Result<(TenantId, Principal), ConnectError> {
        let claims = visitor_token
            .map(|t| self.tokens.verify_visitor(t, now))
            .transpose()?;
        let widget_id = match (widget_id, &claims) {
            (Some(raw), _) => WidgetId::parse(raw).map_err(|_| ConnectError::UnknownWidget)?,
            (None, Some(c)) => c.widget.clone(),
            (None, None) => return Err(ConnectError::MissingCredentials),
        };
        let widget = self
            .store
            .widget(&widget_id)
            .await?
            .ok_or(ConnectError::UnknownWidget)?;
        let visitor = match claims {
            Some(c) if c.tenant != widget.tenant => return Err(ConnectError::TenantMismatch),
            Some(c) => c.sub,
            None => VisitorId::parse(self.ids.new_id("vis"))
                .map_err(|e| ConnectError::Internal(e.to_string()))?,
        };
        Ok((
            widget.tenant,
            Principal::Visitor {
                id: visitor,
                widget: widget.id,
            },
        ))
    }

    /// `$disconnect`, and the same clean-up when a push finds a connection gone.
    pub async fn disconnect(&self, connection_id: &str) -> Result<(), ActionError> {
        let Ok(id) = ConnectionId::parse(connection_id) else {
            return Ok(());
        };
        self.forget_connection(&id).await
    }

    pub(crate) async fn forget_connection(&self, id: &ConnectionId) -> Result<(), ActionError> {
        let Some(conn) = self.store.remove_connection(id).await? else {
            return Ok(());
        };
        if let Principal::Operator { id: op, .. } = &conn.principal {
            self.store.operator_disconnected(&conn.tenant, op).await?;
        }
        tracing::info!(connection = %conn.id, tenant = %conn.tenant, "disconnected");
        Ok(())
    }

    /// One frame from a client. Every outcome, errors included, is pushed back to
    /// the sending connection; `Err` is returned only for failures worth retrying.
    pub async fn handle_frame(&self, connection_id: &str, body: &str) -> Result<(), ActionError> {
        let now = self.now();
        let Ok(id) = ConnectionId::parse(connection_id) else {
            return Ok(());
        };
        let Some(connection) = self.store.connection(&id, now).await? else {
            tracing::warn!(connection = %id, "frame from an unregistered connection");
            return Ok(());
        };
        let (request, request_id) = match parse_request(body) {
            Ok(Request { action, request_id }) => (action, request_id),
            Err((err, request_id)) => {
                let caller = Caller {
                    connection,
                    request_id,
                };
                return self.reply_error(&caller, &err.into()).await;
            }
        };
        let caller = Caller {
            connection,
            request_id,
        };
        let action = request.name();
        match self.dispatch(&caller, request).await {
            Ok(()) => Ok(()),
            Err(err) => {
                if err.is_internal() {
                    tracing::error!(action, error = %err, "action failed");
                } else {
                    tracing::info!(action, code = err.code(), "action refused");
                }
                self.reply_error(&caller, &err).await?;
                if err.is_internal() {
                    return Err(err);
                }
                Ok(())
            }
        }
    }

    async fn dispatch(&self, caller: &Caller, action: Action) -> Result<(), ActionError> {
        match action {
            Action::Hello => self.hello(caller).await,
            Action::Ping => self.reply(caller, &Event::Pong).await,
            Action::StartConversation(a) => self.start_conversation(caller, a).await,
            Action::SendMessage(a) => self.send_message(caller, a).await,
            Action::Typing(a) => self.typing(caller, a).await,
            Action::History(a) => self.history(caller, a).await,
            Action::ListQueue => self.list_queue(caller).await,
            Action::Preview(a) => self.preview(caller, a).await,
            Action::Accept(a) => self.accept(caller, a).await,
            Action::Close(a) => self.close(caller, a).await,
            Action::SetStatus(a) => self.set_status(caller, a).await,
            Action::UpdateSettings(a) => self.update_settings(caller, a).await,
        }
    }

    async fn hello(&self, caller: &Caller) -> Result<(), ActionError> {
        match &caller.connection.principal {
            Principal::Visitor { .. } => self.welcome_visitor(caller).await,
            Principal::Operator { .. } => self.welcome_operator(caller).await,
        }
    }
}
