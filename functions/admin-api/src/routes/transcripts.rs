//! A conversation's transcript as CSV, for any operator who may open it.
//! Streamed a page of messages at a time ([`super::csv_file`]).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::State;
use axum::extract::{Path, Query, State as S};
use axum::response::Response;
use serde::Deserialize;
use switchboard_app::usecases::admin::TranscriptOptions;
use switchboard_domain::ConversationId;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TranscriptQuery {
    /// Include internal notes, marked `note` (default false).
    pub notes: Option<bool>,
    /// An IANA time zone for the times (`Europe/Berlin`); UTC if absent.
    pub timezone: Option<String>,
}

/// A conversation as CSV (RFC 4180, UTF-8 with a byte-order mark): one row
/// per item with `time`, `author`, `kind` and `text`.
#[utoipa::path(get, path = "/admin/conversations/{id}/transcript", tag = "conversations",
    params(("id" = String, Path), TranscriptQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn transcript(
    S(state): S<State>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(q): Query<TranscriptQuery>,
) -> Result<Response, ApiError> {
    let id = ConversationId::parse(id).map_err(|_| ApiError::BadId("conversation".into()))?;
    let options = TranscriptOptions {
        with_notes: q.notes.unwrap_or(false),
        timezone: q.timezone,
    };
    super::csv_file::download(state.transcript(&caller, &id, options).await?).await
}
