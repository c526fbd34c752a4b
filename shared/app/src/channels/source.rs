//! Where the webhook, inbound and sender functions find channel accounts:
//! the deployment's provider settings (the Meta app, the Apple MSP,
//! endpoints: the secret `channels/providers`, over the `CHANNELS_CONFIG`
//! document, which also keeps accounts bound before the admin API existed)
//! joined with the accounts admins bound in the store and their secrets. Cached briefly, so
//! adding or rotating an account takes effect without a redeploy.

use super::config::{AccountBinding, ChannelsConfig, Secret};
use crate::adapters::Adapters;
use crate::ports::{ChannelAccountStore, Secrets, SecretsError, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::Channel;

/// A stored account's secrets, kept together as one secret (JSON).
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// VK's Callback API secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl std::fmt::Debug for AccountSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountSecrets(..)")
    }
}

impl AccountSecrets {
    pub fn to_secret(&self) -> Secret {
        Secret::new(serde_json::to_string(self).unwrap_or_default())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelsSourceError {
    #[error("reading channel accounts failed")]
    Store(#[from] StoreError),
    #[error("reading channel secrets failed")]
    Secrets(#[from] SecretsError),
    #[error("the secrets of {0} are unreadable")]
    Corrupt(String),
    #[error("the provider settings ({PROVIDERS_SECRET}) are invalid: {0}")]
    Providers(String),
}

/// The secret holding the deployment's provider settings (the Meta app, the
/// Apple MSP, endpoints), in the configuration document's shape.
pub const PROVIDERS_SECRET: &str = "channels/providers";

#[derive(Default)]
struct State {
    snapshot: Option<(Instant, Arc<ChannelsConfig>)>,
    /// The provider settings, read at most every [`ChannelsSource::PROVIDERS_TTL`].
    providers: Option<(Instant, Arc<ChannelsConfig>)>,
    /// Secrets by name, with the version they were read at.
    secrets: HashMap<String, (u64, AccountSecrets)>,
    /// When an unknown account last forced a refresh.
    misses: HashMap<(Channel, String), Instant>,
}

pub struct ChannelsSource {
    base: Arc<ChannelsConfig>,
    store: Option<(Arc<dyn ChannelAccountStore>, Arc<dyn Secrets>)>,
    state: tokio::sync::Mutex<State>,
}

impl ChannelsSource {
    /// A stored binding is seen by every function within this long.
    pub const TTL: Duration = Duration::from_secs(30);
    /// An unknown account forces a refresh at most this often.
    pub const MISS_INTERVAL: Duration = Duration::from_secs(10);
    /// Provider settings change rarely (a new Meta app secret); five
    /// minutes keeps Secrets Manager reads to about 9,000 a month per warm
    /// instance.
    pub const PROVIDERS_TTL: Duration = Duration::from_secs(300);

    pub fn build(adapters: &dyn Adapters, base: Arc<ChannelsConfig>) -> Arc<Self> {
        Arc::new(ChannelsSource {
            base,
            store: Some((adapters.channel_accounts(), adapters.secrets())),
            state: Default::default(),
        })
    }

    /// Only the configuration document (tests of one function's parsing).
    pub fn fixed(base: Arc<ChannelsConfig>) -> Arc<Self> {
        Arc::new(ChannelsSource {
            base,
            store: None,
            state: Default::default(),
        })
    }

    /// The configuration as of at most [`Self::TTL`] ago.
    pub async fn current(&self) -> Result<Arc<ChannelsConfig>, ChannelsSourceError> {
        let mut state = self.state.lock().await;
        if let Some((at, snapshot)) = &state.snapshot {
            if at.elapsed() < Self::TTL {
                return Ok(snapshot.clone());
            }
        }
        self.refresh(&mut state).await
    }

    /// The configuration, read again now if it does not know the account
    /// (one just added), at most once per [`Self::MISS_INTERVAL`] per account.
    pub async fn knowing(
        &self,
        channel: Channel,
        account_id: &str,
    ) -> Result<Arc<ChannelsConfig>, ChannelsSourceError> {
        let config = self.current().await?;
        if config.account(channel, account_id).is_some() || self.store.is_none() {
            return Ok(config);
        }
        let mut state = self.state.lock().await;
        let key = (channel, account_id.to_string());
        if state
            .misses
            .get(&key)
            .is_some_and(|at| at.elapsed() < Self::MISS_INTERVAL)
        {
            return Ok(config);
        }
        state.misses.insert(key, Instant::now());
        self.refresh(&mut state).await
    }

    async fn refresh(&self, state: &mut State) -> Result<Arc<ChannelsConfig>, ChannelsSourceError> {
        let Some((store, secrets)) = &self.store else {
            return Ok(self.base.clone());
        };
        let base = match &state.providers {
            Some((at, providers)) if at.elapsed() < Self::PROVIDERS_TTL => providers.clone(),
            _ => {
                let providers = match secrets.secret(PROVIDERS_SECRET).await? {
                    Some(doc) => Arc::new(
                        self.base
                            .with_providers(doc.expose())
                            .map_err(|e| ChannelsSourceError::Providers(e.0))?,
                    ),
                    None => self.base.clone(),
                };
                state.providers = Some((Instant::now(), providers.clone()));
                providers
            }
        };
        let accounts = store.channel_accounts().await?;
        let mut bindings = Vec::with_capacity(accounts.len());
        for account in accounts {
            let name = account.secret_name();
            let fresh = state
                .secrets
                .get(&name)
                .filter(|(version, _)| *version == account.secrets_version)
                .map(|(_, s)| s.clone());
            let values = match fresh {
                Some(values) => values,
                None => {
                    let values = match secrets.secret(&name).await? {
                        Some(raw) => serde_json::from_str::<AccountSecrets>(raw.expose())
                            .map_err(|_| ChannelsSourceError::Corrupt(name.clone()))?,
                        None => AccountSecrets::default(),
                    };
                    state
                        .secrets
                        .insert(name.clone(), (account.secrets_version, values.clone()));
                    values
                }
            };
            bindings.push(AccountBinding {
                channel: account.channel,
                account_id: account.account_id,
                tenant: account.tenant,
                group: account.group,
                access_token: values.access_token.map(Secret::new),
                secret: values.secret.map(Secret::new),
                confirmation: account.confirmation,
                waba_id: account.waba_id,
            });
        }
        let snapshot = Arc::new(base.with_accounts(bindings));
        state.snapshot = Some((Instant::now(), snapshot.clone()));
        Ok(snapshot)
    }
}
