//! The queue-assignment function: an SQS consumer of assignment triggers, and
//! the target of a schedule that sweeps every auto-routed tenant. Triggers
//! carry no state and the pass they start reads everything afresh, so a
//! batch is handled per tenant once, however many triggers it holds; a
//! tenant whose pass failed has its records reported as the batch's
//! failures, and SQS delivers them again.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use serde::Serialize;
use serde_json::Value;
use switchboard_app::{Adapters, Assigner};
use switchboard_domain::{AssignTrigger, GroupId, TenantId};

/// The ports assignment uses: routing (groups, operators), conversations
/// (queues, the conditional assignment), messages (the view both sides are
/// shown), the queue bus (the fan-out hears the conversation left), and push.
pub fn wire(adapters: &dyn Adapters) -> Assigner {
    Assigner::build(adapters)
}

/// What an invocation answers: SQS's partial batch response, or for the
/// schedule how many conversations the sweep assigned.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Batch(SqsBatchResponse),
    Sweep { assigned: usize },
}

fn failure(id: &str) -> BatchItemFailure {
    let mut f = BatchItemFailure::default();
    f.item_identifier = id.to_string();
    f
}

/// One invocation: an SQS batch (it has `Records`) or the schedule's event.
///
/// # Errors
/// Only the sweep fails as a whole (its tenant list could not be read);
/// EventBridge retries it, and the next one runs anyway.
pub async fn handle(
    assigner: &Assigner,
    event: Value,
) -> Result<Answer, switchboard_app::error::ActionError> {
    if event.get("Records").is_some() {
        match serde_json::from_value::<SqsEvent>(event) {
            Ok(batch) => return Ok(Answer::Batch(handle_batch(assigner, batch).await)),
            Err(e) => {
                // Nothing to report failures against: log it; SQS redelivers
                // on the next poll only if we fail, and a shape we cannot read
                // would fail forever.
                tracing::error!(error = %e, "unreadable SQS batch");
                return Ok(Answer::Batch(SqsBatchResponse::default()));
            }
        }
    }
    let assigned = assigner.sweep().await?;
    tracing::info!(assigned, "sweep done");
    Ok(Answer::Sweep { assigned })
}

/// One pass per tenant and group set in the batch: duplicates coalesce.
pub async fn handle_batch(assigner: &Assigner, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    // Per tenant: the record ids and the groups asked for (None: all).
    let mut tenants: Vec<(TenantId, Vec<String>, Option<Vec<GroupId>>)> = Vec::new();
    for record in event.records {
        let id = record.message_id.unwrap_or_default();
        let trigger = match serde_json::from_str::<AssignTrigger>(
            record.body.as_deref().unwrap_or_default(),
        ) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(message_id = %id, error = %e, "record is not an assignment trigger");
                response.batch_item_failures.push(failure(&id));
                continue;
            }
        };
        match tenants.iter_mut().find(|(t, _, _)| *t == trigger.tenant) {
            Some((_, ids, groups)) => {
                ids.push(id);
                *groups = match (groups.take(), trigger.groups) {
                    (Some(mut mine), Some(theirs)) => {
                        for g in theirs {
                            if !mine.contains(&g) {
                                mine.push(g);
                            }
                        }
                        Some(mine)
                    }
                    _ => None,
                };
            }
            None => tenants.push((trigger.tenant, vec![id], trigger.groups)),
        }
    }
    for (tenant, ids, groups) in tenants {
        let trigger = AssignTrigger {
            tenant: tenant.clone(),
            groups,
            at: assigner.lifecycle.clock.now(),
        };
        if let Err(e) = assigner.assign(&trigger).await {
            tracing::error!(tenant = %tenant, error = %switchboard_app::error::chain(&e), "assignment failed");
            response
                .batch_item_failures
                .extend(ids.iter().map(|id| failure(id)));
        }
    }
    response
}
