//! Connections ending: `$disconnect` forgets one, and the scheduled sweep
//! forgets those of operators whose consoles vanished without it. Either
//! way an operator's last tab going takes them offline (logged for the
//! time-in-status report), which changes what their groups can take.

use super::lifecycle::announce_capacity;
use super::notify::Presence;
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{AssignBus, Push, QueueBus, VanishedOperator};
use std::collections::BTreeSet;
use std::sync::Arc;
use switchboard_domain::{live_since, ConnectionId, OperatorStatus, TenantId, Timestamp};

/// How many quiet operators one sweep takes offline; the next sweep (a
/// minute later) takes the rest.
const SWEEP_PAGE: usize = 500;

#[derive(Clone)]
pub struct Departures {
    pub presence: Presence,
    pub assign: Arc<dyn AssignBus>,
    pub queue: Arc<dyn QueueBus>,
}

impl Departures {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Departures {
            presence: Presence::build(adapters),
            assign: adapters.assign_bus(),
            queue: adapters.queue_bus(),
        }
    }

    #[tracing::instrument(skip(self))]
    pub async fn disconnect(&self, connection_id: &str) -> Result<(), ActionError> {
        let Ok(id) = ConnectionId::parse(connection_id) else {
            return Ok(());
        };
        if let Some(departed) = self.presence.forget_connection(&id).await? {
            if departed.operator_offline {
                let now = self.presence.clock.now();
                announce_capacity(&*self.assign, &*self.queue, &departed.tenant, now).await?;
            }
        }
        Ok(())
    }
}

/// The sweep's half of departures: consoles that vanished without a
/// `$disconnect` (closing their sockets needs the push port, which
/// `$disconnect` does without).
#[derive(Clone)]
pub struct VanishedConsoles {
    pub departures: Departures,
    /// Closes a vanished console's socket, should it still be open.
    pub push: Arc<dyn Push>,
}

impl VanishedConsoles {
    pub fn build(adapters: &dyn Adapters) -> Self {
        VanishedConsoles {
            departures: Departures::build(adapters),
            push: adapters.push(),
        }
    }

    /// Forgets the connections of every operator whose consoles have been
    /// quiet for two heartbeats (no ping, no connect) and closes their
    /// sockets, so a console that was only asleep reconnects and comes back
    /// online. Answers how many operators went offline.
    ///
    /// Safe to run twice or beside a `$disconnect`: each connection is
    /// forgotten once, and the store counts an operator down per connection.
    ///
    /// # Errors
    /// The quiet operators could not be listed; one operator's failure is
    /// logged and left for the next sweep.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self) -> Result<usize, ActionError> {
        let presence = &self.departures.presence;
        let now = presence.clock.now();
        let vanished = presence
            .connections
            .vanished_operators(live_since(now), SWEEP_PAGE)
            .await?;
        let mut tenants = BTreeSet::new();
        let mut offline = 0;
        for operator in &vanished {
            match self.take_offline(operator, now).await {
                Ok(true) => {
                    offline += 1;
                    tenants.insert(operator.tenant.clone());
                }
                Ok(false) => {}
                Err(e) => tracing::error!(
                    tenant = %operator.tenant, operator = %operator.operator,
                    error = %crate::error::chain(&e), "forgetting a vanished console failed"
                ),
            }
        }
        for tenant in &tenants {
            announce(&self.departures, tenant, now).await;
        }
        Ok(offline)
    }

    /// Forgets each of the operator's connections; true if that took them
    /// offline.
    #[tracing::instrument(skip_all, fields(tenant = %operator.tenant, operator = %operator.operator))]
    async fn take_offline(
        &self,
        operator: &VanishedOperator,
        now: Timestamp,
    ) -> Result<bool, ActionError> {
        let presence = &self.departures.presence;
        let mut went_offline = false;
        for connection in &operator.connections {
            went_offline |= match presence.forget_connection(connection).await? {
                Some(departed) => departed.operator_offline,
                // The record went first (its TTL): count the operator down anyway.
                None => presence
                    .directory
                    .operator_disconnected(&operator.tenant, &operator.operator, connection, now)
                    .await?
                    .is_some_and(|o| o.status == OperatorStatus::Offline),
            };
            if let Err(e) = self.push.close(connection).await {
                tracing::warn!(connection = %connection, error = %crate::error::chain(&e), "closing a vanished console failed");
            }
            tracing::info!(connection = %connection, "vanished console forgotten");
        }
        Ok(went_offline)
    }
}

async fn announce(departures: &Departures, tenant: &TenantId, now: Timestamp) {
    if let Err(e) = announce_capacity(&*departures.assign, &*departures.queue, tenant, now).await {
        tracing::error!(tenant = %tenant, error = %crate::error::chain(&e), "announcing capacity failed");
    }
}
