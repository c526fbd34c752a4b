//! Channel accounts bound through the admin API: the binding in the store,
//! the access token and VK secret in the secrets port. The webhook and
//! sender functions see a new or rotated account within seconds, without a
//! redeploy (`ChannelsSource`).

use super::{snapshot, Admin, AdminError};
use crate::channels::AccountSecrets;
use crate::ports::{ChannelAccount, ChannelAccountError};
use switchboard_domain::{Account, Channel, GroupId};

/// An account as an admin binds it, secrets included.
#[derive(Debug, Clone)]
pub struct ChannelAccountInput {
    pub channel: Channel,
    pub account_id: String,
    pub group: Option<GroupId>,
    pub waba_id: Option<String>,
    pub confirmation: Option<String>,
    pub access_token: Option<String>,
    pub secret: Option<String>,
}

fn required(field: &str, value: &Option<String>, channel: Channel) -> Result<(), AdminError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(AdminError::invalid(
            field,
            format!("required for {}", channel.as_str()),
        )),
    }
}

impl Admin {
    pub async fn channel_account_list(
        &self,
        caller: &Account,
    ) -> Result<Vec<ChannelAccount>, AdminError> {
        Self::require_admin(caller)?;
        let mut accounts = self.channel_accounts.channel_accounts().await?;
        accounts.retain(|a| a.tenant == caller.tenant);
        Ok(accounts)
    }

    /// Binds (or rebinds, rotating its secrets) a channel account to the
    /// caller's tenant.
    pub async fn put_channel_account(
        &self,
        caller: &Account,
        input: ChannelAccountInput,
    ) -> Result<ChannelAccount, AdminError> {
        Self::require_admin(caller)?;
        let id = input.account_id.trim();
        let id_ok = !id.is_empty()
            && id.len() <= 100
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !id_ok {
            return Err(AdminError::invalid(
                "accountId",
                "1 to 100 of letters, digits, '-', '_', '.'",
            ));
        }
        match input.channel {
            Channel::WebChat => {
                return Err(AdminError::invalid(
                    "channel",
                    "webchat has no channel account",
                ))
            }
            Channel::WhatsApp | Channel::Messenger | Channel::Instagram => {
                required("accessToken", &input.access_token, input.channel)?
            }
            Channel::Vk => {
                required("accessToken", &input.access_token, input.channel)?;
                required("secret", &input.secret, input.channel)?;
                required("confirmation", &input.confirmation, input.channel)?;
            }
            Channel::Apple => {}
        }
        if let Some(group) = &input.group {
            let groups = self.routing.groups(&caller.tenant).await?;
            if !groups.iter().any(|g| &g.id == group) {
                return Err(AdminError::invalid("group", "no such group"));
            }
        }
        let before = self
            .channel_account_list(caller)
            .await?
            .into_iter()
            .find(|a| a.channel == input.channel && a.account_id == id);
        let account = ChannelAccount {
            channel: input.channel,
            account_id: id.to_string(),
            tenant: caller.tenant.clone(),
            group: input.group,
            waba_id: input.waba_id.filter(|w| !w.trim().is_empty()),
            confirmation: input.confirmation,
            // Readers refetch the secrets when this moves.
            secrets_version: self
                .clock
                .now()
                .millis()
                .max(before.as_ref().map_or(0, |b| b.secrets_version + 1)),
        };
        // Secrets first, under the tenant's own name, then the binding
        // (conditioned on the account being unbound or the tenant's), which
        // tells readers to refetch. A refused binding leaves a secret no
        // binding names, which is removed.
        let secrets = AccountSecrets {
            access_token: input.access_token,
            secret: input.secret,
        };
        self.secret_writer
            .put_secret(&account.secret_name(), &secrets.to_secret())
            .await
            .map_err(|e| AdminError::Secrets(Box::new(e)))?;
        match self
            .channel_account_writer
            .put_channel_account(&account)
            .await
        {
            Ok(()) => {}
            Err(ChannelAccountError::Taken) => {
                if before.is_none() {
                    let _ = self
                        .secret_writer
                        .delete_secret(&account.secret_name())
                        .await;
                }
                return Err(AdminError::conflict(
                    "accountId",
                    "this channel account is bound to another tenant",
                ));
            }
            Err(ChannelAccountError::Store(e)) => return Err(e.into()),
        }
        let action = if before.is_some() {
            "channel_account.update"
        } else {
            "channel_account.create"
        };
        // The audit log keeps the binding; secrets never reach it.
        self.audit(
            caller,
            action,
            &format!("{}/{}", account.channel.as_str(), account.account_id),
            before.as_ref().and_then(snapshot),
            snapshot(&account),
        )
        .await?;
        Ok(account)
    }

    pub async fn delete_channel_account(
        &self,
        caller: &Account,
        channel: Channel,
        account_id: &str,
    ) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        let Some(before) = self
            .channel_account_writer
            .delete_channel_account(&caller.tenant, channel, account_id)
            .await?
        else {
            return Err(AdminError::NotFound("channel account"));
        };
        self.secret_writer
            .delete_secret(&before.secret_name())
            .await
            .map_err(|e| AdminError::Secrets(Box::new(e)))?;
        self.audit(
            caller,
            "channel_account.delete",
            &format!("{}/{account_id}", channel.as_str()),
            snapshot(&before),
            None,
        )
        .await
    }
}
