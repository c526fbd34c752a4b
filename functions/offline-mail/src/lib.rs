//! The mail function: an SQS consumer of offline-request jobs that mails
//! each request to its widget's address once. Records are independent; a
//! failed one is reported as a batch item failure and comes back.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use switchboard_app::{Adapters, OfflineMail};
use switchboard_domain::MailJob;

/// The ports mailing uses: offline requests (read and claimed) and the mailer.
pub fn wire(adapters: &dyn Adapters) -> OfflineMail {
    OfflineMail::build(adapters)
}

fn failure(id: &str) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.to_string();
    f
}

pub async fn handle(mail: &OfflineMail, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        let id = record.message_id.unwrap_or_default();
        let job = match serde_json::from_str::<MailJob>(record.body.as_deref().unwrap_or_default())
        {
            Ok(job) => job,
            Err(e) => {
                tracing::error!(message_id = %id, error = %e, "record is not a mail job");
                response.batch_item_failures.push(failure(&id));
                continue;
            }
        };
        if let Err(e) = mail.deliver(&job).await {
            tracing::error!(message_id = %id, error = %switchboard_app::error::chain(&e), "mail not sent");
            response.batch_item_failures.push(failure(&id));
        }
    }
    response
}
