//! A CSV export (a transcript, a report) as an HTTP answer, streamed a part
//! at a time as the use case writes it.
//!
//! The first part is written before the status line, so a failure there is
//! an answer of its own rather than a cut-off file. On the local stack the
//! rest reaches the client as it is written; on AWS the HTTP API buffers a
//! Lambda's answer (up to 6 MB), since HTTP APIs do not stream.

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use switchboard_app::usecases::admin::{AdminError, Report, Transcript};

/// A file written a part at a time.
pub trait CsvFile: Send + 'static {
    fn file_name(&self) -> String;
    /// The next bytes; None once the file is complete.
    fn next_part(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, AdminError>> + Send;
}

impl CsvFile for Transcript {
    fn file_name(&self) -> String {
        Transcript::file_name(self)
    }
    fn next_part(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, AdminError>> + Send {
        self.next_chunk()
    }
}

impl CsvFile for Report {
    fn file_name(&self) -> String {
        Report::file_name(self)
    }
    fn next_part(&mut self) -> impl Future<Output = Result<Option<Vec<u8>>, AdminError>> + Send {
        self.next_chunk()
    }
}

pub async fn download<F: CsvFile>(mut file: F) -> Result<Response, ApiError> {
    let first = file.next_part().await?.unwrap_or_default();
    let disposition = format!("attachment; filename=\"{}\"", file.file_name());
    let rest = futures::stream::unfold(Some(file), next);
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

async fn next<F: CsvFile>(state: Option<F>) -> Option<(Result<Bytes, std::io::Error>, Option<F>)> {
    let mut file = state?;
    match file.next_part().await {
        Ok(Some(bytes)) => Some((Ok(Bytes::from(bytes)), Some(file))),
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "export cut short");
            Some((Err(std::io::Error::other("export cut short")), None))
        }
    }
}
