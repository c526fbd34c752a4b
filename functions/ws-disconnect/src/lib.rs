//! `$disconnect`: forgets the connection. API Gateway may never send it (it is
//! best effort), so connection records also expire and pushes clean up gone ones.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::App;
use switchboard_aws::lambda::{connection_id, response};

pub async fn handle(app: &App, event: ApiGatewayWebsocketProxyRequest) -> ApiGatewayProxyResponse {
    match app
        .disconnect(connection_id(&event).unwrap_or_default())
        .await
    {
        Ok(()) => response(200, "disconnected"),
        Err(err) => {
            tracing::error!(error = %err, "disconnect failed");
            response(500, "internal error")
        }
    }
}
