//! The web clients' publisher against S3 on moto (started by `scripts/test`),
//! driven as CloudFormation drives it: Create uploads every file with the
//! stack's addresses filled in and answers SUCCESS at the ResponseURL,
//! Update replaces the same objects, Delete empties the bucket so the stack
//! can remove it.

use axum::extract::State;
use axum::routing::put;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use switchboard_tests::stores::moto_sdk_config;
use switchboard_web_assets::ASSETS;
use web_publish::s3::S3Bucket;
use web_publish::CustomResourceRequest;

/// CloudFormation's side: what was PUT to the response URL.
async fn response_url() -> (String, Arc<Mutex<Vec<Value>>>) {
    let answers = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new()
        .route(
            "/cfn",
            put(
                |State(seen): State<Arc<Mutex<Vec<Value>>>>, body: String| async move {
                    seen.lock()
                        .unwrap()
                        .push(serde_json::from_str(&body).unwrap());
                },
            ),
        )
        .with_state(answers.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cfn", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, answers)
}

fn request(kind: &str, response_url: &str, properties: Value) -> CustomResourceRequest {
    serde_json::from_value(json!({
        "RequestType": kind, "ResponseURL": response_url,
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/sb/1",
        "RequestId": format!("req-{kind}"), "LogicalResourceId": "WebSite",
        "PhysicalResourceId": if kind == "Create" { Value::Null } else { json!("WebSite-web") },
        "ResourceProperties": properties,
    }))
    .unwrap()
}

async fn object(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> (String, String, String) {
    let got = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{key}: {e}"));
    let content_type = got.content_type().unwrap_or_default().to_string();
    let cache = got.cache_control().unwrap_or_default().to_string();
    let body = got.body.collect().await.unwrap().into_bytes();
    (
        content_type,
        cache,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

async fn keys(s3: &aws_sdk_s3::Client, bucket: &str) -> Vec<String> {
    let listed = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_publisher_fills_the_site_bucket_and_empties_it_on_delete() {
    let sdk = moto_sdk_config().await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(true)
            .build(),
    );
    let bucket = format!("switchboard-web-{:016x}", rand::random::<u64>());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let site = S3Bucket::new(s3.clone(), bucket.clone());
    let http = reqwest::Client::new();
    let (url, answers) = response_url().await;
    let addresses = json!({
        "GatewayUrl": "wss://ws123.execute-api.eu-west-1.amazonaws.com/prod",
        "ApiUrl": "https://api123.execute-api.eu-west-1.amazonaws.com/",
    });

    for kind in ["Create", "Update"] {
        let create = request(kind, &url, addresses.clone());
        let outcome = web_publish::handle(&site, &create).await;
        web_publish::answer(&http, &create, &outcome).await.unwrap();
        let answered = answers.lock().unwrap().last().cloned().unwrap();
        assert_eq!(answered["Status"], "SUCCESS", "{answered}");
        assert_eq!(answered["PhysicalResourceId"], "WebSite-web");
        assert_eq!(answered["RequestId"], format!("req-{kind}"));
    }

    // Every asset, `console/` for the directory, and config.json; Update
    // replaced them rather than adding any.
    let stored = keys(&s3, &bucket).await;
    for asset in ASSETS {
        assert!(
            stored.iter().any(|k| k == asset.path),
            "{} missing",
            asset.path
        );
    }
    assert!(stored.iter().any(|k| k == "console/"));
    assert!(stored.iter().any(|k| k == "console/config.json"));
    let (kind, cache, widget) = object(&s3, &bucket, "widget.js").await;
    assert_eq!(
        (kind.as_str(), cache.as_str()),
        ("text/javascript; charset=utf-8", "no-cache")
    );
    assert!(widget.contains("wss://ws123.execute-api.eu-west-1.amazonaws.com/prod"));
    assert!(!widget.contains("__SWITCHBOARD_"), "a placeholder was left");
    let (kind, _, config) = object(&s3, &bucket, "console/config.json").await;
    assert_eq!(kind, "application/json");
    assert_eq!(
        serde_json::from_str::<Value>(&config).unwrap(),
        json!({"apiUrl": "https://api123.execute-api.eu-west-1.amazonaws.com",
               "gatewayUrl": "wss://ws123.execute-api.eu-west-1.amazonaws.com/prod"})
    );
    let (kind, _, index) = object(&s3, &bucket, "console/").await;
    assert!(
        kind.starts_with("text/html") && index.contains("<script"),
        "{kind}"
    );

    // A missing address fails the resource with the reason.
    let bad = request("Update", &url, json!({"GatewayUrl": "wss://x"}));
    let outcome = web_publish::handle(&site, &bad).await;
    web_publish::answer(&http, &bad, &outcome).await.unwrap();
    let answered = answers.lock().unwrap().last().cloned().unwrap();
    assert_eq!(answered["Status"], "FAILED");
    assert!(answered["Reason"].as_str().unwrap().contains("ApiUrl"));

    let delete = request("Delete", &url, addresses);
    let outcome = web_publish::handle(&site, &delete).await;
    web_publish::answer(&http, &delete, &outcome).await.unwrap();
    assert_eq!(answers.lock().unwrap().last().unwrap()["Status"], "SUCCESS");
    assert_eq!(keys(&s3, &bucket).await, Vec::<String>::new());
    // Empty, so the stack can remove it.
    s3.delete_bucket().bucket(&bucket).send().await.unwrap();
}
