//! `$disconnect`: the connection is forgotten, and an operator's last tab
//! going takes them offline, which changes what their groups can take.

use super::lifecycle::announce_capacity;
use super::notify::Presence;
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{AssignBus, QueueBus};
use std::sync::Arc;
use switchboard_domain::ConnectionId;

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
