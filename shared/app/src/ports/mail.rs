//! Sending e-mail: Amazon SES on AWS; SMTP or an outbox folder locally.

use super::BoxError;
use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    /// The client's address, so answering the mail answers them.
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    /// Stable per message (the request's id): a Message-ID where the
    /// transport takes one, and the outbox file's name.
    pub id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("the mail could not be sent")]
    Send(#[source] BoxError),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &Email) -> Result<(), MailError>;
}
