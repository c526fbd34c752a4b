//! Every frame after `$connect` (the `$default` route): dispatches on `action`.
//! Answers and errors reach the client as pushed events, so the HTTP status here
//! only tells API Gateway and the logs whether the invocation itself went well.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::App;
use switchboard_aws::lambda::{connection_id, response};

pub async fn handle(app: &App, event: ApiGatewayWebsocketProxyRequest) -> ApiGatewayProxyResponse {
    let connection = connection_id(&event).unwrap_or_default();
    let body = event.body.as_deref().unwrap_or_default();
    match app.handle_frame(connection, body).await {
        Ok(()) => response(200, "ok"),
        Err(_) => response(500, "internal error"),
    }
}
