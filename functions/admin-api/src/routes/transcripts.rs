//! A conversation's transcript as CSV, for any operator who may open it.
//!
//! The body is streamed a page of messages at a time. On the local stack
//! it reaches the client as it is written; on AWS the HTTP API buffers a
//! Lambda's answer (up to 6 MB, some 30,000 chat lines), since HTTP APIs
//! do not stream.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::State;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State as S};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use switchboard_app::usecases::admin::{Transcript, TranscriptOptions};
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
    let mut transcript = state.transcript(&caller, &id, options).await?;
    // The first page before the status line, so a failure there is an
    // answer of its own rather than a cut-off file.
    let first = transcript.next_chunk().await?.unwrap_or_default();
    let disposition = format!("attachment; filename=\"{}\"", transcript.file_name());
    let rest = futures::stream::unfold(Some(transcript), next);
    let body = futures::StreamExt::chain(
        futures::stream::once(async move { Ok(Bytes::from(first)) }),
        rest,
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

async fn next(
    state: Option<Transcript>,
) -> Option<(Result<Bytes, std::io::Error>, Option<Transcript>)> {
    let mut transcript = state?;
    match transcript.next_chunk().await {
        Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), Some(transcript))),
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "transcript cut short");
            Some((Err(std::io::Error::other("transcript cut short")), None))
        }
    }
}
