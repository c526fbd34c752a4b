//! The routes, one file per resource. Each handler's `#[utoipa::path]`
//! states its security: none (public), `bearer` with no scope (any signed-in
//! operator), or `bearer` with `admin`. The authorization matrix test reads
//! those from the generated document and tries every route as each kind of
//! caller, so a new route is covered the moment it is registered.

pub mod channels;
mod csv_file;
pub mod merges;
pub mod oidc;
pub mod operators;
pub mod reports;
pub mod rules;
pub mod session;
pub mod tenant;
pub mod transcripts;
pub mod widgets;
pub mod workspace;
