//! Mail on the local stack: to an SMTP server when one is configured (plain
//! SMTP, as a local relay such as Mailpit or Python's aiosmtpd speaks it),
//! otherwise into an outbox folder as `.eml` files a mail client can open.

use async_trait::async_trait;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use switchboard_app::ports::{Email, MailError, Mailer};

/// The sender every local mail carries.
pub const LOCAL_FROM: &str = "Switchboard <switchboard@localhost>";

fn message(from: &str, email: &Email) -> Result<Message, MailError> {
    let mailbox = |raw: &str| -> Result<Mailbox, MailError> {
        raw.parse().map_err(|_| MailError::Address(raw.to_string()))
    };
    let mut builder = Message::builder()
        .from(mailbox(from)?)
        .to(mailbox(&email.to)?)
        .subject(&email.subject)
        .message_id(Some(format!("<{}@switchboard.local>", email.id)))
        .header(ContentType::TEXT_PLAIN);
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(mailbox(reply_to)?);
    }
    builder
        .body(email.text.clone())
        .map_err(|e| MailError::Send(Box::new(e)))
}

/// Plain SMTP to `host:port`.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(host: &str, port: u16) -> Self {
        SmtpMailer {
            transport: AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                .port(port)
                .build(),
        }
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = message(LOCAL_FROM, email)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(Box::new(e)))?;
        Ok(())
    }
}

/// `.eml` files in a folder, one per message, named by its id (so a resend
/// overwrites rather than duplicates).
pub struct OutboxMailer {
    dir: PathBuf,
}

impl OutboxMailer {
    pub fn new(dir: PathBuf) -> Self {
        OutboxMailer { dir }
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let formatted = message(LOCAL_FROM, email)?.formatted();
        let safe: String = email
            .id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = self.dir.join(format!("{safe}.eml"));
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| MailError::Send(Box::new(e)))?;
        tokio::fs::write(path, formatted)
            .await
            .map_err(|e| MailError::Send(Box::new(e)))
    }
}
