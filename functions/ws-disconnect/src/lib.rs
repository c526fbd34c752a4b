//! `$disconnect`: forgets the connection. API Gateway may never send it (it is
//! best effort), so connection records also expire and pushes clean up gone ones.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::{Adapters, Presence};
use switchboard_aws::lambda::{connection_id, response};

/// The ports `$disconnect` uses: the connection registry and operators' presence.
pub fn wire(adapters: &dyn Adapters) -> Presence {
    Presence::build(adapters)
}

pub async fn handle(
    presence: &Presence,
    event: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    match presence
        .disconnect(connection_id(&event).unwrap_or_default())
        .await
    {
        Ok(()) => response(200, "disconnected"),
        Err(err) => {
            tracing::error!(error = %switchboard_app::error::chain(&err), "disconnect failed");
            response(500, "internal error")
        }
    }
}
