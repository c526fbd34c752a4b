//! What a conversation starts from: the channel the client writes on and
//! what the widget knew about them.

use serde::{Deserialize, Serialize};

/// How the client asked to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    Chat,
    Video,
    Callback,
}

/// Where the client writes from. Only the web widget exists yet; the messaging
/// channels arrive with their webhooks and already have a place here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    WebChat,
    WhatsApp,
    Messenger,
    Instagram,
    Apple,
    Vk,
}

impl Channel {
    /// As it is written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WebChat => "webchat",
            Channel::WhatsApp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Apple => "apple",
            Channel::Vk => "vk",
        }
    }
}

/// A way in that a widget offers, as a button on its entry form. A widget
/// lists the ones it offers, in the order its buttons show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WidgetEntry {
    Chat,
    Video,
    /// A callback to the phone number the visitor leaves.
    Callback,
    /// A six-digit code from an operator, which routes to that operator.
    Invitation,
}

/// Why a widget's list of entries was refused: the field (`entries` or
/// `entries[i]`) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct EntriesError {
    pub field: String,
    pub reason: &'static str,
}

impl WidgetEntry {
    /// What a widget offers unless its admin says otherwise.
    pub const ALL: [WidgetEntry; 4] = [
        WidgetEntry::Chat,
        WidgetEntry::Video,
        WidgetEntry::Callback,
        WidgetEntry::Invitation,
    ];

    pub fn all() -> Vec<WidgetEntry> {
        Self::ALL.to_vec()
    }

    pub fn is_all(entries: &[WidgetEntry]) -> bool {
        entries == Self::ALL
    }

    /// The entry that starts a conversation of this type without a code.
    pub fn of(entry_type: EntryType) -> WidgetEntry {
        match entry_type {
            EntryType::Chat => WidgetEntry::Chat,
            EntryType::Video => WidgetEntry::Video,
            EntryType::Callback => WidgetEntry::Callback,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WidgetEntry::Chat => "chat",
            WidgetEntry::Video => "video",
            WidgetEntry::Callback => "callback",
            WidgetEntry::Invitation => "invitation",
        }
    }

    pub fn parse(raw: &str) -> Option<WidgetEntry> {
        Self::ALL.into_iter().find(|e| e.as_str() == raw)
    }

    /// A list an admin wrote: at least one entry, none twice.
    pub fn check_list(entries: &[WidgetEntry]) -> Result<(), EntriesError> {
        if entries.is_empty() {
            return Err(EntriesError {
                field: "entries".into(),
                reason: "a widget offers at least one entry",
            });
        }
        for (index, entry) in entries.iter().enumerate() {
            if entries[..index].contains(entry) {
                return Err(EntriesError {
                    field: format!("entries[{index}]"),
                    reason: "listed twice",
                });
            }
        }
        Ok(())
    }
}

/// What the widget knows when a conversation starts, shown to operators in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryInfo {
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    pub language: String,
    pub browser: String,
    pub os: String,
    pub widget: String,
    pub page_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// From the entry form, or chosen when contacts are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl EntryInfo {
    /// The most characters a name from the entry form may have.
    pub const MAX_NAME: usize = 120;

    /// Checks what the client typed in the entry form: the field that is
    /// wrong (`entry.name`, `entry.phone`, `entry.email`) and why.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if self
            .name
            .as_deref()
            .is_some_and(|n| n.chars().count() > Self::MAX_NAME)
        {
            return Err((
                "entry.name",
                format!("at most {} characters", Self::MAX_NAME),
            ));
        }
        if let Some(phone) = self.phone.as_deref() {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let phone_like = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
            if !phone_like || !(3..=20).contains(&digits) {
                return Err((
                    "entry.phone",
                    "3 to 20 digits, with + - ( ) / . or spaces".into(),
                ));
            }
        }
        if let Some(email) = self.email.as_deref() {
            crate::account::Email::parse(email)
                .map_err(|_| ("entry.email", "not an e-mail address".to_string()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> EntryInfo {
        EntryInfo {
            entry_type: EntryType::Chat,
            language: "en".into(),
            browser: String::new(),
            os: String::new(),
            widget: String::new(),
            page_url: String::new(),
            name: Some("Grace".into()),
            phone: Some("+44 (0) 7700-900123".into()),
            email: Some("Grace@Example.com".into()),
        }
    }

    #[test]
    fn a_widget_offers_at_least_one_entry_and_none_twice() {
        use WidgetEntry::*;
        assert_eq!(WidgetEntry::check_list(&[Callback, Chat]), Ok(()));
        let field = |list: &[WidgetEntry]| WidgetEntry::check_list(list).unwrap_err().field;
        assert_eq!(field(&[]), "entries");
        assert_eq!(field(&[Chat, Video, Chat]), "entries[2]");
        for entry in WidgetEntry::ALL {
            assert_eq!(WidgetEntry::parse(entry.as_str()), Some(entry));
            let json = serde_json::to_string(&entry).unwrap();
            assert_eq!(json, format!("\"{}\"", entry.as_str()));
        }
        assert_eq!(WidgetEntry::of(EntryType::Video), Video);
    }

    #[test]
    fn the_entry_form_names_the_field_it_refuses() {
        assert_eq!(entry().check(), Ok(()));
        let field = |e: EntryInfo| e.check().unwrap_err().0;
        assert_eq!(
            field(EntryInfo {
                email: Some("grace".into()),
                ..entry()
            }),
            "entry.email"
        );
        assert_eq!(
            field(EntryInfo {
                phone: Some("call me".into()),
                ..entry()
            }),
            "entry.phone"
        );
        assert_eq!(
            field(EntryInfo {
                phone: Some("12".into()),
                ..entry()
            }),
            "entry.phone"
        );
        assert_eq!(
            field(EntryInfo {
                name: Some("x".repeat(121)),
                ..entry()
            }),
            "entry.name"
        );
    }
}
