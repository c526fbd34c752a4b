//! `$connect`: authenticates the caller and registers the connection. A refusal
//! is an HTTP status, which API Gateway turns into a rejected upgrade.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::auth::TokenService;
use switchboard_app::{Adapters, Connector};
use switchboard_aws::lambda::{connect_request, response};

/// The ports `$connect` uses: the directory and the connection registry.
pub fn wire(adapters: &dyn Adapters, tokens: TokenService) -> Connector {
    Connector::build(adapters, tokens)
}

pub async fn handle(
    connector: &Connector,
    event: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    match connector.connect(connect_request(&event)).await {
        Ok(_) => response(200, "connected"),
        Err(err) => {
            let status = err.status();
            if status >= 500 {
                tracing::error!(error = %switchboard_app::error::chain(&err), "connect failed");
            } else {
                tracing::info!(status, reason = %err, "connect refused");
            }
            response(status, &err.to_string())
        }
    }
}
