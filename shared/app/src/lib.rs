//! Switchboard's application layer: the use cases of the live-chat backend,
//! written against ports (traits) so the same code runs on Lambda with DynamoDB,
//! SQS and API Gateway, and locally with the embedded adapters.

pub mod auth;
pub mod channels;
pub mod error;
pub mod jwt;
pub mod notify;
pub mod ports;
pub mod protocol;
pub mod service;
pub mod views;

pub use error::{ActionError, ConnectError};
pub use ports::{Clock, IdGen, Push, QueueBus, Store, SystemClock, UlidIds};
pub use service::{App, ChannelGateway, ConnectRequest, RetryPolicy, SenderError};
