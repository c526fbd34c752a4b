use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let sender = channel_sender::wire(
        &aws,
        switchboard_aws::init_channels_config()?,
        switchboard_aws::init_http()?,
        switchboard_app::RetryPolicy::default(),
    );
    let sender = &sender;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(channel_sender::handle(sender, event.payload).await)
    }))
    .await
}
