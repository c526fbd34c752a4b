//! The SQS buses between functions.

use async_trait::async_trait;
use switchboard_domain::cards::CardSubmission;
use switchboard_domain::{AssignTrigger, InboundEnvelope, MailJob, OutboundJob, QueueEvent};

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("could not publish to {queue}")]
    Publish {
        queue: &'static str,
        #[source]
        source: super::BoxError,
    },
    #[error("could not encode event: {0}")]
    Encode(String),
}

/// Carries queue changes to the fan-out function (SQS on AWS).
#[async_trait]
pub trait QueueBus: Send + Sync {
    async fn publish(&self, event: &QueueEvent) -> Result<(), BusError>;
}

/// Asks the queue-assignment function to run (SQS on AWS). Triggers carry no
/// state, so a repeated one is harmless and a lost one is caught by the sweep.
#[async_trait]
pub trait AssignBus: Send + Sync {
    async fn publish_assign(&self, trigger: &AssignTrigger) -> Result<(), BusError>;
}

/// Offline requests to be mailed, to the mail function (SQS on AWS).
#[async_trait]
pub trait MailBus: Send + Sync {
    async fn publish_mail(&self, job: &MailJob) -> Result<(), BusError>;
}

/// Normalized webhook events, to the inbound consumer (SQS FIFO on AWS).
#[async_trait]
pub trait InboundBus: Send + Sync {
    /// All or nothing from the caller's view: Ok only once every envelope is
    /// durably queued, which is when the webhook may answer 200.
    async fn publish_inbound(&self, envelopes: &[InboundEnvelope]) -> Result<(), BusError>;
}

/// Clients' card answers that arrived through a channel, to the
/// hero-card-submit function (SQS on AWS). The first answer wins there, so
/// a repeated one is harmless.
#[async_trait]
pub trait CardBus: Send + Sync {
    async fn publish_card(&self, submission: &CardSubmission) -> Result<(), BusError>;
}

/// The three buses of the channel functions, as one adapter provides them
/// (SQS on AWS, in-process queues on the local stack).
pub trait ChannelBuses: InboundBus + OutboundBus + CardBus {}
impl<T: InboundBus + OutboundBus + CardBus> ChannelBuses for T {}

/// Operators' messages in channel conversations, to the sender (SQS FIFO on AWS).
#[async_trait]
pub trait OutboundBus: Send + Sync {
    async fn publish_outbound(&self, job: &OutboundJob) -> Result<(), BusError>;
}
