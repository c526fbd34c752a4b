//! Identifiers. Each is a validated newtype so a conversation id can never be
//! passed where an operator id is expected, and every id is safe to embed in a
//! storage key (no `#`, bounded length).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("may only contain letters, digits, '-', '_', '.', ':' and '='")]
    BadCharacter,
}

pub const MAX_ID_LEN: usize = 128;

fn validate(raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    if raw.len() > MAX_ID_LEN {
        return Err(IdError::TooLong { max: MAX_ID_LEN });
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '='))
    {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: impl Into<String>) -> Result<Self, IdError> {
                let raw = raw.into();
                validate(&raw)?;
                Ok(Self(raw))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(raw: String) -> Result<Self, IdError> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A company using Switchboard. Every other record belongs to exactly one tenant.
    TenantId
);
id_type!(
    /// A human agent of a tenant.
    OperatorId
);
id_type!(
    /// A website visitor (a contact reached through the chat widget).
    VisitorId
);
id_type!(ConversationId);
id_type!(
    /// The public id a tenant embeds in its website's widget snippet.
    WidgetId
);
id_type!(
    /// A group of operators with a waiting queue of its own ("Sales",
    /// "Support DE"). Every tenant has the default group, of all operators.
    GroupId
);

impl GroupId {
    /// The tenant's group of all its operators, where a conversation goes
    /// when its widget or channel account names no group.
    pub const DEFAULT: &'static str = "default";

    pub fn default_group() -> Self {
        GroupId(Self::DEFAULT.to_string())
    }

    pub fn is_default(&self) -> bool {
        self.0 == Self::DEFAULT
    }
}

impl Default for GroupId {
    fn default() -> Self {
        Self::default_group()
    }
}

id_type!(
    /// A WebSocket connection id as assigned by the gateway.
    ConnectionId
);
id_type!(
    /// Chosen by the sending client so that a resent message is recognised.
    ClientMessageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_key_safe_ids() {
        assert!(TenantId::parse("acme-01").is_ok());
        assert!(ConnectionId::parse("L0SM9cOFvHcCIhw=").is_ok());
        assert!(ConnectionId::parse("a/b").is_err());
    }

    #[test]
    fn rejects_separators_and_empty() {
        assert_eq!(TenantId::parse(""), Err(IdError::Empty));
        assert_eq!(TenantId::parse("a#b"), Err(IdError::BadCharacter));
        assert_eq!(
            TenantId::parse("x".repeat(129)),
            Err(IdError::TooLong { max: 128 })
        );
    }

    #[test]
    fn deserialising_validates() {
        let bad: Result<OperatorId, _> = serde_json_like("\"a b\"");
        assert!(bad.is_err());
    }

    fn serde_json_like(raw: &str) -> Result<OperatorId, IdError> {
        // The domain crate has no JSON dependency; go through the same TryFrom path serde uses.
        OperatorId::try_from(raw.trim_matches('"').to_string())
    }
}
