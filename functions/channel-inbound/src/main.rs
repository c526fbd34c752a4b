use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    // Links to card forms are signed; without a public URL none are sent.
    let links = match aws.config().public_http_url.clone() {
        Some(url) => Some((switchboard_aws::init_tokens(&aws).await?, url)),
        None => None,
    };
    let ingest = channel_inbound::wire(
        &aws,
        switchboard_aws::init_channels_config()?,
        switchboard_aws::init_http()?,
        links,
    );
    let ingest = &ingest;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(channel_inbound::handle(ingest, event.payload).await)
    }))
    .await
}
