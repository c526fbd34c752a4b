//! Translating between Lambda events and the use cases, shared by the functions
//! and by the local gateway that invokes the same handlers.

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use std::future::Future;
use switchboard_app::ConnectRequest;
use tracing::Instrument;

pub fn response(status: u16, body: &str) -> ApiGatewayProxyResponse {
    let mut r = ApiGatewayProxyResponse::default();
    r.status_code = i64::from(status);
    r.body = Some(Body::Text(body.to_string()));
    r
}

pub fn connection_id(event: &ApiGatewayWebsocketProxyRequest) -> Option<&str> {
    event.request_context.connection_id.as_deref()
}

/// What `$connect` needs from the upgrade request: browsers cannot set headers on
/// a WebSocket, so credentials come as query parameters; the browser's own
/// `Origin` header says which site opened it.
pub fn connect_request(event: &ApiGatewayWebsocketProxyRequest) -> ConnectRequest {
    let q = |k: &str| event.query_string_parameters.first(k).map(str::to_string);
    ConnectRequest {
        connection_id: connection_id(event).unwrap_or_default().to_string(),
        token: q("token"),
        tenant: q("tenant"),
        widget_id: q("widgetId"),
        visitor_token: q("visitorToken"),
        origin: event
            .headers
            .get("origin")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// One SQS record as a consumer needs it.
#[derive(Debug, Clone)]
pub struct Record {
    pub body: String,
    /// 1 on first delivery.
    pub receive_count: u32,
}

/// Processes an SQS batch from a FIFO queue: records run in order, and after the
/// first failure the rest of the batch is reported failed unprocessed, because
/// handling them would break the order within their message group.
pub async fn process_in_order<F, Fut, E>(event: SqsEvent, mut handle: F) -> SqsBatchResponse
where
    F: FnMut(Record) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::error::Error + 'static,
{
    let mut failures = Vec::new();
    let mut failed = false;
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        if failed {
            failures.push(id);
            continue;
        }
        let receive_count = record
            .attributes
            .get("ApproximateReceiveCount")
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        let body = record.body.unwrap_or_default();
        // One span per record, so everything its use case logs names it.
        let span = tracing::info_span!("sqs_record", message_id = %id, receive_count);
        if let Err(e) = handle(Record {
            body,
            receive_count,
        })
        .instrument(span.clone())
        .await
        {
            span.in_scope(
                || tracing::error!(error = %switchboard_app::error::chain(&e), "record failed"),
            );
            failed = true;
            failures.push(id);
        }
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures
        .into_iter()
        .map(|id| {
            let mut f = BatchItemFailure::default();
            f.item_identifier = id;
            f
        })
        .collect();
    response
}
