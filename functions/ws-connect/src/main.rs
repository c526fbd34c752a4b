use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let tokens = switchboard_aws::init_tokens(&aws).await?;
    let connector = ws_connect::wire(&aws, tokens);
    let connector = &connector;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
            Ok::<_, Error>(ws_connect::handle(connector, event.payload).await)
        },
    ))
    .await
}
