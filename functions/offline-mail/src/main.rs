use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    if aws.config().mail_from.is_none() {
        tracing::error!("MAIL_FROM is required: the SES identity mail is sent from");
        return Err("MAIL_FROM is not set".into());
    }
    let mail = offline_mail::wire(&aws);
    let mail = &mail;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(offline_mail::handle(mail, event.payload).await)
    }))
    .await
}
