//! Switchboard's application layer: the use cases of the live-chat backend,
//! written against ports (traits) so the same code runs on Lambda with DynamoDB,
//! SQS and API Gateway, and locally with the embedded adapters.

pub mod adapters;
pub mod auth;
pub mod channels;
pub mod digest;
pub mod error;
pub mod jwt;
pub mod ports;
pub mod protocol;
pub mod usecases;
pub mod views;

pub use adapters::{AdapterSet, Adapters, PortName};
pub use error::{ActionError, ConnectError};
pub use ports::{Clock, IdGen, Push, QueueBus, Store, SystemClock, UlidIds};
pub use usecases::{
    Answerer, Assigner, CardAnswers, ConnectRequest, Connector, Departures, Fanout, Frames, Ingest,
    MailJobError, OfflineMail, Presence, RetryPolicy, Sender, SenderError, Webhook,
};
