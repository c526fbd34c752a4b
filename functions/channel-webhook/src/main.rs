use lambda_http::{service_fn, Error, Request};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let gateway = switchboard_aws::init_channels().await?;
    let gateway = &gateway;
    lambda_http::run(service_fn(move |request: Request| async move {
        Ok::<_, Error>(channel_webhook::handle(gateway, request).await)
    }))
    .await
}
