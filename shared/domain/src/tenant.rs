use crate::ids::{GroupId, TenantId, WidgetId};
use serde::{Deserialize, Serialize};

/// How many chats an operator may hold at once: a tenant setting, 1 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Capacity(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("capacity must be between {min} and {max}, got {got}")]
pub struct CapacityError {
    pub got: u32,
    pub min: u32,
    pub max: u32,
}

impl Capacity {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 10;
    pub const DEFAULT: Capacity = Capacity(3);

    pub fn new(chats: u32) -> Result<Self, CapacityError> {
        if (Self::MIN..=Self::MAX).contains(&chats) {
            Ok(Self(chats))
        } else {
            Err(CapacityError {
                got: chats,
                min: Self::MIN,
                max: Self::MAX,
            })
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Capacity {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for Capacity {
    type Error = CapacityError;
    fn try_from(v: u32) -> Result<Self, CapacityError> {
        Capacity::new(v)
    }
}

impl From<Capacity> for u32 {
    fn from(c: Capacity) -> u32 {
        c.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantSettings {
    pub max_chats: Capacity,
    /// How long a transfer to one operator waits for their answer before
    /// it returns to its group.
    #[serde(default = "default_transfer_timeout")]
    pub transfer_timeout_seconds: u32,
}

impl TenantSettings {
    pub const DEFAULT_TRANSFER_TIMEOUT_SECONDS: u32 = 120;
    /// The shortest and longest transfer timeouts a tenant may set.
    pub const TRANSFER_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 30..=3600;
}

fn default_transfer_timeout() -> u32 {
    TenantSettings::DEFAULT_TRANSFER_TIMEOUT_SECONDS
}

impl Default for TenantSettings {
    fn default() -> Self {
        TenantSettings {
            max_chats: Capacity::default(),
            transfer_timeout_seconds: default_transfer_timeout(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub settings: TenantSettings,
}

/// A chat widget embedded on one of the tenant's websites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Widget {
    pub id: WidgetId,
    pub tenant: TenantId,
    pub name: String,
    /// Where its conversations wait; None: the tenant's default group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupId>,
    /// Where offline forms from this widget are e-mailed; None: they are
    /// stored only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_is_bounded_and_defaults_to_three() {
        assert_eq!(Capacity::default().get(), 3);
        assert!(Capacity::new(0).is_err());
        assert!(Capacity::new(1).is_ok());
        assert!(Capacity::new(10).is_ok());
        assert_eq!(
            Capacity::new(11),
            Err(CapacityError {
                got: 11,
                min: 1,
                max: 10
            })
        );
    }
}
