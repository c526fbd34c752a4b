//! The wait a visitor is told while in a queue.
//!
//! Each slot of the group's online operators frees, on average, once per
//! recent handling time; with `S` slots one frees every `H / S`. A visitor
//! at place `p` with `F` slots free now needs `p - F` more to free, so waits
//! about `(p - F) · H / S`. With nobody online there is no estimate.

use crate::ids::GroupId;
use crate::operator::{Operator, OperatorStatus};
use crate::routing::Group;
use crate::tenant::Capacity;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// How long the group's chats took, from accept to close, in one clock
/// hour: what a close adds to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HandlingBucket {
    pub group: GroupId,
    /// Hours since the epoch.
    pub hour: u64,
    pub total_millis: u64,
    pub chats: u64,
}

impl HandlingBucket {
    pub fn hour_of(at: Timestamp) -> u64 {
        at.millis() / 3_600_000
    }
}

/// Chats closed within this many hours count as recent.
pub const WINDOW_HOURS: u64 = 24;
/// What a group without a recent chat is assumed to take per chat.
pub const DEFAULT_HANDLING_SECONDS: u64 = 300;

/// The mean handling time of `group`'s chats closed in the last
/// [`WINDOW_HOURS`], in seconds (at least 1), or the default without any.
pub fn mean_handling_seconds(buckets: &[HandlingBucket], group: &GroupId, now: Timestamp) -> u64 {
    let current = HandlingBucket::hour_of(now);
    let (total, chats) = buckets
        .iter()
        .filter(|b| &b.group == group && b.hour + WINDOW_HOURS > current && b.hour <= current)
        .fold((0u64, 0u64), |(t, c), b| {
            (t.saturating_add(b.total_millis), c.saturating_add(b.chats))
        });
    match chats {
        0 => DEFAULT_HANDLING_SECONDS,
        _ => (total / chats / 1000).max(1),
    }
}

/// What a group's online operators can take: all their slots, and the ones
/// free now.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct GroupLoad {
    pub slots: u32,
    pub free: u32,
}

/// The load of `group` among `operators`: those in it, online and live.
pub fn group_load<'a>(
    operators: impl IntoIterator<Item = &'a Operator>,
    group: &Group,
    capacity: Capacity,
    now: Timestamp,
) -> GroupLoad {
    operators
        .into_iter()
        .filter(|o| group.includes(&o.id) && o.status == OperatorStatus::Online && o.is_live(now))
        .fold(GroupLoad::default(), |load, o| {
            let free = match o.in_video_call {
                true => 0,
                false => capacity.get().saturating_sub(o.active_chats),
            };
            GroupLoad {
                slots: load.slots + capacity.get(),
                free: load.free + free,
            }
        })
}

/// Seconds the visitor at 1-based `position` may expect to wait; None when
/// nobody is online to serve the group.
pub fn estimated_wait_seconds(position: usize, load: GroupLoad, mean_handling: u64) -> Option<u64> {
    if load.slots == 0 {
        return None;
    }
    let still_to_free = (position as u64).saturating_sub(u64::from(load.free));
    Some((still_to_free * mean_handling).div_ceil(u64::from(load.slots)))
}

/// The band an estimate falls in: under a minute, then bands 20% wider
/// each. A visitor hears of a new estimate when its band changes, so a
/// small change to a long wait costs no push.
pub fn estimate_band(seconds: Option<u64>) -> Option<u32> {
    let seconds = seconds?;
    if seconds < 60 {
        return Some(0);
    }
    Some(1 + ((seconds as f64 / 60.0).ln() / 1.2f64.ln()).floor() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OperatorId, TenantId};

    fn op(id: &str, active: u32, status: OperatorStatus) -> Operator {
        Operator {
            tenant: TenantId::parse("t").unwrap(),
            id: OperatorId::parse(id).unwrap(),
            name: id.into(),
            status,
            active_chats: active,
            in_video_call: false,
            last_assigned_at: None,
            last_seen_at: None,
            roles: Vec::new(),
        }
    }

    #[test]
    fn waits_grow_with_the_place_and_shrink_with_capacity() {
        let load = GroupLoad { slots: 6, free: 0 };
        assert_eq!(estimated_wait_seconds(1, load, 300), Some(50));
        assert_eq!(estimated_wait_seconds(6, load, 300), Some(300));
        assert_eq!(estimated_wait_seconds(12, load, 300), Some(600));
        let doubled = GroupLoad { slots: 12, free: 0 };
        assert_eq!(estimated_wait_seconds(12, doubled, 300), Some(300));
    }

    #[test]
    fn free_slots_serve_the_front_at_once_and_nobody_online_means_no_estimate() {
        let load = GroupLoad { slots: 6, free: 2 };
        assert_eq!(estimated_wait_seconds(1, load, 300), Some(0));
        assert_eq!(estimated_wait_seconds(2, load, 300), Some(0));
        assert_eq!(estimated_wait_seconds(3, load, 300), Some(50));
        assert_eq!(
            estimated_wait_seconds(1, GroupLoad { slots: 0, free: 0 }, 300),
            None
        );
    }

    #[test]
    fn the_mean_is_of_the_last_day_and_defaults_without_one() {
        let g = GroupId::parse("sales").unwrap();
        let now = Timestamp(100 * 3_600_000 + 5);
        let bucket = |hour, total_millis, chats| HandlingBucket {
            group: g.clone(),
            hour,
            total_millis,
            chats,
        };
        let buckets = vec![
            bucket(100, 600_000, 2),
            bucket(80, 60_000, 1),
            // Older than a day, or another group's: left out.
            bucket(76, 9_000_000, 1),
            HandlingBucket {
                group: GroupId::default_group(),
                ..bucket(100, 9_000_000, 1)
            },
        ];
        assert_eq!(mean_handling_seconds(&buckets, &g, now), 220);
        assert_eq!(
            mean_handling_seconds(&[], &g, now),
            DEFAULT_HANDLING_SECONDS
        );
    }

    #[test]
    fn estimate_bands_are_at_most_20_percent_wide() {
        assert_eq!(estimate_band(None), None);
        assert_eq!(estimate_band(Some(0)), Some(0));
        assert_eq!(estimate_band(Some(59)), Some(0));
        assert_eq!(estimate_band(Some(60)), Some(1));
        assert_eq!(estimate_band(Some(71)), Some(1));
        assert_eq!(estimate_band(Some(72)), Some(2));
        assert!(estimate_band(Some(3600)) < Some(30));
    }

    #[test]
    fn only_online_live_members_count() {
        let mut group = Group::default_for(TenantId::parse("t").unwrap());
        group.id = GroupId::parse("sales").unwrap();
        group.members = vec![
            OperatorId::parse("a").unwrap(),
            OperatorId::parse("b").unwrap(),
        ];
        let mut stale = op("b", 0, OperatorStatus::Online);
        stale.last_seen_at = Some(Timestamp(0));
        let ops = [
            op("a", 1, OperatorStatus::Online),
            stale,
            op("c", 0, OperatorStatus::Online),
        ];
        let capacity = Capacity::new(3).unwrap();
        let load = group_load(&ops, &group, capacity, Timestamp(10 * 60_000));
        assert_eq!(load, GroupLoad { slots: 3, free: 2 });
    }
}
