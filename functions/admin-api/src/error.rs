//! The API's one error shape, `{"code", "message", "field"}`, and the one
//! place refusals become HTTP statuses.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use switchboard_app::usecases::admin::AdminError;
use utoipa::ToSchema;

/// The largest request body: every resource fits well within it.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every refusal, as the client receives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, for programs: `invalid`, `unauthenticated`, `forbidden`, …
    pub code: &'static str,
    /// For people.
    pub message: String,
    /// The field the refusal is about, as a JSON path (`allowedOrigins[2]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    Admin(AdminError),
    /// The body is not JSON of the expected shape.
    Body {
        field: Option<String>,
        message: String,
    },
    TooLarge,
    /// A path parameter is not a valid id.
    BadId(String),
    NoRoute,
}

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> Self {
        ApiError::Admin(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = match self {
            ApiError::Body { field, message } => {
                (StatusCode::BAD_REQUEST, "invalid", message, field)
            }
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("the body is larger than {MAX_BODY_BYTES} bytes"),
                None,
            ),
            ApiError::BadId(field) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no such {field}"),
                Some(field),
            ),
            ApiError::NoRoute => (
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route".to_string(),
                None,
            ),
            ApiError::Admin(e) => {
                let field = e.field().map(str::to_string);
                // The field travels on its own; the message need not repeat it.
                let message = match &e {
                    AdminError::Invalid { message, .. }
                    | AdminError::Conflict { message, .. }
                    | AdminError::Gone { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                let (status, code) = match &e {
                    AdminError::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid"),
                    AdminError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
                    AdminError::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
                    AdminError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
                    AdminError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
                    AdminError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
                    AdminError::Gone { .. } => (StatusCode::GONE, "gone"),
                    AdminError::Unavailable(_) => (StatusCode::BAD_GATEWAY, "provider_unavailable"),
                    AdminError::Store(_)
                    | AdminError::Mail(_)
                    | AdminError::Secrets(_)
                    | AdminError::Hash(_)
                    | AdminError::Token(_) => {
                        tracing::error!(error = %switchboard_app::error::chain(&e), "admin request failed");
                        (StatusCode::INTERNAL_SERVER_ERROR, "internal")
                    }
                };
                let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
                    "something went wrong on our side; try again".to_string()
                } else {
                    message
                };
                (status, code, message, field)
            }
        };
        (
            status,
            axum::Json(ErrorBody {
                code,
                message,
                field,
            }),
        )
            .into_response()
    }
}

/// A JSON body of at most [`MAX_BODY_BYTES`], whose refusal names the
/// field (unknown fields are refused by the types themselves).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| ApiError::TooLarge)?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(de) {
            Ok(value) => Ok(JsonBody(value)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    return Err(ApiError::Body {
                        field: None,
                        message: format!("the body is not valid JSON: {inner}"),
                    });
                }
                let field = if path == "." { None } else { Some(path) };
                let message = inner.to_string();
                // An unknown field's name is in serde's message, not the path.
                let field = field.or_else(|| unknown_field(&message));
                Err(ApiError::Body { field, message })
            }
        }
    }
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_string)
}
