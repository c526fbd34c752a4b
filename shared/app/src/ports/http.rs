//! Requests to channel providers' APIs.

use async_trait::async_trait;

/// One HTTP request to a channel provider's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
#[error("request did not complete")]
pub struct TransportError(#[source] pub super::BoxError);

/// Sends requests to channel providers (reqwest on Lambda and locally).
#[async_trait]
pub trait HttpTransport: Send + Sync {
    async fn execute(&self, call: HttpCall) -> Result<HttpReply, TransportError>;
}
