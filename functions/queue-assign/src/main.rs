use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = switchboard_aws::init().await?;
    let assigner = queue_assign::wire(&aws);
    let assigner = &assigner;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(queue_assign::handle(assigner, event.payload).await?)
    }))
    .await
}
