//! Channel accounts bound to tenants, as admins add them: which tenant a
//! WhatsApp number, Page, Instagram account, Apple business or VK group
//! feeds. Their secrets are not here but behind [`super::Secrets`].

use super::{StoreError, StoreResult};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use switchboard_domain::{Channel, GroupId, TenantId};

/// A channel account's binding, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAccount {
    pub channel: Channel,
    pub account_id: String,
    pub tenant: TenantId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// WhatsApp: the Business Account, whose templates are synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waba_id: Option<String>,
    /// VK: what the confirmation request is answered with (not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<String>,
    /// Bumped whenever the secrets change, so a cache refetches only then.
    pub secrets_version: u64,
}

impl ChannelAccount {
    /// The name its secrets are stored under: the tenant's own, so a
    /// tenant binding an account another holds can never touch theirs.
    pub fn secret_name(&self) -> String {
        format!(
            "channel/{}/{}/{}",
            self.tenant,
            self.channel.as_str(),
            self.account_id
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelAccountError {
    #[error("this channel account is bound to another tenant")]
    Taken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reading the bindings: the webhook, inbound and sender functions.
#[async_trait]
pub trait ChannelAccountStore: Send + Sync {
    /// Every binding of every tenant (a few per tenant): what the webhook
    /// and sender functions route by, cached briefly.
    async fn channel_accounts(&self) -> StoreResult<Vec<ChannelAccount>>;
}

/// Binding and unbinding: the admin API.
#[async_trait]
pub trait ChannelAccountWriter: Send + Sync {
    /// Creates or replaces the binding, only if the account is unbound or
    /// already the same tenant's.
    ///
    /// # Errors
    /// `Taken`; nothing is written then.
    async fn put_channel_account(
        &self,
        account: &ChannelAccount,
    ) -> Result<(), ChannelAccountError>;
    /// Deletes the tenant's binding and returns what it was.
    async fn delete_channel_account(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account_id: &str,
    ) -> StoreResult<Option<ChannelAccount>>;
}
