//! The queue-assignment function's use case: hands each waiting conversation
//! of an automatically routed group to the operator
//! [`switchboard_domain::routing::choose`] picks, through the same
//! conditional transaction as a manual accept.
//!
//! A trigger says only where to look. The queues and operators are read as
//! they are (one routing read per pass, one queue read per group), so
//! triggers repeated, reordered or lost change nothing: the scheduled sweep
//! runs the same pass for every auto-routed tenant. A decision made on a
//! read that has gone stale fails its condition and the pass reads again,
//! so concurrent runs, manual accepts and capacity changes never overshoot.

use super::departure::VanishedConsoles;
use super::lifecycle::Lifecycle;
use super::notify::{Audience, Notifier};
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{ConversationError, OperatorSnapshot, RoutingStore, StoreError};
use std::sync::Arc;
use switchboard_domain::routing::choose;
use switchboard_domain::{
    AssignTrigger, Assignment, Capacity, Conversation, EntryType, Group, OperatorId, RoutingPolicy,
    TenantId,
};

/// How much of a group's queue one pass looks at; the rest waits for the
/// next trigger, which every assignment's freed or taken slot produces anyway.
const QUEUE_PAGE: usize = 200;
/// Fresh reads after a decision went stale, before the trigger is retried.
const MAX_PASSES: u32 = 8;

/// The `queue-assign` function's use case.
#[derive(Clone)]
pub struct Assigner {
    pub routing: Arc<dyn RoutingStore>,
    pub lifecycle: Lifecycle,
    pub notifier: Notifier,
    /// The sweep also takes operators whose consoles vanished offline.
    pub vanished: VanishedConsoles,
    /// ... and ends cards nobody answered in time.
    pub card_expiry: super::cards::CardExpiry,
}

/// What one pass over a group ended with.
enum GroupPass {
    Done(usize),
    /// A decision went stale after this many assignments: read again.
    Stale(usize),
}

impl Assigner {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Assigner {
            routing: adapters.routing(),
            lifecycle: Lifecycle::build(adapters),
            notifier: Notifier::build(adapters),
            vanished: VanishedConsoles::build(adapters),
            card_expiry: super::cards::CardExpiry::build(adapters),
        }
    }

    /// Assigns what waits in the trigger's groups (all of the tenant's if it
    /// names none) while someone eligible has room; answers how many.
    ///
    /// # Errors
    /// A store, bus or push failure, or decisions that kept going stale; the
    /// trigger is then retried (it is safe to run again).
    #[tracing::instrument(skip_all, fields(tenant = %trigger.tenant))]
    pub async fn assign(&self, trigger: &AssignTrigger) -> Result<usize, ActionError> {
        let tenant = &trigger.tenant;
        let mut assigned = 0;
        // No pause between passes: the fresh read is itself a round trip,
        // and what went stale was a single concurrent change.
        for _ in 0..MAX_PASSES {
            let snapshot = self.routing.routing(tenant).await?;
            let groups: Vec<&Group> = snapshot
                .groups
                .iter()
                .filter(|g| g.policy == RoutingPolicy::Auto)
                .filter(|g| {
                    trigger
                        .groups
                        .as_ref()
                        .is_none_or(|only| only.contains(&g.id))
                })
                .collect();
            // A console quiet for two heartbeats has vanished without its
            // `$disconnect`: its operator is offline for routing.
            let now = self.lifecycle.clock.now();
            let mut operators: Vec<OperatorSnapshot> = snapshot
                .operators
                .iter()
                .filter(|o| o.operator.is_live(now))
                .cloned()
                .collect();
            let mut stale = false;
            for group in groups {
                match self
                    .assign_group(tenant, group, &mut operators, snapshot.settings.max_chats)
                    .await?
                {
                    GroupPass::Done(n) => assigned += n,
                    GroupPass::Stale(n) => {
                        assigned += n;
                        stale = true;
                        break;
                    }
                }
            }
            if !stale {
                return Ok(assigned);
            }
        }
        Err(StoreError::Contention(MAX_PASSES).into())
    }

    /// The scheduled sweep: every tenant with an auto-routed group gets a
    /// pass, whatever triggers were lost. One tenant's failure does not stop
    /// the others; it is logged and the next sweep tries again.
    #[tracing::instrument(skip_all)]
    pub async fn sweep(&self) -> Result<usize, ActionError> {
        // Vanished consoles first: their operators must not be chosen.
        match self.vanished.sweep().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(operators = n, "vanished consoles taken offline"),
            Err(e) => {
                tracing::error!(error = %crate::error::chain(&e), "sweeping vanished consoles failed")
            }
        }
        match self.card_expiry.sweep().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(cards = n, "unanswered cards expired"),
            Err(e) => tracing::error!(error = %crate::error::chain(&e), "expiring cards failed"),
        }
        // Overdue transfers next: they go back to queues this sweep serves.
        if let Err(e) = self.return_overdue_transfers().await {
            tracing::error!(error = %crate::error::chain(&e), "returning overdue transfers failed");
        }
        let mut assigned = 0;
        for tenant in self.routing.auto_routed_tenants().await? {
            let trigger = AssignTrigger {
                tenant: tenant.clone(),
                groups: None,
                at: self.lifecycle.clock.now(),
            };
            match self.assign(&trigger).await {
                Ok(n) => assigned += n,
                Err(e) => {
                    tracing::error!(tenant = %tenant, error = %crate::error::chain(&e), "sweep failed for tenant")
                }
            }
        }
        Ok(assigned)
    }

    #[tracing::instrument(skip_all, fields(group = %group.id))]
    async fn assign_group(
        &self,
        tenant: &TenantId,
        group: &Group,
        operators: &mut [OperatorSnapshot],
        capacity: Capacity,
    ) -> Result<GroupPass, ActionError> {
        let anyone_free = |ops: &[OperatorSnapshot]| {
            choose(
                ops.iter().map(|o| &o.operator),
                group,
                EntryType::Chat,
                capacity,
            )
            .is_some()
        };
        // Nobody could take even a chat: the queue need not be read.
        if !anyone_free(operators) {
            return Ok(GroupPass::Done(0));
        }
        let queue = self
            .lifecycle
            .conversations
            .group_queue(tenant, &group.id, QUEUE_PAGE)
            .await?;
        let mut assigned = 0;
        for conversation in queue {
            if !anyone_free(operators) {
                break;
            }
            let mut refused: Vec<OperatorId> = Vec::new();
            // None left for this one (a video call with nobody free, say):
            // the conversations behind it may still go.
            while let Some(at) = pick(operators, &refused, group, &conversation, capacity) {
                match self
                    .lifecycle
                    .conversations
                    .assign(
                        &conversation,
                        &operators[at],
                        capacity,
                        Assignment::Routed,
                        self.lifecycle.clock.now(),
                    )
                    .await
                {
                    Ok(accepted) => {
                        operators[at].operator = accepted.operator.operator.clone();
                        self.announce(accepted).await?;
                        assigned += 1;
                        break;
                    }
                    Err(ConversationError::Moved) => return Ok(GroupPass::Stale(assigned)),
                    Err(
                        ConversationError::Refused(_)
                        | ConversationError::OperatorNotFound
                        | ConversationError::NotInGroup
                        | ConversationError::UnknownTarget
                        | ConversationError::TargetOffline,
                    ) => refused.push(operators[at].operator.id.clone()),
                    // Taken, closed or gone meanwhile: the next one.
                    Err(
                        ConversationError::NotFound
                        | ConversationError::AlreadyTaken { .. }
                        | ConversationError::Transition(_),
                    ) => break,
                    Err(ConversationError::Store(e)) => return Err(e.into()),
                }
            }
        }
        Ok(GroupPass::Done(assigned))
    }

    async fn announce(&self, accepted: crate::ports::Accepted) -> Result<(), ActionError> {
        tracing::info!(
            conversation = %accepted.conversation.id,
            operator = %accepted.operator.operator.id,
            "assigned"
        );
        self.lifecycle
            .announce_assignment(&self.notifier, &accepted, Audience::everyone())
            .await
    }
}

/// The index of the operator [`choose`] picks for `conversation`, leaving
/// out those who refused it in this pass.
fn pick(
    operators: &[OperatorSnapshot],
    refused: &[OperatorId],
    group: &Group,
    conversation: &Conversation,
    capacity: Capacity,
) -> Option<usize> {
    let chosen = choose(
        operators
            .iter()
            .map(|o| &o.operator)
            .filter(|o| !refused.contains(&o.id)),
        group,
        conversation.entry.entry_type,
        capacity,
    )?;
    operators.iter().position(|o| o.operator.id == chosen.id)
}
