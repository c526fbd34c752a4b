use crate::entry::WidgetEntry;
use crate::ids::{GroupId, TenantId, WidgetId};
use serde::{Deserialize, Serialize};

/// How many chats an operator may hold at once: a tenant setting, 1 to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub settings: TenantSettings,
    /// An IANA time zone (`Europe/Prague`) that reports count days in;
    /// None: UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// A chat widget embedded on one of the tenant's websites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// The sites that may open this widget's visitor sockets
    /// (`https://shop.example.com`); empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_origins: Vec<String>,
    /// What its entry form offers, in the order of its buttons. Widgets
    /// stored before entries could be chosen offer all of them.
    #[serde(default = "WidgetEntry::all")]
    pub entries: Vec<WidgetEntry>,
}

/// An allowed origin that is not a browser origin, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("allowedOrigins[{index}]: {reason}")]
pub struct OriginError {
    pub index: usize,
    pub reason: &'static str,
}

impl Widget {
    /// At most this many allowed origins per widget.
    pub const MAX_ORIGINS: usize = 50;

    /// Origins as a browser sends them: `scheme://host[:port]`, lowercase,
    /// no path; `https`, or `http` for `localhost`.
    pub fn normalize_origins(raw: &[String]) -> Result<Vec<String>, OriginError> {
        if raw.len() > Self::MAX_ORIGINS {
            return Err(OriginError {
                index: Self::MAX_ORIGINS,
                reason: "at most 50 origins",
            });
        }
        raw.iter()
            .enumerate()
            .map(|(index, o)| {
                let o = o.trim().trim_end_matches('/').to_ascii_lowercase();
                let fail = |reason| OriginError { index, reason };
                let host = o
                    .strip_prefix("https://")
                    .or_else(|| {
                        o.strip_prefix("http://")
                            .filter(|h| h.starts_with("localhost") || h.starts_with("127.0.0.1"))
                    })
                    .ok_or_else(|| fail("must start with https:// (http:// only for localhost)"))?;
                let ok = !host.is_empty()
                    && host.len() <= 253
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
                if !ok {
                    return Err(fail("must be scheme://host[:port], without a path"));
                }
                Ok(o)
            })
            .collect()
    }

    /// Whether a visitor socket opened from `origin` (its `Origin` header)
    /// may join this widget. A widget that names no origins takes any; one
    /// that does refuses a socket without one.
    pub fn allows_origin(&self, origin: Option<&str>) -> bool {
        if self.allowed_origins.is_empty() {
            return true;
        }
        origin.is_some_and(|o| {
            let o = o.trim().trim_end_matches('/').to_ascii_lowercase();
            self.allowed_origins.contains(&o)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_browser_origins_and_checked_exactly() {
        let origins = Widget::normalize_origins(&[
            "https://Shop.Example.com/".into(),
            "http://localhost:5173".into(),
        ])
        .unwrap();
        assert_eq!(
            origins,
            ["https://shop.example.com", "http://localhost:5173"]
        );
        for (bad, index) in [("http://shop.example.com", 0), ("https://a.com/path", 0)] {
            assert_eq!(
                Widget::normalize_origins(&[bad.into()]).unwrap_err().index,
                index,
                "{bad}"
            );
        }
        let mut widget = Widget {
            id: crate::WidgetId::parse("w").unwrap(),
            tenant: TenantId::parse("t").unwrap(),
            name: "Shop".into(),
            group: None,
            offline_email: None,
            allowed_origins: Vec::new(),
            entries: WidgetEntry::all(),
        };
        assert!(widget.allows_origin(None), "no list: any");
        widget.allowed_origins = origins;
        assert!(widget.allows_origin(Some("https://shop.example.com")));
        assert!(widget.allows_origin(Some("HTTPS://SHOP.EXAMPLE.COM/")));
        assert!(!widget.allows_origin(Some("https://shop.example.com.evil.io")));
        assert!(!widget.allows_origin(None), "a list: an origin is required");
    }

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
