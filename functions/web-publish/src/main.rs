use lambda_runtime::{service_fn, Error, LambdaEvent};
use web_publish::{s3::S3Bucket, CustomResourceRequest};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let bucket_name = std::env::var("SITE_BUCKET").map_err(|_| {
        tracing::error!(
            "SITE_BUCKET is required: the bucket CloudFront serves the web clients from"
        );
        Error::from("SITE_BUCKET is not set")
    })?;
    let sdk = switchboard_aws::sdk_config().await;
    let bucket = S3Bucket::new(aws_sdk_s3::Client::new(&sdk), bucket_name);
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let (bucket, http) = (&bucket, &http);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<CustomResourceRequest>| async move {
            let outcome = web_publish::handle(bucket, &event.payload).await;
            web_publish::answer(http, &event.payload, &outcome).await?;
            Ok::<_, Error>(())
        },
    ))
    .await
}
