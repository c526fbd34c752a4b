//! The use cases, grouped by the Lambda function that runs them. Each group is
//! a struct holding exactly the ports its use cases call, built from an
//! [`Adapters`](crate::adapters::Adapters) by its `build`, so what a function
//! holds is what its IAM policy allows:
//!
//! | function | use cases |
//! |---|---|
//! | ws-connect | [`Connector`] |
//! | ws-disconnect | [`Departures`] |
//! | ws-message | [`Frames`] (conversation, send, operator actions) |
//! | queue-fanout | [`Fanout`] |
//! | queue-assign | [`Assigner`] |
//! | offline-mail | [`OfflineMail`] |
//! | channel-webhook | [`Webhook`] |
//! | channel-inbound | [`Ingest`] |
//! | channel-sender | [`Sender`] |
//!
//! [`Notifier`] (who sees what) and [`Lifecycle`] (queue entry, append,
//! reopen, close) are shared parts, not functions of their own.

mod access;
pub mod admin;
mod assign;
mod browsing;
pub mod cards;
pub mod channels;
mod client_preview;
mod connect;
mod contact_info;
mod conversation;
mod departure;
mod fanout;
mod frames;
mod groups;
mod invitations;
mod lifecycle;
mod lists;
mod note;
mod notify;
mod offline;
mod operator;
mod operator_state;
mod send;
mod text_blocks;
mod transfer;
mod unite;

pub use assign::Assigner;
pub use cards::{Answerer, CardAnswers};
pub use channels::{contact_visitor_id, Ingest, RetryPolicy, Sender, SenderError, Webhook};
pub use connect::{ConnectRequest, Connector};
pub use departure::Departures;
pub use fanout::Fanout;
pub use frames::Frames;
pub use lifecycle::Lifecycle;
pub use notify::{Notifier, Presence};
pub use offline::{MailJobError, OfflineMail};
pub use text_blocks::TextBlockCache;
