use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let gateway = switchboard_aws::init_channels().await?;
    let gateway = &gateway;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(channel_sender::handle(gateway, event.payload).await)
    }))
    .await
}
