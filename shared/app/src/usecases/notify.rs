//! Pushing events to connections, and who sees what. A connection the gateway
//! reports gone is forgotten on the spot (the target's record, never the
//! sender's).

use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{
    Clock, Connection, ConnectionRegistry, DirectoryStore, Principal, Push, PushError,
};
use crate::protocol::Envelope;
use crate::views::{Event, Side};
use std::borrow::Cow;
use std::sync::Arc;
use switchboard_domain::{
    ConnectionId, Conversation, ConversationStatus, GroupId, OperatorId, OperatorStatus, Role,
    TenantId, WidgetEntry,
};

/// Connections and operators' presence: what `$disconnect` forgets, and what
/// a push that finds a connection gone needs to clean up after it.
#[derive(Clone)]
pub struct Presence {
    pub connections: Arc<dyn ConnectionRegistry>,
    pub directory: Arc<dyn DirectoryStore>,
    /// When an operator's last tab closed, for their status log.
    pub clock: Arc<dyn Clock>,
}

impl Presence {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Presence {
            connections: adapters.connections(),
            directory: adapters.directory(),
            clock: adapters.clock(),
        }
    }

    /// Removes the connection's record and what follows from it; None if
    /// there was no record.
    pub(crate) async fn forget_connection(
        &self,
        id: &ConnectionId,
    ) -> Result<Option<Departed>, ActionError> {
        let Some(conn) = self.connections.remove_connection(id).await? else {
            return Ok(None);
        };
        let mut operator_offline = false;
        if let Principal::Operator { id: op, .. } = &conn.principal {
            let after = self
                .directory
                .operator_disconnected(&conn.tenant, op, &conn.id, self.clock.now())
                .await?;
            operator_offline = after.is_some_and(|o| o.status == OperatorStatus::Offline);
        }
        tracing::info!(connection = %conn.id, tenant = %conn.tenant, "disconnected");
        Ok(Some(Departed {
            tenant: conn.tenant,
            operator_offline,
        }))
    }

    /// A push found the connection gone: forget it, and where its record
    /// went first, what still lists it.
    async fn forget_gone(&self, gone: &Gone<'_>) -> Result<(), ActionError> {
        if self.forget_connection(gone.id).await?.is_none() {
            self.connections
                .forget_gone(gone.tenant, gone.id, gone.conversation)
                .await?;
        }
        Ok(())
    }
}

/// A connection forgotten: whose it was, and whether it was an operator's
/// last (taking them offline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Departed {
    pub tenant: TenantId,
    pub operator_offline: bool,
}

/// Where a connection a push found gone was listed.
struct Gone<'a> {
    id: &'a ConnectionId,
    tenant: &'a TenantId,
    conversation: Option<&'a Conversation>,
}

/// One connection an event goes to, and whether it is a visitor's (who are
/// shown less).
#[derive(Clone, Copy)]
pub(crate) struct Recipient<'a> {
    pub id: &'a ConnectionId,
    pub visitor: bool,
}

impl<'a> Recipient<'a> {
    pub fn of(connection: &'a Connection) -> Self {
        Recipient {
            id: &connection.id,
            visitor: matches!(connection.principal, Principal::Visitor { .. }),
        }
    }

    pub fn operator(id: &'a ConnectionId) -> Self {
        Recipient { id, visitor: false }
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
            Principal::Visitor { id, widget, .. } => Ok((id, widget)),
            Principal::Operator { .. } => Err(ActionError::Forbidden("visitors")),
        }
    }
}

impl Caller {
    /// The group a visitor's new conversation waits in: their widget's, as
    /// it was routed when they connected.
    pub(crate) fn visitor_group(&self) -> GroupId {
        match &self.connection.principal {
            Principal::Visitor {
                group: Some(group), ..
            } => group.clone(),
            _ => GroupId::default_group(),
        }
    }

    /// What the visitor's widget offered when they connected.
    pub(crate) fn visitor_entries(&self) -> &[WidgetEntry] {
        match &self.connection.principal {
            Principal::Visitor { entries, .. } => entries,
            Principal::Operator { .. } => &[],
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
    async fn push_event(
        &self,
        to: &Gone<'_>,
        event: &Event,
        request_id: Option<&str>,
    ) -> Result<(), ActionError> {
        let payload = serde_json::to_vec(&Envelope { event, request_id })
            .map_err(|e| ActionError::Encode(e.to_string()))?;
        match self.push.send(to.id, &payload).await {
            Ok(()) => Ok(()),
            Err(PushError::Gone) => {
                tracing::info!(connection = %to.id, "connection gone, removing it");
                self.presence.forget_gone(to).await
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Who may see what, applied here and nowhere else: an event bound for
    /// a visitor's connection loses its operators-only items, or is not sent.
    fn visible_to<'e>(recipient: Recipient<'_>, event: &'e Event) -> Option<Cow<'e, Event>> {
        if recipient.visitor {
            event.for_visitor()
        } else {
            Some(Cow::Borrowed(event))
        }
    }

    /// Answers the caller.
    pub(crate) async fn reply(&self, caller: &Caller, event: &Event) -> Result<(), ActionError> {
        let Some(event) = Self::visible_to(Recipient::of(&caller.connection), event) else {
            return Ok(());
        };
        let to = Gone {
            id: &caller.connection.id,
            tenant: &caller.connection.tenant,
            conversation: None,
        };
        self.push_event(&to, &event, caller.request_id.as_deref())
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
    /// `conversation` is what the recipients were listed under, if anything.
    pub(crate) async fn push_many(
        &self,
        tenant: &TenantId,
        conversation: Option<&Conversation>,
        recipients: impl IntoIterator<Item = Recipient<'_>>,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let sends = recipients
            .into_iter()
            .filter(|r| Some(r.id) != audience.skip)
            .filter_map(|r| Some((r, Self::visible_to(r, event)?)))
            .map(|(r, event)| async move {
                let request_id = audience
                    .caller
                    .filter(|caller| &caller.connection.id == r.id)
                    .and_then(|caller| caller.request_id.as_deref());
                let to = Gone {
                    id: r.id,
                    tenant,
                    conversation,
                };
                self.push_event(&to, &event, request_id).await
            });
        futures::future::join_all(sends)
            .await
            .into_iter()
            .collect::<Result<Vec<()>, _>>()
            .map(|_| ())
    }

    pub(crate) async fn push_all(
        &self,
        tenant: &TenantId,
        connections: &[Connection],
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        self.push_many(
            tenant,
            None,
            connections.iter().map(Recipient::of),
            event,
            audience,
        )
        .await
    }

    /// The client's tabs and, while it is assigned, the operator's: the
    /// conversation's watchers, as the store read them with it.
    pub(crate) async fn push_to_participants(
        &self,
        conversation: &Conversation,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        let recipients =
            side_of(conversation, Side::Visitor).chain(side_of(conversation, Side::Operator));
        self.push_many(
            &conversation.tenant,
            Some(conversation),
            recipients,
            event,
            audience,
        )
        .await
    }

    /// One side of a conversation: its client's tabs, or its operator's.
    pub(crate) async fn push_to_side(
        &self,
        conversation: &Conversation,
        side: Side,
        event: &Event,
        audience: Audience<'_>,
    ) -> Result<(), ActionError> {
        self.push_many(
            &conversation.tenant,
            Some(conversation),
            side_of(conversation, side),
            event,
            audience,
        )
        .await
    }
}

/// One side's watchers: the client's tabs, or while the conversation is
/// assigned, its operator's.
fn side_of(conversation: &Conversation, side: Side) -> impl Iterator<Item = Recipient<'_>> {
    let (ids, visitor) = match side {
        Side::Visitor => (conversation.watchers.visitor.as_slice(), true),
        Side::Operator if conversation.status == ConversationStatus::Active => {
            (conversation.watchers.operator.as_slice(), false)
        }
        Side::Operator => (&[][..], false),
    };
    ids.iter().map(move |id| Recipient { id, visitor })
}
