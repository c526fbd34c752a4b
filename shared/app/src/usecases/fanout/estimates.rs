//! The wait a visitor is told: from the group's online slots and recent
//! handling times, and told again when capacity moves it to another band.

use super::Fanout;
use crate::error::ActionError;
use crate::ports::RoutingSnapshot;
use switchboard_domain::estimate::{
    estimate_band, estimated_wait_seconds, group_load, mean_handling_seconds, GroupLoad,
};
use switchboard_domain::{GroupId, TenantId, Timestamp};

impl Fanout {
    /// Who is online, or their capacity, changed: each group whose load
    /// moved since its estimates were last told tells those whose estimate
    /// moved to another band.
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    pub(super) async fn capacity_changed(
        &self,
        tenant: &TenantId,
        snapshot: &RoutingSnapshot,
    ) -> Result<(), ActionError> {
        let now = self.clock.now();
        for group in &snapshot.groups {
            let estimate = Estimator::new(snapshot, &group.id, now);
            if estimate.load == estimate.announced {
                continue;
            }
            let queue = self
                .conversations
                .waiting_queue(tenant, &group.id, &[])
                .await?;
            for (i, conversation) in queue.waiting.iter().enumerate() {
                let (before, after) = (estimate.before(i + 1), estimate.now(i + 1));
                if estimate_band(before) != estimate_band(after) {
                    self.tell_place(conversation, i + 1, after).await?;
                }
            }
            self.routing
                .announce_load(tenant, &group.id, estimate.load)
                .await?;
        }
        Ok(())
    }
}

/// A group's wait estimates, with its load now and as last told.
pub(super) struct Estimator {
    load: GroupLoad,
    announced: GroupLoad,
    mean_handling: u64,
}

impl Estimator {
    pub(super) fn new(snapshot: &RoutingSnapshot, group: &GroupId, now: Timestamp) -> Self {
        let load = snapshot
            .group(group)
            .map(|g| {
                group_load(
                    snapshot.operators.iter().map(|o| &o.operator),
                    g,
                    snapshot.settings.max_chats,
                    now,
                )
            })
            .unwrap_or_default();
        let announced = snapshot
            .announced
            .iter()
            .find(|(g, _)| g == group)
            .map(|(_, l)| *l)
            .unwrap_or_default();
        Estimator {
            load,
            announced,
            mean_handling: mean_handling_seconds(&snapshot.handling, group, now),
        }
    }

    pub(super) fn now(&self, position: usize) -> Option<u64> {
        estimated_wait_seconds(position, self.load, self.mean_handling)
    }

    fn before(&self, position: usize) -> Option<u64> {
        estimated_wait_seconds(position, self.announced, self.mean_handling)
    }
}
