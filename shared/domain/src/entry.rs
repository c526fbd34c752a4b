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
