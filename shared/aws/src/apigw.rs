//! Pushes through the API Gateway Management API (`POST @connections/{id}`),
//! and closes with `DELETE @connections/{id}`.

use async_trait::async_trait;
use aws_sdk_apigatewaymanagement::operation::delete_connection::DeleteConnectionError;
use aws_sdk_apigatewaymanagement::operation::post_to_connection::PostToConnectionError;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use aws_sdk_apigatewaymanagement::Client;
use switchboard_app::ports::{Push, PushError};
use switchboard_domain::ConnectionId;

#[derive(Clone, Debug)]
pub struct ApiGatewayPush {
    client: Client,
}

impl ApiGatewayPush {
    /// `endpoint` is the stage's callback URL, `https://{api}.execute-api.{region}.amazonaws.com/{stage}`.
    pub fn new(sdk: &aws_config::SdkConfig, endpoint: &str) -> Self {
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(sdk)
            .endpoint_url(endpoint)
            .build();
        Self {
            client: Client::from_conf(config),
        }
    }
}

#[async_trait]
impl Push for ApiGatewayPush {
    async fn send(&self, connection: &ConnectionId, payload: &[u8]) -> Result<(), PushError> {
        match self
            .client
            .post_to_connection()
            .connection_id(connection.as_str())
            .data(Blob::new(payload))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) => match err.as_service_error() {
                Some(PostToConnectionError::GoneException(_)) => Err(PushError::Gone),
                Some(PostToConnectionError::PayloadTooLargeException(_)) => {
                    Err(PushError::TooLarge)
                }
                _ => Err(PushError::Failed(Box::new(err))),
            },
        }
    }

    async fn close(&self, connection: &ConnectionId) -> Result<(), PushError> {
        match self
            .client
            .delete_connection()
            .connection_id(connection.as_str())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(err) => match err.as_service_error() {
                Some(DeleteConnectionError::GoneException(_)) => Ok(()),
                _ => Err(PushError::Failed(Box::new(err))),
            },
        }
    }
}
