use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let tokens = switchboard_aws::init_tokens(&aws).await?;
    let frames = ws_message::wire(
        &aws,
        tokens,
        switchboard_aws::init_channels_config()?,
        switchboard_aws::init_http()?,
    );
    let frames = &frames;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
            Ok::<_, Error>(ws_message::handle(frames, event.payload).await)
        },
    ))
    .await
}
