//! Hero Cards: admins define them, operators prefill and send them, and
//! the client or the operator answers each one once.

mod admin;
mod answers;
mod expiry;
mod render;
mod send;
mod templates;

pub use answers::{Answerer, CardAnswers};
pub use expiry::CardExpiry;
pub use templates::{TemplateSource, TemplateSyncError};
