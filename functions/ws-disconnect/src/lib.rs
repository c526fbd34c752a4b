//! `$disconnect`: forgets the connection. API Gateway may never send it (it is
//! best effort), so connection records also expire and pushes clean up gone ones.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use switchboard_app::{Adapters, Departures};
use switchboard_aws::lambda::{connection_id, response};

/// The ports `$disconnect` uses: the connection registry, operators'
/// presence, and the buses that hear an operator went offline.
pub fn wire(adapters: &dyn Adapters) -> Departures {
    Departures::build(adapters)
}

pub async fn handle(
    departures: &Departures,
    event: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    match departures
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
