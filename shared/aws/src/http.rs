//! The HTTP transport for channel providers' APIs (reqwest with rustls).

use async_trait::async_trait;
use std::time::Duration;
use switchboard_app::ports::{HttpCall, HttpReply, HttpTransport, TransportError};

#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Built once per execution environment; connections are pooled across invocations.
    pub fn new(timeout: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| TransportError(Box::new(e)))?;
        Ok(Self { client })
    }
}

#[async_trait]
impl HttpTransport for ReqwestTransport {
    async fn execute(&self, call: HttpCall) -> Result<HttpReply, TransportError> {
        let method = reqwest::Method::from_bytes(call.method.as_bytes())
            .map_err(|e| TransportError(Box::new(e)))?;
        let mut request = self.client.request(method, &call.url).body(call.body);
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        let response = request
            .send()
            .await
            .map_err(|e| TransportError(Box::new(e.without_url())))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| TransportError(Box::new(e.without_url())))?;
        Ok(HttpReply {
            status,
            body: body.to_vec(),
        })
    }
}
