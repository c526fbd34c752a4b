//! The web clients' deployment: a CloudFormation custom resource that, on
//! create and update, uploads the console, the widget and the demo page to
//! the site bucket (CloudFront serves it) with the stack's addresses filled
//! in, and on delete empties the bucket so the stack can remove it.
//!
//! The bytes are `switchboard_web_assets`: the same the local stack serves.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_web_assets::{Endpoints, ASSETS, HTML};

pub mod s3;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("writing {key}: {source}")]
    Put {
        key: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("emptying the bucket: {0}")]
    Empty(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("resource property {0} is missing")]
    Missing(&'static str),
}

/// Where the site's files go: one concern, so the handler is tested without S3.
#[async_trait]
pub trait SiteBucket: Send + Sync {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), PublishError>;
    /// Deletes every object; what a stack's delete needs before the bucket goes.
    async fn empty(&self) -> Result<(), PublishError>;
}

/// The request CloudFormation sends a custom resource (the fields we use).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomResourceRequest {
    pub request_type: String,
    #[serde(rename = "ResponseURL")]
    pub response_url: String,
    pub stack_id: String,
    pub request_id: String,
    pub logical_resource_id: String,
    #[serde(default)]
    pub physical_resource_id: Option<String>,
    #[serde(default)]
    pub resource_properties: Value,
}

/// Uploads every asset, then the console's `config.json`. Each object is
/// replaced whole, so a retried publish is the same publish.
pub async fn publish(
    bucket: &dyn SiteBucket,
    endpoints: &Endpoints,
) -> Result<usize, PublishError> {
    let mut written = 0;
    for asset in ASSETS {
        let bytes = asset.bytes_for(endpoints).into_owned();
        bucket
            .put(asset.path, bytes.clone(), asset.content_type)
            .await?;
        written += 1;
        // S3 has no directory index: `/console/` is served as the object
        // named `console/`.
        if let Some(dir) = asset.path.strip_suffix("index.html") {
            if asset.content_type == HTML {
                bucket.put(dir, bytes, HTML).await?;
                written += 1;
            }
        }
    }
    bucket
        .put(
            "console/config.json",
            endpoints.console_config().into_bytes(),
            "application/json",
        )
        .await?;
    Ok(written + 1)
}

fn endpoints(properties: &Value) -> Result<Endpoints, PublishError> {
    let get = |name: &'static str| {
        properties[name]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_end_matches('/').to_string())
            .ok_or(PublishError::Missing(name))
    };
    Ok(Endpoints {
        gateway_url: get("GatewayUrl")?,
        api_url: get("ApiUrl")?,
    })
}

/// What to answer CloudFormation for this request. A failure is answered
/// too (FAILED with the reason), or the stack would wait an hour for it.
#[tracing::instrument(skip_all, fields(request = %request.request_type))]
pub async fn handle(bucket: &dyn SiteBucket, request: &CustomResourceRequest) -> Value {
    let outcome = match request.request_type.as_str() {
        "Create" | "Update" => match endpoints(&request.resource_properties) {
            Ok(endpoints) => publish(bucket, &endpoints).await.map(|n| {
                tracing::info!(objects = n, "published the web clients");
            }),
            Err(e) => Err(e),
        },
        _ => bucket.empty().await,
    };
    let physical = request
        .physical_resource_id
        .clone()
        .unwrap_or_else(|| format!("{}-web", request.logical_resource_id));
    let (status, reason) = match outcome {
        Ok(()) => ("SUCCESS", String::new()),
        Err(e) => {
            tracing::error!(error = %e, "publishing failed");
            ("FAILED", e.to_string())
        }
    };
    json!({
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": physical,
        "StackId": request.stack_id,
        "RequestId": request.request_id,
        "LogicalResourceId": request.logical_resource_id,
    })
}

/// Tells CloudFormation the outcome: it learns it only from this PUT to the
/// pre-signed `ResponseURL` (sent without a content type, which the URL was
/// not signed with).
pub async fn answer(
    http: &reqwest::Client,
    request: &CustomResourceRequest,
    answer: &Value,
) -> Result<(), reqwest::Error> {
    http.put(&request.response_url)
        .body(answer.to_string())
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    #[derive(Default)]
    struct MemoryBucket(Mutex<BTreeMap<String, (Vec<u8>, String)>>);

    #[async_trait]
    impl SiteBucket for MemoryBucket {
        async fn put(
            &self,
            key: &str,
            bytes: Vec<u8>,
            content_type: &str,
        ) -> Result<(), PublishError> {
            let mut files = self.0.lock().map_err(|_| PublishError::Missing("lock"))?;
            files.insert(key.to_string(), (bytes, content_type.to_string()));
            Ok(())
        }
        async fn empty(&self) -> Result<(), PublishError> {
            self.0
                .lock()
                .map_err(|_| PublishError::Missing("lock"))?
                .clear();
            Ok(())
        }
    }

    fn request(kind: &str, properties: Value) -> CustomResourceRequest {
        serde_json::from_value(json!({
            "RequestType": kind, "ResponseURL": "https://cfn.example/response",
            "StackId": "arn:stack", "RequestId": "r-1", "LogicalResourceId": "WebSite",
            "ResourceProperties": properties
        }))
        .expect("request")
    }

    #[tokio::test]
    async fn create_uploads_the_clients_with_the_stacks_addresses() {
        let bucket = MemoryBucket::default();
        let answer = handle(
            &bucket,
            &request("Create", json!({"GatewayUrl": "wss://ws.example/prod", "ApiUrl": "https://d1.cloudfront.net/"})),
        )
        .await;
        assert_eq!(answer["Status"], "SUCCESS", "{answer}");
        let files = bucket.0.lock().expect("lock");
        for key in [
            "widget.js",
            "console/",
            "console/index.html",
            "console/app.js",
            "demo/",
            "console/config.json",
        ] {
            assert!(files.contains_key(key), "{key} missing");
        }
        let (config, kind) = &files["console/config.json"];
        assert_eq!(kind, "application/json");
        assert_eq!(
            String::from_utf8_lossy(config),
            r#"{"apiUrl":"https://d1.cloudfront.net","gatewayUrl":"wss://ws.example/prod"}"#
        );
        assert!(String::from_utf8_lossy(&files["widget.js"].0).contains("wss://ws.example/prod"));
        assert_eq!(files["console/"].1, HTML);
    }

    #[tokio::test]
    async fn a_missing_address_fails_the_resource_with_the_reason() {
        let bucket = MemoryBucket::default();
        let answer = handle(
            &bucket,
            &request("Create", json!({"GatewayUrl": "wss://ws.example/prod"})),
        )
        .await;
        assert_eq!(answer["Status"], "FAILED");
        assert_eq!(answer["Reason"], "resource property ApiUrl is missing");
        assert!(bucket.0.lock().expect("lock").is_empty());
    }

    #[tokio::test]
    async fn delete_empties_the_bucket() {
        let bucket = MemoryBucket::default();
        handle(
            &bucket,
            &request(
                "Create",
                json!({"GatewayUrl": "wss://a", "ApiUrl": "https://b"}),
            ),
        )
        .await;
        let answer = handle(&bucket, &request("Delete", json!({}))).await;
        assert_eq!(answer["Status"], "SUCCESS");
        assert!(bucket.0.lock().expect("lock").is_empty());
    }
}
