//! `$connect`: authenticates the caller and registers the connection. Nothing
//! is written unless the caller is allowed in.

use super::lifecycle::announce_capacity;
use crate::adapters::Adapters;
use crate::auth::TokenService;
use crate::error::ConnectError;
use crate::ports::{
    AssignBus, Clock, Connection, ConnectionRegistry, DirectoryStore, IdGen, Principal, QueueBus,
};
use std::sync::Arc;
use switchboard_domain::{ConnectionId, TenantId, Timestamp, VisitorId, WidgetId};

/// API Gateway ends every WebSocket connection after two hours.
const MAX_CONNECTION_SECONDS: u64 = 2 * 3600;
/// Grace so a record outlives its connection slightly rather than the reverse.
const CONNECTION_SLACK_SECONDS: u64 = 300;

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
    /// The browser's `Origin` header: checked against a visitor's widget's
    /// allowed origins.
    pub origin: Option<String>,
}

#[derive(Clone)]
pub struct Connector {
    /// Also a signed-in operator's account, which must still exist and be enabled.
    pub directory: Arc<dyn DirectoryStore>,
    pub connections: Arc<dyn ConnectionRegistry>,
    /// An operator coming online may take what waits in auto-routed groups
    /// (`assign`) and shortens waiting visitors' estimates (`queue`).
    pub assign: Arc<dyn AssignBus>,
    pub queue: Arc<dyn QueueBus>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub tokens: TokenService,
}

impl Connector {
    pub fn build(adapters: &dyn Adapters, tokens: TokenService) -> Self {
        Connector {
            directory: adapters.directory(),
            connections: adapters.connections(),
            assign: adapters.assign_bus(),
            queue: adapters.queue_bus(),
            clock: adapters.clock(),
            ids: adapters.ids(),
            tokens,
        }
    }

    #[tracing::instrument(skip_all, fields(connection = %req.connection_id, tenant))]
    pub async fn connect(&self, req: ConnectRequest) -> Result<Connection, ConnectError> {
        let now = self.clock.now();
        let id =
            ConnectionId::parse(req.connection_id).map_err(|_| ConnectError::BadConnectionId)?;
        let (tenant, principal) = if let Some(token) = req.token.as_deref() {
            let claims = self.tokens.verify_operator(token, now)?;
            if let Some(expected) = req.tenant.as_deref() {
                if expected != claims.tenant.as_str() {
                    return Err(ConnectError::TenantMismatch);
                }
            }
            if self.directory.tenant(&claims.tenant).await?.is_none() {
                return Err(ConnectError::UnknownTenant);
            }
            let (name, roles) = if claims.account {
                // Disabling takes effect at once, not when the token expires;
                // name and roles are the account's as they are now.
                match self.directory.account(&claims.tenant, &claims.sub).await? {
                    Some(account) if account.enabled => (account.name, account.roles),
                    _ => return Err(ConnectError::AccountDisabled),
                }
            } else {
                (claims.name, claims.roles)
            };
            (
                claims.tenant,
                Principal::Operator {
                    id: claims.sub,
                    name,
                    roles,
                },
            )
        } else if req.widget_id.is_some() || req.visitor_token.is_some() {
            self.authenticate_visitor(
                req.widget_id.as_deref(),
                req.visitor_token.as_deref(),
                req.origin.as_deref(),
                now,
            )
            .await?
        } else {
            return Err(ConnectError::MissingCredentials);
        };
        tracing::Span::current().record("tenant", tracing::field::display(&tenant));

        if let Principal::Operator {
            id: op,
            name,
            roles,
        } = &principal
        {
            self.directory
                .operator_connected(&tenant, op, name, roles, &id, now)
                .await?;
        }
        let connection = Connection {
            id,
            tenant,
            principal,
            connected_at: now,
            expires_at: now.plus_seconds(MAX_CONNECTION_SECONDS + CONNECTION_SLACK_SECONDS),
            conversation: None,
        };
        let connection = self.connections.register(&connection).await?;
        if matches!(connection.principal, Principal::Operator { .. }) {
            announce_capacity(&*self.assign, &*self.queue, &connection.tenant, now).await?;
        }
        tracing::info!("connected");
        Ok(connection)
    }

    async fn authenticate_visitor(
        &self,
        widget_id: Option<&str>,
        visitor_token: Option<&str>,
        origin: Option<&str>,
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
            .directory
            .widget(&widget_id)
            .await?
            .ok_or(ConnectError::UnknownWidget)?;
        if !widget.allows_origin(origin) {
            return Err(ConnectError::OriginNotAllowed);
        }
        let visitor = match claims {
            Some(c) if c.tenant != widget.tenant => return Err(ConnectError::TenantMismatch),
            Some(c) => c.sub,
            None => VisitorId::parse(self.ids.new_id("vis")).map_err(ConnectError::Id)?,
        };
        Ok((
            widget.tenant,
            Principal::Visitor {
                id: visitor,
                widget: widget.id,
                group: widget.group,
                entries: widget.entries,
            },
        ))
    }
}
