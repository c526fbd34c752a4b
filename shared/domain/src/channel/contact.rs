//! The people who write through messaging channels.

use crate::conversation::Channel;
use crate::ids::{TenantId, VisitorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Who the contact is, as far as the channel tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct ContactProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// WhatsApp's business-scoped user id (2026 usernames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_bsuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Apple: which rich message types the device supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// A person reaching a tenant through one channel account. Their visitor id is
/// derived from the channel identity, so every webhook for them, however
/// concurrent, lands on the same visitor and so on one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub tenant: TenantId,
    pub visitor: VisitorId,
    pub channel: Channel,
    pub account_id: String,
    pub contact_id: String,
    #[serde(default)]
    pub profile: ContactProfile,
    /// The client's latest message: WhatsApp's 24-hour window runs from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_inbound_at: Option<Timestamp>,
}

impl Contact {
    /// WhatsApp only accepts free-form messages this long after the client's
    /// last message; afterwards only approved templates.
    pub const WHATSAPP_WINDOW_SECONDS: u64 = 24 * 3600;

    /// Is a free-form message allowed now?
    pub fn window_open(&self, now: Timestamp) -> bool {
        match self.channel {
            Channel::WhatsApp => self.last_inbound_at.is_some_and(|at| {
                now.millis() < at.plus_seconds(Self::WHATSAPP_WINDOW_SECONDS).millis()
            }),
            _ => true,
        }
    }

    /// Later profile facts win; absent ones keep what we knew.
    pub fn merge(&mut self, newer: &Contact) {
        let p = &newer.profile;
        let mine = &mut self.profile;
        for (slot, value) in [
            (&mut mine.contact_name, &p.contact_name),
            (&mut mine.contact_phone, &p.contact_phone),
            (&mut mine.contact_bsuid, &p.contact_bsuid),
            (&mut mine.locale, &p.locale),
            (&mut mine.device, &p.device),
        ] {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        if p.capabilities.is_some() {
            mine.capabilities.clone_from(&p.capabilities);
        }
        self.last_inbound_at = self.last_inbound_at.max(newer.last_inbound_at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(last: Option<u64>) -> Contact {
        Contact {
            tenant: TenantId::parse("t").unwrap(),
            visitor: VisitorId::parse("wa-1").unwrap(),
            channel: Channel::WhatsApp,
            account_id: "a".into(),
            contact_id: "c".into(),
            profile: ContactProfile::default(),
            last_inbound_at: last.map(Timestamp),
        }
    }

    #[test]
    fn whatsapp_window_is_24_hours_from_the_last_inbound_message() {
        let day = 24 * 3600 * 1000;
        assert!(!contact(None).window_open(Timestamp(5)));
        assert!(contact(Some(1000)).window_open(Timestamp(1000 + day - 1)));
        assert!(!contact(Some(1000)).window_open(Timestamp(1000 + day)));
        let mut apple = contact(None);
        apple.channel = Channel::Apple;
        assert!(apple.window_open(Timestamp(u64::MAX / 2)));
    }

    #[test]
    fn merge_keeps_known_facts_and_the_latest_inbound_time() {
        let mut known = contact(Some(50));
        known.profile.contact_name = Some("Ada".into());
        let mut newer = contact(Some(40));
        newer.profile.locale = Some("fr_FR".into());
        known.merge(&newer);
        assert_eq!(known.profile.contact_name.as_deref(), Some("Ada"));
        assert_eq!(known.profile.locale.as_deref(), Some("fr_FR"));
        assert_eq!(known.last_inbound_at, Some(Timestamp(50)));
    }
}

/// A client's tag as operators write it: trimmed, lowercase, 1 to 40
/// characters of letters, digits, `-`, `_` and spaces; at most
/// [`MAX_TAGS`] per client.
pub fn normalize_tag(raw: &str) -> Option<String> {
    let tag = raw.trim().to_lowercase();
    let ok = !tag.is_empty()
        && tag.chars().count() <= 40
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '));
    ok.then_some(tag)
}

/// The most tags a client carries.
pub const MAX_TAGS: usize = 50;

#[cfg(test)]
mod tag_tests {
    #[test]
    fn tags_are_trimmed_lowercase_words() {
        assert_eq!(super::normalize_tag("  VIP ").as_deref(), Some("vip"));
        assert_eq!(
            super::normalize_tag("Stammkunde-Ü").as_deref(),
            Some("stammkunde-ü")
        );
        assert_eq!(super::normalize_tag(""), None);
        assert_eq!(super::normalize_tag("a,b"), None);
        assert_eq!(super::normalize_tag(&"x".repeat(41)), None);
    }
}
