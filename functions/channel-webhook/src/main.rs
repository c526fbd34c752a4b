use lambda_http::{service_fn, Error, Request};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let webhook = channel_webhook::wire(&aws, switchboard_aws::init_channels_config()?);
    let webhook = &webhook;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Error>(channel_webhook::handle(webhook, request).await)
    }))
    .await
}
