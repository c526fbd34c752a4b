//! `$connect`: authenticates the caller and registers the connection. A refusal
//! is an HTTP status, which API Gateway turns into a rejected upgrade.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::App;
use switchboard_aws::lambda::{connect_request, response};

pub async fn handle(app: &App, event: ApiGatewayWebsocketProxyRequest) -> ApiGatewayProxyResponse {
    match app.connect(connect_request(&event)).await {
        Ok(_) => response(200, "connected"),
        Err(err) => {
            let status = err.status();
            if status >= 500 {
                tracing::error!(error = %err, "connect failed");
            } else {
                tracing::info!(status, reason = %err, "connect refused");
            }
            response(status, &err.to_string())
        }
    }
}
