//! The one error every storage port shares: what went wrong below the port,
//! never a business refusal (those are each port's own error types).

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage backend failed: {0}")]
    Backend(String),
    #[error("stored record is unreadable: {0}")]
    Corrupt(String),
    #[error("gave up after {0} attempts under write contention")]
    Contention(u32),
}

pub type StoreResult<T> = Result<T, StoreError>;
