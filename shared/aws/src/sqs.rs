//! The buses on SQS. Queue events go to a standard queue (the fan-out reads
//! the current state, so order does not matter, and Lambda can batch a
//! window of them); given a FIFO queue they are grouped per tenant. Channel
//! events and outbound jobs go to FIFO queues, grouped per contact.

use async_trait::async_trait;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use aws_sdk_sqs::Client;
use switchboard_app::ports::{
    AssignBus, BusError, CardBus, InboundBus, MailBus, OutboundBus, QueueBus,
};
use switchboard_domain::cards::CardSubmission;
use switchboard_domain::{
    AssignTrigger, InboundEnvelope, MailJob, OutboundJob, QueueChange, QueueEvent,
};

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

impl SqsBus {
    /// Sends one message; on a FIFO queue grouped by `group` and
    /// deduplicated by what `dedup` says.
    async fn send<T: serde::Serialize>(
        &self,
        what: &'static str,
        message: &T,
        group: &str,
        dedup: impl FnOnce() -> String,
    ) -> Result<(), BusError> {
        let body = serde_json::to_string(message).map_err(|e| BusError::Encode(e.to_string()))?;
        let mut send = self
            .client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body);
        if self.fifo {
            send = send
                .message_group_id(group)
                .message_deduplication_id(dedup());
        }
        send.send().await.map_err(|e| BusError::Publish {
            queue: what,
            source: Box::new(e),
        })?;
        Ok(())
    }
}

#[async_trait]
impl QueueBus for SqsBus {
    async fn publish(&self, event: &QueueEvent) -> Result<(), BusError> {
        let change = match event.change {
            QueueChange::Entered => "in",
            QueueChange::Left => "out",
            QueueChange::Capacity => "capacity",
        };
        let about = event.conversation.as_ref().map_or("tenant", |c| c.as_str());
        self.send("queue events", event, event.tenant.as_str(), || {
            format!("{about}:{change}:{}", event.at.millis())
        })
        .await
    }
}

/// Assignment triggers go to a standard queue: they carry no state, so
/// order and an occasional duplicate do not matter, and Lambda batches them.
#[async_trait]
impl AssignBus for SqsBus {
    async fn publish_assign(&self, trigger: &AssignTrigger) -> Result<(), BusError> {
        self.send(
            "assignment triggers",
            trigger,
            trigger.tenant.as_str(),
            || format!("{}:{}", trigger.tenant, trigger.at.millis()),
        )
        .await
    }
}

/// Card answers go to a standard queue: the first answer wins in the store,
/// so a duplicate delivery changes nothing.
#[async_trait]
impl CardBus for SqsBus {
    async fn publish_card(&self, s: &CardSubmission) -> Result<(), BusError> {
        self.send("card answers", s, s.tenant.as_str(), || {
            format!("{}:{}:{:?}", s.tenant, s.instance, s.outcome)
        })
        .await
    }
}

/// Mail jobs go to a standard queue: the mail function claims each request
/// before sending, so a duplicate delivery sends nothing.
#[async_trait]
impl MailBus for SqsBus {
    async fn publish_mail(&self, job: &MailJob) -> Result<(), BusError> {
        self.send("mail jobs", job, job.tenant.as_str(), || {
            format!("{}:{}", job.tenant, job.request)
        })
        .await
    }
}

/// The channel queues on SQS FIFO. Webhook events are grouped per contact, so
/// one client's messages are handled in order while different clients'
/// proceed in parallel; sends are grouped per conversation. Deduplication ids
/// come from the provider's ids, so a webhook retried within SQS's five-minute
/// window is dropped by SQS before any consumer sees it.
#[derive(Clone, Debug)]
pub struct SqsChannelBus {
    client: Client,
    inbound_url: String,
    outbound_url: String,
}

/// SQS takes at most ten messages per batch.
const SQS_BATCH: usize = 10;

fn hashed(parts: &[&str]) -> String {
    use switchboard_app::digest::{hex_prefix, sha256_parts};
    hex_prefix(&sha256_parts(parts), 32)
}

impl SqsChannelBus {
    pub fn new(
        client: Client,
        inbound_url: impl Into<String>,
        outbound_url: impl Into<String>,
    ) -> Self {
        Self {
            client,
            inbound_url: inbound_url.into(),
            outbound_url: outbound_url.into(),
        }
    }

    fn inbound_entry(
        index: usize,
        envelope: &InboundEnvelope,
    ) -> Result<SendMessageBatchRequestEntry, BusError> {
        let event = &envelope.event;
        let group = match event.contact_id() {
            Some(contact) => hashed(&[envelope.tenant.as_str(), event.account_id(), contact]),
            None => hashed(&[envelope.tenant.as_str(), event.account_id()]),
        };
        let body = serde_json::to_string(envelope).map_err(|e| BusError::Encode(e.to_string()))?;
        let dedup = match event.dedupe_key() {
            Some(key) => hashed(&[envelope.tenant.as_str(), &key]),
            // Typing and the like have no provider id: every delivery counts.
            None => hashed(&[&body, &envelope.received_at.millis().to_string()]),
        };
        SendMessageBatchRequestEntry::builder()
            .id(index.to_string())
            .message_body(body)
            .message_group_id(group.get(..64).unwrap_or_default())
            .message_deduplication_id(dedup)
            .build()
            .map_err(|e| BusError::Encode(e.to_string()))
    }
}

#[async_trait]
impl InboundBus for SqsChannelBus {
    async fn publish_inbound(&self, envelopes: &[InboundEnvelope]) -> Result<(), BusError> {
        for (chunk_no, chunk) in envelopes.chunks(SQS_BATCH).enumerate() {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, e)| Self::inbound_entry(chunk_no * SQS_BATCH + i, e))
                .collect::<Result<Vec<_>, _>>()?;
            let out = self
                .client
                .send_message_batch()
                .queue_url(&self.inbound_url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(|e| BusError::Publish {
                    queue: "channel inbound",
                    source: Box::new(e),
                })?;
            // A batch can partly fail; the webhook then answers 5xx and the
            // provider's retry re-sends all of it, which deduplication absorbs.
            if let Some(failed) = out.failed.first() {
                return Err(BusError::Publish {
                    queue: "channel inbound",
                    source: format!(
                        "{} of the batch not queued: {}",
                        out.failed.len(),
                        failed.code
                    )
                    .into(),
                });
            }
        }
        Ok(())
    }
}

#[async_trait]
impl OutboundBus for SqsChannelBus {
    async fn publish_outbound(&self, job: &OutboundJob) -> Result<(), BusError> {
        let body = serde_json::to_string(job).map_err(|e| BusError::Encode(e.to_string()))?;
        self.client
            .send_message()
            .queue_url(&self.outbound_url)
            .message_body(body)
            .message_group_id(
                hashed(&[job.tenant.as_str(), job.conversation.as_str()])
                    .get(..64)
                    .unwrap_or_default(),
            )
            .message_deduplication_id(hashed(&[
                job.tenant.as_str(),
                job.conversation.as_str(),
                &job.seq.to_string(),
            ]))
            .send()
            .await
            .map_err(|e| BusError::Publish {
                queue: "channel outbound",
                source: Box::new(e),
            })?;
        Ok(())
    }
}
