//! Groups of operators and how a waiting conversation finds one of them.
//!
//! A conversation waits in its group's queue. Under [`RoutingPolicy::Manual`]
//! the group's operators take conversations themselves; under
//! [`RoutingPolicy::Auto`] the queue-assignment function hands each one to
//! the operator [`choose`] picks. Both go through the same conditional
//! accept, so the capacity rule holds whichever way a conversation is taken.

use crate::conversation::EntryType;
use crate::ids::{GroupId, OperatorId, TenantId};
use crate::operator::Operator;
use crate::tenant::Capacity;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RoutingPolicy {
    /// Operators accept from the queue.
    #[default]
    Manual,
    /// The queue-assignment function assigns as soon as someone has room.
    Auto,
}

impl RoutingPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingPolicy::Manual => "manual",
            RoutingPolicy::Auto => "auto",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "manual" => Some(Self::Manual),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: GroupId,
    pub tenant: TenantId,
    pub name: String,
    /// Empty for the default group, whose members are all the tenant's operators.
    #[serde(default)]
    pub members: Vec<OperatorId>,
    #[serde(default)]
    pub policy: RoutingPolicy,
    /// None: always open (as far as hours go).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<crate::hours::BusinessHours>,
}

/// Why a group definition is refused; each names what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupError {
    #[error("name must be 1 to {max} characters")]
    Name { max: usize },
    #[error("a group has at most {max} members")]
    TooManyMembers { max: usize },
    #[error("operator {0} is listed twice")]
    DuplicateMember(OperatorId),
    #[error("a group other than the default needs at least one member")]
    Empty,
    #[error("the default group holds every operator; it takes no member list")]
    DefaultHasMembers,
    #[error(transparent)]
    Hours(#[from] crate::hours::HoursError),
}

impl Group {
    pub const MAX_NAME: usize = 100;
    /// A group is saved in one transaction with a check that each member
    /// exists, and a DynamoDB transaction holds at most 100 items.
    pub const MAX_MEMBERS: usize = 99;

    /// The tenant's default group as it is before an admin configures it.
    pub fn default_for(tenant: TenantId) -> Self {
        Group {
            id: GroupId::default_group(),
            tenant,
            name: "All operators".into(),
            members: Vec::new(),
            policy: RoutingPolicy::Manual,
            hours: None,
        }
    }

    pub fn validate(&self) -> Result<(), GroupError> {
        if let Some(hours) = &self.hours {
            hours.validate()?;
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_NAME {
            return Err(GroupError::Name {
                max: Self::MAX_NAME,
            });
        }
        if self.id.is_default() {
            return match self.members.is_empty() {
                true => Ok(()),
                false => Err(GroupError::DefaultHasMembers),
            };
        }
        if self.members.is_empty() {
            return Err(GroupError::Empty);
        }
        if self.members.len() > Self::MAX_MEMBERS {
            return Err(GroupError::TooManyMembers {
                max: Self::MAX_MEMBERS,
            });
        }
        let mut seen = std::collections::HashSet::new();
        for m in &self.members {
            if !seen.insert(m) {
                return Err(GroupError::DuplicateMember(m.clone()));
            }
        }
        Ok(())
    }

    pub fn includes(&self, operator: &OperatorId) -> bool {
        self.id.is_default() || self.members.contains(operator)
    }
}

impl crate::Conversation {
    /// Whether `operator` accepting this conversation themselves needs them
    /// to be a member of the group it waits in: not for the default group
    /// (everyone's), not when it is addressed to them (a transfer or an
    /// invitation), never for an admin, who sees every queue.
    pub fn accept_needs_membership(&self, operator: &crate::Operator) -> bool {
        !self.group.is_default()
            && !operator.roles.contains(&crate::Role::Admin)
            && self
                .pending_transfer
                .as_ref()
                .is_none_or(|p| p.to != operator.id)
    }
}

/// The operator the next conversation of `group` goes to: among those who
/// may take it (in the group, online, with room, a video call only alone),
/// the one with the fewest active chats; on a tie the one whose last
/// assignment is oldest (never assigned counts as oldest); then by id, so
/// the choice is the same on every run.
pub fn choose<'a>(
    operators: impl IntoIterator<Item = &'a Operator>,
    group: &Group,
    entry: EntryType,
    capacity: Capacity,
) -> Option<&'a Operator> {
    operators
        .into_iter()
        .filter(|op| group.includes(&op.id) && op.may_accept(entry, capacity).is_ok())
        .min_by(|a, b| {
            (a.active_chats, a.last_assigned_at, &a.id).cmp(&(
                b.active_chats,
                b.last_assigned_at,
                &b.id,
            ))
        })
}

/// Asks the queue-assignment function to hand out what waits. Carries no
/// state: the function reads the queues and the operators as they are, so a
/// trigger repeated, reordered or lost (the sweep runs anyway) changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignTrigger {
    pub tenant: TenantId,
    /// The groups whose queues changed; None: every group of the tenant (an
    /// operator came online or freed a slot, or capacity changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupId>>,
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::OperatorStatus;

    fn op(id: &str, active: u32, last: Option<u64>) -> Operator {
        Operator {
            tenant: TenantId::parse("t").unwrap(),
            id: OperatorId::parse(id).unwrap(),
            name: id.into(),
            status: OperatorStatus::Online,
            active_chats: active,
            in_video_call: false,
            last_assigned_at: last.map(Timestamp),
            last_seen_at: None,
            roles: Vec::new(),
        }
    }

    fn group(members: &[&str]) -> Group {
        Group {
            id: GroupId::parse("sales").unwrap(),
            tenant: TenantId::parse("t").unwrap(),
            name: "Sales".into(),
            members: members
                .iter()
                .map(|m| OperatorId::parse(*m).unwrap())
                .collect(),
            policy: RoutingPolicy::Auto,
            hours: None,
        }
    }

    fn pick(ops: &[Operator], g: &Group, entry: EntryType) -> Option<String> {
        choose(ops, g, entry, Capacity::new(2).unwrap()).map(|o| o.id.to_string())
    }

    #[test]
    fn only_members_who_may_accept_are_eligible() {
        let mut away = op("away", 0, None);
        away.status = OperatorStatus::Away;
        let mut offline = op("offline", 0, None);
        offline.status = OperatorStatus::Offline;
        let full = op("full", 2, None);
        let outsider = op("outsider", 0, None);
        let g = group(&["away", "offline", "full"]);
        let ops = [away, offline, full, outsider];
        assert_eq!(pick(&ops, &g, EntryType::Chat), None);
        let g = group(&["away", "offline", "full", "outsider"]);
        assert_eq!(pick(&ops, &g, EntryType::Chat).as_deref(), Some("outsider"));
    }

    #[test]
    fn least_busy_first_then_longest_since_last_assignment() {
        let ops = [
            op("a", 1, Some(5)),
            op("b", 0, Some(9)),
            op("c", 0, Some(7)),
        ];
        let g = group(&["a", "b", "c"]);
        assert_eq!(pick(&ops, &g, EntryType::Chat).as_deref(), Some("c"));
        // Never assigned beats any time; the id settles a full tie.
        let ops = [op("b", 0, None), op("a", 0, None), op("c", 0, Some(1))];
        let g = group(&["a", "b", "c"]);
        assert_eq!(pick(&ops, &g, EntryType::Chat).as_deref(), Some("a"));
    }

    #[test]
    fn video_goes_only_to_a_free_operator_and_blocks_them() {
        let mut in_call = op("in-call", 1, Some(1));
        in_call.in_video_call = true;
        let ops = [
            op("busy", 1, Some(1)),
            in_call.clone(),
            op("free", 0, Some(9)),
        ];
        let g = group(&["busy", "in-call", "free"]);
        assert_eq!(pick(&ops, &g, EntryType::Video).as_deref(), Some("free"));
        let ops = [op("busy", 1, Some(1)), in_call];
        assert_eq!(pick(&ops, &g, EntryType::Video), None);
        assert_eq!(pick(&ops, &g, EntryType::Chat).as_deref(), Some("busy"));
    }

    #[test]
    fn the_default_group_holds_everyone() {
        let g = Group::default_for(TenantId::parse("t").unwrap());
        assert!(g.validate().is_ok());
        let ops = [op("x", 0, None)];
        assert_eq!(pick(&ops, &g, EntryType::Chat).as_deref(), Some("x"));
    }

    #[test]
    fn invalid_groups_say_why() {
        let mut g = group(&[]);
        assert_eq!(g.validate(), Err(GroupError::Empty));
        g = group(&["a", "a"]);
        assert_eq!(
            g.validate(),
            Err(GroupError::DuplicateMember(OperatorId::parse("a").unwrap()))
        );
        g = group(&["a"]);
        g.name = " ".into();
        assert_eq!(g.validate(), Err(GroupError::Name { max: 100 }));
        let mut d = Group::default_for(TenantId::parse("t").unwrap());
        d.members.push(OperatorId::parse("a").unwrap());
        assert_eq!(d.validate(), Err(GroupError::DefaultHasMembers));
        let many: Vec<String> = (0..100).map(|i| format!("o{i}")).collect();
        let refs: Vec<&str> = many.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            group(&refs).validate(),
            Err(GroupError::TooManyMembers { max: 99 })
        );
    }
}
