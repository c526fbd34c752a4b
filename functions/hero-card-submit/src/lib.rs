//! The hero-card-submit function: applies answers to sent cards.
//! - From the widget: `POST /cards/{instanceId}/submit` on the HTTP API,
//!   authenticated by the visitor token (`Authorization: Bearer …`), with
//!   `{"outcome": "confirmed" | "cancelled", "values": {…}}`.
//! - From channel replies: `CardSubmission`s the inbound function queues,
//!   as an SQS batch with per-record failures.
//!
//! Either way the store lets one answer win, so a repeated or racing
//! submission changes nothing and notifies nobody twice.

pub mod form;

use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde_json::{json, Value};
use switchboard_app::auth::TokenService;
use switchboard_app::protocol::{parse_fields, ProtocolError, SubmitCard};
use switchboard_app::{ActionError, Adapters, Answerer, CardAnswers};
use switchboard_domain::cards::CardSubmission;

/// The largest answer body: every field at its longest fits well within it.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The ports an answer uses: cards, conversations and messages (the card,
/// its conversation, the outcome line), the buses a message may touch, and
/// push; and the token key that authenticates the widget.
#[derive(Clone)]
pub struct Submitter {
    pub answers: CardAnswers,
    pub tokens: TokenService,
}

pub fn wire(adapters: &dyn Adapters, tokens: TokenService) -> Submitter {
    Submitter {
        answers: CardAnswers::build(adapters),
        tokens,
    }
}

/// The HTTP answer, however it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: body.to_string(),
    }
}

fn refused(status: u16, code: &str, message: &str, field: Option<String>) -> Reply {
    let mut body = json!({"code": code, "message": message});
    if let Some(field) = field {
        body["field"] = json!(field);
    }
    reply(status, body)
}

/// One widget submission: `instance_id` from the path, the `Authorization`
/// header, the body bytes.
#[tracing::instrument(skip_all, fields(card = %instance_id))]
pub async fn submit(
    submitter: &Submitter,
    instance_id: &str,
    authorization: Option<&str>,
    body: &[u8],
) -> Reply {
    let now = submitter.answers.clock.now();
    let Some(claims) = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .and_then(|token| submitter.tokens.verify_visitor(token.trim(), now).ok())
    else {
        return refused(401, "unauthorized", "a visitor token is required", None);
    };
    if body.len() > MAX_BODY_BYTES {
        return refused(413, "payload_too_large", "the answer is too large", None);
    }
    let parsed = serde_json::from_slice::<Value>(body)
        .map_err(|e| ProtocolError::MalformedJson(e.to_string()))
        .and_then(|v| parse_fields::<SubmitCard>(&v));
    let answer = match parsed {
        Ok(a) => a,
        Err(e) => {
            let field = match &e {
                ProtocolError::InvalidField { field, .. } => Some(field.clone()),
                _ => None,
            };
            let message = e.to_string();
            return refused(400, ActionError::from(e).code(), &message, field);
        }
    };
    let result = submitter
        .answers
        .answer(
            &claims.tenant,
            instance_id,
            &Answerer::Client(claims.sub.clone()),
            answer.outcome,
            answer.values,
        )
        .await;
    match result {
        Ok(card) => reply(
            200,
            json!({"instanceId": card.id, "state": "resolved", "outcome": answer.outcome}),
        ),
        Err(e) => {
            let status = status_of(&e);
            if status >= 500 {
                tracing::error!(error = %switchboard_app::error::chain(&e), "card answer failed");
            }
            let event = e.to_event();
            let field = match &event {
                switchboard_app::views::Event::Error { field, .. } => field.clone(),
                _ => None,
            };
            refused(status, e.code(), &e.to_string(), field)
        }
    }
}

/// `GET /cards/{instanceId}`: the card as its client sees it (the form
/// page reads it), with the visitor token.
pub async fn card(submitter: &Submitter, instance_id: &str, authorization: Option<&str>) -> Reply {
    let now = submitter.answers.clock.now();
    let Some(claims) = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .and_then(|token| submitter.tokens.verify_visitor(token.trim(), now).ok())
    else {
        return refused(401, "unauthorized", "a visitor token is required", None);
    };
    match submitter
        .answers
        .view_for_client(&claims.tenant, instance_id, &claims.sub)
        .await
    {
        Ok(view) => reply(200, serde_json::to_value(view).unwrap_or(Value::Null)),
        Err(e) => refused(status_of(&e), e.code(), &e.to_string(), None),
    }
}

/// `GET /cards/{instanceId}/form`: the form page (HTML); it needs no token
/// to load, and reads the card with the token in its link's fragment.
pub fn form_page(instance_id: &str) -> Option<String> {
    form::plausible_id(instance_id).then(|| form::page(instance_id))
}

/// The HTTP status of a refused answer.
pub fn status_of(e: &ActionError) -> u16 {
    match e.code() {
        "card_not_found" | "conversation_not_found" => 404,
        "card_already_answered" | "conversation_closed" => 409,
        "card_expired" => 410,
        "not_assigned_to_you" | "forbidden" => 403,
        "internal" => 500,
        _ => 400,
    }
}

/// A channel's answer from the queue: a final refusal (answered already,
/// not this client's, invalid) is logged and dropped, for a retry would
/// be refused the same way; only a failure worth retrying is reported.
pub async fn apply_submission(
    submitter: &Submitter,
    s: &CardSubmission,
) -> Result<(), ActionError> {
    match submitter
        .answers
        .answer(
            &s.tenant,
            &s.instance,
            &Answerer::Client(s.visitor.clone()),
            s.outcome,
            s.values.clone(),
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.is_internal() => Err(e),
        Err(e) => {
            tracing::info!(tenant = %s.tenant, card = %s.instance, code = e.code(), "channel answer refused");
            Ok(())
        }
    }
}

pub async fn handle_batch(submitter: &Submitter, batch: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in batch.records {
        let id = record.message_id.unwrap_or_default();
        let failed = match serde_json::from_str::<CardSubmission>(record.body.as_deref().unwrap_or(""))
        {
            Ok(s) => apply_submission(submitter, &s).await.err().map(|e| {
                tracing::error!(message_id = %id, error = %switchboard_app::error::chain(&e), "card answer failed");
            }),
            Err(e) => {
                tracing::error!(message_id = %id, error = %e, "record is not a card submission");
                Some(())
            }
        };
        if failed.is_some() {
            let mut f = BatchItemFailure::default();
            f.item_identifier = id;
            response.batch_item_failures.push(f);
        }
    }
    response
}

/// One invocation: an SQS batch (it has `Records`) or an HTTP API request.
pub async fn handle(submitter: &Submitter, event: Value) -> Value {
    if event.get("Records").is_some() {
        let response = match serde_json::from_value::<SqsEvent>(event) {
            Ok(batch) => handle_batch(submitter, batch).await,
            Err(e) => {
                tracing::error!(error = %e, "unreadable SQS batch");
                SqsBatchResponse::default()
            }
        };
        return serde_json::to_value(response).unwrap_or(Value::Null);
    }
    let (answer, content_type) = match serde_json::from_value::<ApiGatewayV2httpRequest>(event) {
        Ok(request) => {
            let instance = request
                .path_parameters
                .get("instanceId")
                .cloned()
                .unwrap_or_default();
            let authorization = request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let route = request.route_key.clone().unwrap_or_default();
            let body = match (request.body, request.is_base64_encoded) {
                (Some(b), true) => decode_base64(&b).unwrap_or_default(),
                (Some(b), false) => b.into_bytes(),
                (None, _) => Vec::new(),
            };
            match route.as_str() {
                "GET /cards/{instanceId}/form" => match form_page(&instance) {
                    Some(page) => (
                        Reply {
                            status: 200,
                            body: page,
                        },
                        "text/html; charset=utf-8",
                    ),
                    None => (
                        refused(404, "card_not_found", "no such card", None),
                        "application/json",
                    ),
                },
                "GET /cards/{instanceId}" => (
                    card(submitter, &instance, authorization.as_deref()).await,
                    "application/json",
                ),
                _ => (
                    submit(submitter, &instance, authorization.as_deref(), &body).await,
                    "application/json",
                ),
            }
        }
        Err(e) => (
            refused(400, "invalid_request", &e.to_string(), None),
            "application/json",
        ),
    };
    let mut response = ApiGatewayV2httpResponse::default();
    response.status_code = i64::from(answer.status);
    response.body = Some(Body::Text(answer.body));
    response.headers.insert(
        "content-type",
        aws_lambda_events::http::HeaderValue::from_static(content_type),
    );
    serde_json::to_value(response).unwrap_or(Value::Null)
}

fn decode_base64(raw: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(raw).ok()
}
