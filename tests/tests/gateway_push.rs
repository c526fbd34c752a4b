//! The local stack pushes to its sockets in-process, so this keeps the API
//! Gateway push adapter (what the functions use on AWS) honest against the
//! gateway's `@connections` API: a push reaches the socket, an unknown
//! connection is Gone, and a payload over 128 KB is refused as too large.

use serde_json::json;
use switchboard_app::ports::{ConnectionRegistry, PrincipalRef, Push, PushError};
use switchboard_aws::ApiGatewayPush;
use switchboard_domain::{ConnectionId, Timestamp, VisitorId};
use switchboard_tests::local;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_gateway_push_adapter_works_against_the_gateways_connections_api() {
    let dir = tempfile::tempdir().unwrap();
    let stack = local::start(dir.path()).await;
    let (mut visitor, _) = local::visitor(&stack).await;
    let welcome = visitor.request(json!({"action": "hello"}), "again").await;
    let id = VisitorId::parse(welcome["visitorId"].as_str().unwrap()).unwrap();
    let tabs = stack
        .store
        .principal_connections(&stack.seed.tenant, &PrincipalRef::Visitor(id), Timestamp(0))
        .await
        .unwrap();
    assert_eq!(tabs.len(), 1);

    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(switchboard_aws::sdk_http_client())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "local", "local", None, None, "test",
        ))
        .load()
        .await;
    let push = ApiGatewayPush::new(&sdk, &stack.callback_url());

    let event = json!({"event": "pong", "requestId": "through-connections"});
    push.send(&tabs[0].id, event.to_string().as_bytes())
        .await
        .unwrap();
    let got = visitor.expect("pong").await;
    assert_eq!(got["requestId"], "through-connections");

    let nobody = ConnectionId::parse("nobody-here=").unwrap();
    assert!(matches!(
        push.send(&nobody, b"{}").await,
        Err(PushError::Gone)
    ));
    let huge = vec![b'x'; 129 * 1024];
    assert!(matches!(
        push.send(&tabs[0].id, &huge).await,
        Err(PushError::TooLarge)
    ));
    stack.stop().await;
}
