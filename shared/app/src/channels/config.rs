//! Channel configuration: provider secrets and which tenant owns each channel
//! account. One JSON document (`CHANNELS_CONFIG` on Lambda, `channels.json` in
//! the local stack's data directory), parsed once at start-up; anything wrong
//! stops start-up with the path of the offending field.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use secrecy::{ExposeSecret, SecretSlice, SecretString};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use switchboard_domain::{Channel, GroupId, TenantId};

/// A secret: never printed, never logged, wiped from memory when dropped
/// (`secrecy`). Reading it takes an explicit [`Secret::expose`].
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// One Meta app serves WhatsApp, Messenger and Instagram webhooks.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetaConfig {
    /// Keys the `X-Hub-Signature-256` HMAC.
    pub app_secret: Secret,
    /// Answers the subscription handshake; authenticates nothing else.
    pub verify_token: Secret,
    /// Our app's id: Messenger echoes carrying it are our own sends.
    #[serde(default)]
    pub app_id: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppleConfig {
    /// The Messaging Service Provider id: `aud` inbound, `iss` outbound.
    pub msp_id: String,
    /// As Apple Business Register issues it: base64 text.
    pub secret_base64: Secret,
}

/// A channel account (WhatsApp phone number id, Page id, Instagram account id,
/// Apple business id, VK group id) and the tenant whose conversations it feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountBinding {
    // (Bindings come from the configuration document, the migration path,
    // and from the store, where admins add them: `ChannelsSource`.)
    pub channel: Channel,
    pub account_id: String,
    pub tenant: TenantId,
    /// The group whose queue its conversations wait in; the tenant's default
    /// group if none. A group deleted later sends them to the default group.
    #[serde(default)]
    pub group: Option<GroupId>,
    /// Send API token (WhatsApp, Messenger, Instagram, VK). Apple signs with the MSP secret.
    #[serde(default)]
    pub access_token: Option<Secret>,
    /// VK: the Callback API's shared secret.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// VK: the string the confirmation request must be answered with.
    #[serde(default)]
    pub confirmation: Option<String>,
    /// WhatsApp: the Business Account the number belongs to, whose approved
    /// templates `template.sync` reads.
    #[serde(default)]
    pub waba_id: Option<String>,
}

/// Where the providers' APIs live; tests point these at a local fake.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoints {
    #[serde(default = "default_graph")]
    pub graph: String,
    #[serde(default = "default_apple")]
    pub apple: String,
    #[serde(default = "default_vk")]
    pub vk: String,
    #[serde(default = "default_vk_version")]
    pub vk_version: String,
}

fn default_graph() -> String {
    "https://graph.facebook.com/v21.0".into()
}
fn default_apple() -> String {
    "https://mspgw.push.apple.com".into()
}
fn default_vk() -> String {
    "https://api.vk.com/method".into()
}
fn default_vk_version() -> String {
    "5.199".into()
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            graph: default_graph(),
            apple: default_apple(),
            vk: default_vk(),
            vk_version: default_vk_version(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    meta: Option<MetaConfig>,
    #[serde(default)]
    apple: Option<AppleConfig>,
    #[serde(default)]
    accounts: Vec<AccountBinding>,
    #[serde(default)]
    endpoints: Endpoints,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("channels configuration: {0}")]
pub struct ChannelsConfigError(pub String);

/// Validated channel configuration.
#[derive(Debug, Clone)]
pub struct ChannelsConfig {
    pub meta: Option<MetaConfig>,
    pub apple: Option<AppleConfig>,
    /// The MSP secret, base64-decoded: Apple's JWTs are keyed with the bytes.
    pub apple_key: Option<SecretSlice<u8>>,
    pub endpoints: Endpoints,
    accounts: HashMap<(Channel, String), AccountBinding>,
}

impl ChannelsConfig {
    pub fn parse(json: &str) -> Result<Self, ChannelsConfigError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let raw: RawConfig = serde_path_to_error::deserialize(de)
            .map_err(|e| ChannelsConfigError(format!("{}: {}", e.path(), e.inner())))?;
        Self::validate(raw)
    }

    /// No channels: webhooks answer 404-free but every account is unknown.
    pub fn empty() -> Self {
        ChannelsConfig {
            meta: None,
            apple: None,
            apple_key: None,
            endpoints: Endpoints::default(),
            accounts: HashMap::new(),
        }
    }

    fn validate(raw: RawConfig) -> Result<Self, ChannelsConfigError> {
        let err = |m: String| Err(ChannelsConfigError(m));
        let apple_key = match &raw.apple {
            Some(a) => match STANDARD.decode(a.secret_base64.expose().trim()) {
                Ok(k) if k.len() >= 16 => Some(SecretSlice::from(k)),
                _ => return err("apple.secretBase64: must be base64 of at least 16 bytes".into()),
            },
            None => None,
        };
        let mut accounts = HashMap::new();
        for (i, a) in raw.accounts.into_iter().enumerate() {
            let at = format!("accounts[{i}]");
            if a.account_id.trim().is_empty() {
                return err(format!("{at}.accountId: must not be empty"));
            }
            match a.channel {
                Channel::WhatsApp | Channel::Messenger | Channel::Instagram => {
                    if raw.meta.is_none() {
                        return err(format!("{at}: a Meta channel needs the `meta` section"));
                    }
                    if a.access_token.is_none() {
                        return err(format!(
                            "{at}.accessToken: required to send on this channel"
                        ));
                    }
                }
                Channel::Apple => {
                    if raw.apple.is_none() {
                        return err(format!("{at}: an Apple account needs the `apple` section"));
                    }
                }
                Channel::Vk => {
                    for (field, present) in [
                        ("secret", a.secret.is_some()),
                        ("confirmation", a.confirmation.is_some()),
                        ("accessToken", a.access_token.is_some()),
                    ] {
                        if !present {
                            return err(format!("{at}.{field}: required for VK"));
                        }
                    }
                }
                Channel::WebChat => {
                    return err(format!("{at}.channel: webchat has no channel account"));
                }
            }
            let key = (a.channel, a.account_id.clone());
            if accounts.insert(key, a).is_some() {
                return err(format!("{at}: the same channel account is bound twice"));
            }
        }
        Ok(ChannelsConfig {
            meta: raw.meta,
            apple: raw.apple,
            apple_key,
            endpoints: raw.endpoints,
            accounts,
        })
    }

    pub fn account(&self, channel: Channel, account_id: &str) -> Option<&AccountBinding> {
        self.accounts.get(&(channel, account_id.to_string()))
    }

    /// The tenant's accounts on one channel, in account id order.
    pub fn accounts_of(&self, tenant: &TenantId, channel: Channel) -> Vec<&AccountBinding> {
        let mut found: Vec<&AccountBinding> = self
            .accounts
            .values()
            .filter(|a| a.channel == channel && &a.tenant == tenant)
            .collect();
        found.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        found
    }

    /// This configuration with the provider settings of `providers` (a
    /// document of the same shape, from the secrets port) where it has them.
    ///
    /// # Errors
    /// The document's own parse or validation error, naming the field.
    pub fn with_providers(&self, providers: &str) -> Result<ChannelsConfig, ChannelsConfigError> {
        let overlay = ChannelsConfig::parse(providers)?;
        let mut merged = self.clone();
        if overlay.meta.is_some() {
            merged.meta = overlay.meta;
        }
        if overlay.apple.is_some() {
            merged.apple = overlay.apple;
            merged.apple_key = overlay.apple_key;
        }
        for (key, binding) in overlay.accounts {
            merged.accounts.insert(key, binding);
        }
        Ok(merged)
    }

    /// This configuration with `stored` bindings added, the stored one
    /// winning where both bind an account (it is the newer).
    pub fn with_accounts(&self, stored: Vec<AccountBinding>) -> ChannelsConfig {
        let mut merged = self.clone();
        for binding in stored {
            merged
                .accounts
                .insert((binding.channel, binding.account_id.clone()), binding);
        }
        merged
    }

    pub fn is_apple_business(&self, business_id: &str) -> bool {
        self.account(Channel::Apple, business_id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_offending_field() {
        let e = ChannelsConfig::parse(
            r#"{"accounts":[{"channel":"whatsapp","accountId":"1","tenant":"t"}]}"#,
        )
        .unwrap_err();
        assert!(e.0.contains("accounts[0]"), "{e}");
        let e = ChannelsConfig::parse(r#"{"meta":{"appSecret":"s","verifyToken":"v","extra":1}}"#)
            .unwrap_err();
        assert!(e.0.contains("meta"), "{e}");
        let e = ChannelsConfig::parse(r#"{"apple":{"mspId":"m","secretBase64":"not base64!"}}"#)
            .unwrap_err();
        assert!(e.0.contains("apple.secretBase64"), "{e}");
    }

    #[test]
    fn secrets_do_not_print() {
        let c = ChannelsConfig::parse(
            r#"{"meta":{"appSecret":"hunter2","verifyToken":"v"},
                "accounts":[{"channel":"whatsapp","accountId":"1","tenant":"t","accessToken":"tok"}]}"#,
        )
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("tok\""));
        assert_eq!(
            c.account(Channel::WhatsApp, "1").unwrap().tenant.as_str(),
            "t"
        );
    }
}
