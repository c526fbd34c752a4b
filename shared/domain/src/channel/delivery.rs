//! Where what we send through a channel stands, and why a send failed.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Stored and waiting for the sender function.
    Queued,
    Sent,
    Failed,
    Delivered,
    Read,
}

impl DeliveryState {
    /// Every state, lowest rank first.
    pub const ALL: [DeliveryState; 5] = [
        DeliveryState::Queued,
        DeliveryState::Sent,
        DeliveryState::Failed,
        DeliveryState::Delivered,
        DeliveryState::Read,
    ];

    /// Receipts arrive out of order; a state only ever moves up this ladder.
    /// `failed` outranks `sent` (a failure report follows the send) but not
    /// `delivered`/`read`, which prove the message arrived.
    pub fn rank(self) -> u8 {
        match self {
            DeliveryState::Queued => 0,
            DeliveryState::Sent => 1,
            DeliveryState::Failed => 2,
            DeliveryState::Delivered => 3,
            DeliveryState::Read => 4,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Read => "read",
        }
    }
}

/// A provider's numeric error code, or one of ours where the provider gave none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ErrorCode {
    /// 131047, 551, ...
    Provider(i64),
    /// `http_503`, `window_closed`, `retries_exhausted`, ...
    Ours(String),
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorCode::Provider(c) => write!(f, "{c}"),
            ErrorCode::Ours(c) => f.write_str(c),
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(c: &str) -> Self {
        ErrorCode::Ours(c.to_string())
    }
}

/// Why a send failed, in terms an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub struct DeliveryError {
    pub code: ErrorCode,
    pub retryable: bool,
    /// What to do next, e.g. `send_approved_template_to_reengage`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Where an outbound message stands with its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub state: DeliveryState,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<DeliveryError>,
}

impl Delivery {
    pub fn queued(at: Timestamp) -> Self {
        Delivery {
            state: DeliveryState::Queued,
            updated_at: at,
            error: None,
        }
    }

    /// True if `next` moves this delivery forward.
    pub fn advances_to(&self, next: DeliveryState) -> bool {
        next.rank() > self.state.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_never_moves_backwards() {
        let d = Delivery {
            state: DeliveryState::Delivered,
            updated_at: Timestamp(1),
            error: None,
        };
        assert!(!d.advances_to(DeliveryState::Sent));
        assert!(!d.advances_to(DeliveryState::Failed));
        assert!(d.advances_to(DeliveryState::Read));
        assert!(Delivery::queued(Timestamp(1)).advances_to(DeliveryState::Failed));
    }
}
