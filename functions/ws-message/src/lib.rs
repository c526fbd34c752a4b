//! Every frame after `$connect` (the `$default` route): dispatches on `action`.
//! Answers and errors reach the client as pushed events, so the HTTP status here
//! only tells API Gateway and the logs whether the invocation itself went well.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use std::sync::Arc;
use switchboard_app::auth::TokenService;
use switchboard_app::channels::ChannelsConfig;
use switchboard_app::ports::HttpTransport;
use switchboard_app::{Adapters, Frames};
use switchboard_aws::lambda::{connection_id, response};

/// The ports the actions use: every store but delivery, the waiting-queue bus,
/// the outbound channel bus and push; and the channel accounts and HTTP for
/// reading WhatsApp templates from the Graph API (`template.sync`).
pub fn wire(
    adapters: &dyn Adapters,
    tokens: TokenService,
    channels: Arc<ChannelsConfig>,
    http: Arc<dyn HttpTransport>,
) -> Frames {
    let channels = switchboard_app::channels::ChannelsSource::build(adapters, channels);
    Frames::build(adapters, tokens).with_template_source(channels, http)
}

pub async fn handle(
    frames: &Frames,
    event: ApiGatewayWebsocketProxyRequest,
) -> ApiGatewayProxyResponse {
    let connection = connection_id(&event).unwrap_or_default();
    let body = event.body.as_deref().unwrap_or_default();
    match frames.handle_frame(connection, body).await {
        Ok(()) => response(200, "ok"),
        Err(_) => response(500, "internal error"),
    }
}
