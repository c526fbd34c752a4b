//! The queue-events bus on SQS. A FIFO queue is grouped per tenant so one
//! tenant's queue changes are fanned out in the order they happened.

use async_trait::async_trait;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::Client;
use switchboard_app::ports::{BusError, QueueBus};
use switchboard_domain::{QueueChange, QueueEvent};

#[derive(Clone, Debug)]
pub struct SqsBus {
    client: Client,
    queue_url: String,
    fifo: bool,
}

impl SqsBus {
    pub fn new(client: Client, queue_url: impl Into<String>) -> Self {
        let queue_url = queue_url.into();
        let fifo = queue_url.ends_with(".fifo");
        Self {
            client,
            queue_url,
            fifo,
        }
    }
}

#[async_trait]
impl QueueBus for SqsBus {
    async fn publish(&self, event: &QueueEvent) -> Result<(), BusError> {
        let body = serde_json::to_string(event).map_err(|e| BusError::Encode(e.to_string()))?;
        let mut send = self
            .client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body);
        if self.fifo {
            let change = match event.change {
                QueueChange::Entered => "in",
                QueueChange::Left => "out",
            };
            send = send
                .message_group_id(event.tenant.as_str())
                .message_deduplication_id(format!(
                    "{}:{}:{}",
                    event.conversation,
                    change,
                    event.at.millis()
                ));
        }
        send.send()
            .await
            .map_err(|e| BusError::Publish(DisplayErrorContext(e).to_string()))?;
        Ok(())
    }
}
