//! The one error every storage port shares: what went wrong below the port,
//! never a business refusal (those are each port's own error types). The
//! backend's own error is kept as the source, so a log shows the whole chain
//! (`crate::error::chain`).

/// Any error a port's adapter hands up as a cause.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend failed: {context}")]
    Backend {
        context: String,
        #[source]
        source: Option<BoxError>,
    },
    #[error("stored record is unreadable: {0}")]
    Corrupt(String),
    #[error("gave up after {0} attempts under write contention")]
    Contention(u32),
}

impl StoreError {
    /// The backend failed doing `context`; `source` says how.
    pub fn backend(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        StoreError::Backend {
            context: context.into(),
            source: Some(source.into()),
        }
    }

    /// The backend answered something impossible, with no error of its own.
    pub fn backend_says(context: impl Into<String>) -> Self {
        StoreError::Backend {
            context: context.into(),
            source: None,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
