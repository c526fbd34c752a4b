//! Mail through Amazon SES (API v2), from the one identity the stack is
//! given (`MAIL_FROM`); the function's IAM policy allows sending from it
//! alone.

use async_trait::async_trait;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use switchboard_app::ports::{Email, MailError, Mailer};

#[derive(Clone, Debug)]
pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    from: String,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        SesMailer {
            client,
            from: from.into(),
        }
    }
}

fn content(text: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|e| MailError::Send(Box::new(e)))
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = Message::builder()
            .subject(content(&email.subject)?)
            .body(Body::builder().text(content(&email.text)?).build())
            .build();
        let mut send = self
            .client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .content(EmailContent::builder().simple(message).build());
        if let Some(reply_to) = &email.reply_to {
            send = send.reply_to_addresses(reply_to);
        }
        send.send()
            .await
            .map_err(|e| MailError::Send(Box::new(e)))?;
        Ok(())
    }
}
