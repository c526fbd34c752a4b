use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let ingest = channel_inbound::wire(
        &aws,
        switchboard_aws::init_channels_config()?,
        switchboard_aws::init_http()?,
        aws.config()
            .public_http_url
            .clone()
            .map(|url| (aws.config().tokens.clone(), url)),
    );
    let ingest = &ingest;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(channel_inbound::handle(ingest, event.payload).await)
    }))
    .await
}
