//! The admin boundary's one error: every refusal names what it is about,
//! and the HTTP adapter maps each kind to a status in one place.

use super::passwords::HashError;
use crate::jwt::JwtError;
use crate::ports::{AccountStoreError, MailError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// A value that cannot be accepted; nothing was written.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// No valid access token, or its account is gone or disabled.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The same answer for an unknown e-mail, a wrong password and a
    /// locked account, so it tells a guesser nothing.
    #[error("e-mail or password is wrong, or the account is locked for a while")]
    BadCredentials,
    #[error("only tenant admins may do this")]
    Forbidden,
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Taken (an e-mail, a widget id) or in use; nothing was written.
    #[error("{field}: {message}")]
    Conflict { field: String, message: String },
    /// A one-time link that was used, expired or never existed.
    #[error("{field}: {message}")]
    Gone { field: String, message: String },
    /// A provider's API is down or refusing; worth a retry.
    #[error("{0}")]
    Unavailable(&'static str),
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("the mail could not be sent")]
    Mail(#[from] MailError),
    #[error("the secrets store failed")]
    Secrets(#[source] Box<crate::ports::SecretsError>),
    #[error("password hashing failed")]
    Hash(#[from] HashError),
    #[error("a token could not be signed")]
    Token(#[from] JwtError),
}

impl AdminError {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        AdminError::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        AdminError::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn gone(field: impl Into<String>, message: impl Into<String>) -> Self {
        AdminError::Gone {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The field a refusal names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AdminError::Invalid { field, .. }
            | AdminError::Conflict { field, .. }
            | AdminError::Gone { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<AccountStoreError> for AdminError {
    fn from(e: AccountStoreError) -> Self {
        match e {
            AccountStoreError::DuplicateEmail => {
                AdminError::conflict("email", "another account has this e-mail address")
            }
            AccountStoreError::DuplicateId => {
                AdminError::conflict("id", "the tenant already has an account with this id")
            }
            AccountStoreError::NotFound => AdminError::NotFound("operator"),
            AccountStoreError::Busy => AdminError::conflict(
                "id",
                "the operator still has open conversations; transfer or close them first",
            ),
            AccountStoreError::Store(e) => AdminError::Store(e),
        }
    }
}
