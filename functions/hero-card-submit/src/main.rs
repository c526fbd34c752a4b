use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let tokens = switchboard_aws::init_tokens(&aws).await?;
    let submitter = hero_card_submit::wire(&aws, tokens);
    let submitter = &submitter;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(hero_card_submit::handle(submitter, event.payload).await)
    }))
    .await
}
