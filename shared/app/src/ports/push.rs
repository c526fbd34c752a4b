//! Pushing frames to WebSocket connections.

use async_trait::async_trait;
use switchboard_domain::ConnectionId;

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("connection is gone")]
    Gone,
    #[error("payload exceeds the gateway's message limit")]
    TooLarge,
    #[error("push failed")]
    Failed(#[source] super::BoxError),
}

/// Sends a frame to one WebSocket connection (API Gateway `@connections` on AWS).
#[async_trait]
pub trait Push: Send + Sync {
    async fn send(&self, connection: &ConnectionId, payload: &[u8]) -> Result<(), PushError>;
    /// Closes the connection from the server's side (`DELETE @connections`),
    /// for a socket the server has given up on; the gateway then runs
    /// `$disconnect`. A connection already gone is no error.
    async fn close(&self, connection: &ConnectionId) -> Result<(), PushError>;
}
