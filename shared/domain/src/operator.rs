use crate::conversation::EntryType;
use crate::ids::{OperatorId, TenantId};
use crate::tenant::Capacity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperatorStatus {
    Online,
    Away,
    Offline,
}

impl OperatorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorStatus::Online => "online",
            OperatorStatus::Away => "away",
            OperatorStatus::Offline => "offline",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "online" => Some(Self::Online),
            "away" => Some(Self::Away),
            "offline" => Some(Self::Offline),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Operator,
    Admin,
}

/// An operator's live state: what the capacity rule is evaluated against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub tenant: TenantId,
    pub id: OperatorId,
    pub name: String,
    pub status: OperatorStatus,
    /// Conversations currently assigned and not closed.
    pub active_chats: u32,
    /// True while the operator holds a video call, which must be their only conversation.
    pub in_video_call: bool,
    /// When a conversation was last assigned to them: automatic routing's
    /// tie-break between equally busy operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_assigned_at: Option<crate::time::Timestamp>,
    /// When a console of theirs last showed it was alive (connected or
    /// pinged). Routing counts an operator whose consoles have all gone
    /// quiet for two heartbeats as offline, whether or not `$disconnect`
    /// ever came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<crate::time::Timestamp>,
    /// The roles of their latest token, so a push about them made without
    /// their connection at hand (an automatic assignment) shows the same
    /// console. Empty for records from before roles were kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AcceptRefusal {
    #[error("operator is not online")]
    NotOnline,
    #[error("operator is at capacity ({capacity} chats)")]
    AtCapacity { capacity: u32 },
    #[error("a video call can only be accepted with no other chat open")]
    VideoNeedsFreeOperator,
    #[error("operator is in a video call and cannot take another chat")]
    InVideoCall,
}

/// How often consoles ping; two missed in a row and routing stops counting
/// the operator as online.
pub const HEARTBEAT_SECONDS: u64 = 30;

/// The oldest sign of life that still counts at `now`: two heartbeats back.
/// An operator last seen before it has vanished.
pub fn live_since(now: crate::time::Timestamp) -> crate::time::Timestamp {
    crate::time::Timestamp(now.millis().saturating_sub(2 * HEARTBEAT_SECONDS * 1000))
}

impl Operator {
    /// Whether a console of theirs has shown itself within two heartbeats
    /// of `now`. Records from before heartbeats were kept count as live.
    pub fn is_live(&self, now: crate::time::Timestamp) -> bool {
        self.last_seen_at
            .is_none_or(|seen| seen.millis() >= live_since(now).millis())
    }

    /// The capacity rule. Stores enforce the same rule atomically (a condition or a
    /// transaction); this function is its single statement and what they are tested against.
    pub fn may_accept(&self, entry: EntryType, capacity: Capacity) -> Result<(), AcceptRefusal> {
        if self.status != OperatorStatus::Online {
            return Err(AcceptRefusal::NotOnline);
        }
        if self.in_video_call {
            return Err(AcceptRefusal::InVideoCall);
        }
        if entry == EntryType::Video && self.active_chats > 0 {
            return Err(AcceptRefusal::VideoNeedsFreeOperator);
        }
        if self.active_chats >= capacity.get() {
            return Err(AcceptRefusal::AtCapacity {
                capacity: capacity.get(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(active: u32, video: bool) -> Operator {
        Operator {
            tenant: TenantId::parse("t").unwrap(),
            id: OperatorId::parse("o").unwrap(),
            name: "O".into(),
            status: OperatorStatus::Online,
            active_chats: active,
            in_video_call: video,
            last_assigned_at: None,
            last_seen_at: None,
            roles: vec![Role::Operator],
        }
    }

    #[test]
    fn capacity_limits_chats() {
        let cap = Capacity::new(2).unwrap();
        assert!(op(1, false).may_accept(EntryType::Chat, cap).is_ok());
        assert_eq!(
            op(2, false).may_accept(EntryType::Chat, cap),
            Err(AcceptRefusal::AtCapacity { capacity: 2 })
        );
    }

    #[test]
    fn video_call_only_alone() {
        let cap = Capacity::default();
        assert!(op(0, false).may_accept(EntryType::Video, cap).is_ok());
        assert_eq!(
            op(1, false).may_accept(EntryType::Video, cap),
            Err(AcceptRefusal::VideoNeedsFreeOperator)
        );
        assert_eq!(
            op(1, true).may_accept(EntryType::Chat, cap),
            Err(AcceptRefusal::InVideoCall)
        );
    }

    #[test]
    fn quiet_for_two_heartbeats_is_not_live() {
        use crate::time::Timestamp;
        let mut o = op(0, false);
        assert!(
            o.is_live(Timestamp(1_000_000)),
            "never seen: a record from before"
        );
        o.last_seen_at = Some(Timestamp(1_000_000));
        assert!(o.is_live(Timestamp(1_060_000)));
        assert!(!o.is_live(Timestamp(1_060_001)));
    }

    #[test]
    fn away_operator_cannot_accept() {
        let mut o = op(0, false);
        o.status = OperatorStatus::Away;
        assert_eq!(
            o.may_accept(EntryType::Chat, Capacity::default()),
            Err(AcceptRefusal::NotOnline)
        );
    }
}

/// One change of an operator's status, as the store logs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub at: crate::time::Timestamp,
    pub status: OperatorStatus,
}

/// Milliseconds spent online, away and offline between `from` and `to`,
/// from a log of changes in time order (the status before the first change
/// in range is the last one before `from`, or offline).
pub fn time_in_status(
    log: &[StatusChange],
    from: crate::time::Timestamp,
    to: crate::time::Timestamp,
) -> [(OperatorStatus, u64); 3] {
    let mut spent = [
        (OperatorStatus::Online, 0u64),
        (OperatorStatus::Away, 0u64),
        (OperatorStatus::Offline, 0u64),
    ];
    let mut current = OperatorStatus::Offline;
    let mut since = from.millis();
    for change in log {
        let at = change.at.millis();
        if at <= from.millis() {
            current = change.status;
            continue;
        }
        if at >= to.millis() {
            break;
        }
        if let Some(slot) = spent.iter_mut().find(|(s, _)| *s == current) {
            slot.1 += at - since;
        }
        current = change.status;
        since = at;
    }
    if let Some(slot) = spent.iter_mut().find(|(s, _)| *s == current) {
        slot.1 += to.millis().saturating_sub(since);
    }
    spent
}

#[cfg(test)]
mod status_tests {
    use super::*;
    use crate::time::Timestamp;

    #[test]
    fn intervals_are_cut_at_the_range() {
        let log = [
            StatusChange {
                at: Timestamp(100),
                status: OperatorStatus::Online,
            },
            StatusChange {
                at: Timestamp(300),
                status: OperatorStatus::Away,
            },
            StatusChange {
                at: Timestamp(350),
                status: OperatorStatus::Online,
            },
            StatusChange {
                at: Timestamp(900),
                status: OperatorStatus::Offline,
            },
        ];
        let spent = time_in_status(&log, Timestamp(200), Timestamp(1000));
        assert_eq!(
            spent,
            [
                (OperatorStatus::Online, 100 + 550),
                (OperatorStatus::Away, 50),
                (OperatorStatus::Offline, 100),
            ]
        );
        // Before anything was logged, an operator was offline.
        let spent = time_in_status(&log, Timestamp(0), Timestamp(100));
        assert_eq!(spent[2], (OperatorStatus::Offline, 100));
    }
}
