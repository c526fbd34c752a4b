//! What tenant admins manage through the admin API (widgets, operators,
//! tenant settings, groups) and operator sign-in. Every change is written
//! to the audit log with the resource before and after.
//!
//! Adding a resource: a file here with its use cases (taking the caller's
//! [`Account`], checking [`Admin::require_admin`], recording
//! [`Admin::audit`]), and its routes in `functions/admin-api`.

mod bootstrap;
mod channel_accounts;
mod error;
mod groups;
mod links;
mod oidc;
mod operators;
mod passwords;
mod reports;
mod rules;
mod settings;
mod signin;
mod transcript;
mod unite;
mod widgets;
mod workspace;

pub use bootstrap::{Bootstrap, Bootstrapped};
pub use channel_accounts::ChannelAccountInput;
pub use error::AdminError;
pub use oidc::{OidcError, OidcVerifier};
pub use operators::{AccountChange, NewOperator};
pub use passwords::{HashError, Passwords, WeakPassword};
pub use reports::{Report, ReportKind};
pub use signin::{OidcStart, SignIn, SignedIn, ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS};
pub use transcript::{Transcript, TranscriptOptions};

use crate::adapters::Adapters;
use crate::ports::{
    AccountStore, AuditEntry, AuditLog, CardStore, ChannelAccountStore, ChannelAccountWriter,
    Clock, ConnectionRegistry, ConversationStore, DirectoryStore, IdGen, Page, Push, RoutingStore,
    SecretWriter, SessionStore, WidgetStore,
};
use crate::ports::{ContactInfoStore, MessageStore, TextBlockStore};
use std::sync::Arc;
use switchboard_domain::Account;

/// The most a listing returns at once.
pub const MAX_PAGE: usize = 100;

/// The admin use cases and exactly the ports they use.
#[derive(Clone)]
pub struct Admin {
    pub sign_in: SignIn,
    pub accounts: Arc<dyn AccountStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub widgets: Arc<dyn WidgetStore>,
    pub text_blocks: Arc<dyn TextBlockStore>,
    pub contact_info: Arc<dyn ContactInfoStore>,
    pub directory: Arc<dyn DirectoryStore>,
    pub routing: Arc<dyn RoutingStore>,
    /// Read only: whether anyone waits in a group about to be deleted, and
    /// the conversation a transcript is of.
    pub conversations: Arc<dyn ConversationStore>,
    /// Read only: transcripts.
    pub messages: Arc<dyn MessageStore>,
    pub cards: Arc<dyn CardStore>,
    pub channel_accounts: Arc<dyn ChannelAccountStore>,
    pub channel_account_writer: Arc<dyn ChannelAccountWriter>,
    pub secret_writer: Arc<dyn SecretWriter>,
    pub connections: Arc<dyn ConnectionRegistry>,
    pub push: Arc<dyn Push>,
    pub audit_log: Arc<dyn AuditLog>,
    /// Contact merges, reviewed and undone.
    pub unite: Arc<dyn crate::ports::UniteStore>,
    /// The session index reports read.
    pub reports: Arc<dyn crate::ports::ReportStore>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// The Graph API and the channel accounts, for the template sync.
    pub templates: crate::usecases::cards::TemplateSource,
}

impl Admin {
    pub fn build(
        adapters: &dyn Adapters,
        sign_in: SignIn,
        templates: crate::usecases::cards::TemplateSource,
    ) -> Self {
        Admin {
            sign_in,
            accounts: adapters.accounts(),
            sessions: adapters.sessions(),
            widgets: adapters.widgets(),
            text_blocks: adapters.text_blocks(),
            contact_info: adapters.contact_info(),
            directory: adapters.directory(),
            routing: adapters.routing(),
            conversations: adapters.conversations(),
            messages: adapters.messages(),
            cards: adapters.cards(),
            channel_accounts: adapters.channel_accounts(),
            channel_account_writer: adapters.channel_account_writer(),
            secret_writer: adapters.secret_writer(),
            connections: adapters.connections(),
            push: adapters.push(),
            audit_log: adapters.audit(),
            unite: adapters.unite(),
            reports: adapters.reports(),
            clock: adapters.clock(),
            ids: adapters.ids(),
            templates,
        }
    }

    pub fn require_admin(caller: &Account) -> Result<(), AdminError> {
        if caller.is_admin() {
            Ok(())
        } else {
            Err(AdminError::Forbidden)
        }
    }

    /// Records a change the caller made. `before`/`after` are the API's
    /// views, which carry no secrets.
    pub async fn audit(
        &self,
        caller: &Account,
        action: &str,
        target: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), AdminError> {
        let entry = AuditEntry {
            tenant: caller.tenant.clone(),
            id: self.ids.new_id("audit"),
            at: self.clock.now(),
            actor: Some(caller.id.clone()),
            action: action.to_string(),
            target: target.to_string(),
            before,
            after,
        };
        self.audit_log.record(&entry).await?;
        Ok(())
    }

    pub async fn audit_entries(
        &self,
        caller: &Account,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEntry>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self
            .audit_log
            .audit_entries(&caller.tenant, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }
}

/// A value as the audit log keeps it.
pub(crate) fn snapshot<T: serde::Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}
