//! Secrets by name: AWS Secrets Manager on AWS, files in the data
//! directory locally. Values are handed out as [`crate::channels::Secret`],
//! which never prints.

use super::BoxError;
use crate::channels::Secret;
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("secrets backend failed: {context}")]
    Backend {
        context: String,
        #[source]
        source: BoxError,
    },
}

impl SecretsError {
    pub fn backend(context: impl Into<String>, source: impl Into<BoxError>) -> Self {
        SecretsError::Backend {
            context: context.into(),
            source: source.into(),
        }
    }
}

/// Reading secrets: what the channel functions need.
#[async_trait]
pub trait Secrets: Send + Sync {
    /// None if there is no such secret.
    async fn secret(&self, name: &str) -> Result<Option<Secret>, SecretsError>;
}

/// Writing secrets: only the admin API, which binds channel accounts.
#[async_trait]
pub trait SecretWriter: Send + Sync {
    /// Creates or replaces.
    async fn put_secret(&self, name: &str, value: &Secret) -> Result<(), SecretsError>;
    /// Deleting a missing secret is no error.
    async fn delete_secret(&self, name: &str) -> Result<(), SecretsError>;
}
