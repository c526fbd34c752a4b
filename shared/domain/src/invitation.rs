//! Six-digit invitation codes: an operator hands one to a client (over the
//! phone, say), and the client who enters it when starting is routed to
//! that operator. Codes are short, so they are single-use, expire, are
//! stored only as a keyed digest, and guessing is rate limited.

use crate::ids::{OperatorId, TenantId};
use crate::time::Timestamp;

/// Exactly six ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an invitation code is six digits")]
pub struct MalformedCode;

impl InvitationCode {
    pub const DIGITS: usize = 6;

    /// Spaces and dashes a person may type between digits are ignored.
    pub fn parse(raw: &str) -> Result<Self, MalformedCode> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() == Self::DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(InvitationCode(digits))
        } else {
            Err(MalformedCode)
        }
    }

    /// The code for a number below 10^6 (the caller draws it from a CSPRNG).
    pub fn from_number(n: u32) -> Self {
        InvitationCode(format!("{:06}", n % 1_000_000))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A code as stored: its digest, never the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub tenant: TenantId,
    /// A keyed digest of the tenant and the code.
    pub digest: String,
    pub operator: OperatorId,
    pub expires_at: Timestamp,
}

/// How guessing is limited.
pub struct AttemptLimits;

impl AttemptLimits {
    /// Wrong codes one connection may enter before it is locked out.
    pub const PER_CONNECTION: u32 = 5;
    /// Wrong codes one widget may see in a minute before it is locked out.
    pub const PER_WIDGET_MINUTE: u32 = 30;
    /// How long a widget's lock-out lasts: its minute, and this many after.
    pub const WIDGET_LOCK_MINUTES: u64 = 5;
    /// How long an invitation is valid by default.
    pub const DEFAULT_VALID_MINUTES: u64 = 30;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_and_nothing_else() {
        assert_eq!(InvitationCode::parse("042 917").unwrap().as_str(), "042917");
        assert_eq!(InvitationCode::parse("042-917").unwrap().as_str(), "042917");
        for bad in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦"] {
            assert_eq!(InvitationCode::parse(bad), Err(MalformedCode), "{bad}");
        }
        assert_eq!(InvitationCode::from_number(42).as_str(), "000042");
    }
}
