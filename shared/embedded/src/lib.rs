//! Embedded adapters for running Switchboard without AWS: a SQLite store that
//! keeps its data on disk, and an in-process queue with SQS-like delivery.

mod mail;
mod queue;
pub mod secrets;
mod sqlite;

pub use mail::{OutboxMailer, SmtpMailer, LOCAL_FROM};
pub use queue::{LocalChannelBus, LocalQueue, QueueMessage};
pub use secrets::{FileSecrets, MemorySecrets};
pub use sqlite::SqliteStore;
