//! Pushing events to connections. A connection the gateway reports gone is
//! forgotten on the spot (the target's record, never the sender's).

use crate::error::ActionError;
use crate::ports::{Connection, PrincipalRef, PushError};
use crate::protocol::Envelope;
use crate::service::{App, Caller};
use crate::views::Event;
use switchboard_domain::{ConnectionId, TenantId};

impl App {
    /// Sends to one connection. Gone is handled here and reported as delivered-to-nobody.
    pub(crate) async fn push_event(
        &self,
        connection: &ConnectionId,
        event: &Event,
        request_id: Option<&str>,
    ) -> Result<(), ActionError> {
        let payload = serde_json::to_vec(&Envelope { event, request_id })
            .map_err(|e| PushError::Failed(format!("encode: {e}")))?;
        match self.push.send(connection, &payload).await {
            Ok(()) => Ok(()),
            Err(PushError::Gone) => {
                tracing::info!(connection = %connection, "connection gone, removing it");
                self.forget_connection(connection).await
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Answers the caller.
    pub(crate) async fn reply(&self, caller: &Caller, event: &Event) -> Result<(), ActionError> {
        self.push_event(&caller.connection.id, event, caller.request_id.as_deref())
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
            .map(|c| {
                let request_id = audience
                    .caller
                    .filter(|caller| caller.connection.id == c.id)
                    .and_then(|caller| caller.request_id.as_deref());
                self.push_event(&c.id, event, request_id)
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
            .store
            .principal_connections(tenant, principal, self.now())
            .await?;
        self.push_all(&connections, event, audience).await
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
