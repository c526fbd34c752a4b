//! Transfers: an operator hands an active conversation to a colleague or a
//! group with an internal comment (or redirects a waiting one from the
//! preview); the colleague accepts (as any accept) or
//! declines, and one left unanswered returns to its group when the sweep
//! finds it overdue.
//!
//! The comment is written to the timeline and pushed to the operator it is
//! offered to, never to the client's side and never to a channel: the client
//! hears only `conversation.transferring`.

use super::assign::Assigner;
use super::frames::Frames;
use super::notify::{Audience, Caller, Notifier};
use crate::error::ActionError;
use crate::ports::{OperatorLoad, PrincipalRef, Returned};
use crate::protocol::{self, DeclineTransfer, Transfer};
use crate::usecases::lifecycle::Lifecycle;
use crate::views::{Event, Side};
use switchboard_domain::{
    Conversation, GroupId, OperatorId, QueueChange, Role, TransferComment, TransferTarget,
};

/// How many overdue transfers one sweep returns.
const OVERDUE_PAGE: usize = 100;

impl Frames {
    pub(super) async fn transfer(
        &self,
        caller: &Caller,
        action: Transfer,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let tenant = caller.tenant();
        let (target, comment) = where_to(&action)?;
        if let TransferTarget::Group(group) = &target {
            let known = self.routing.groups(tenant).await?;
            if !known.iter().any(|g| g.id == *group) {
                return Err(crate::ports::RoutingError::UnknownGroup.into());
            }
        }
        let now = self.now();
        let transferred = self
            .conversations()
            .transfer(
                tenant,
                &action.conversation_id,
                me,
                &target,
                comment.as_ref(),
                now,
            )
            .await?;
        let conversation = &transferred.conversation;
        let (to_operator_id, to_group_id) = match &target {
            TransferTarget::Operator(op) => (Some(op.clone()), None),
            TransferTarget::Group(g) => (None, Some(g.clone())),
        };
        // The holder's tabs: it left them, and their slot is free.
        let left = Event::Transferred {
            conversation_id: conversation.id.clone(),
            to_operator_id,
            to_group_id,
        };
        self.notifier
            .push_many(
                tenant,
                Some(conversation),
                transferred
                    .from
                    .connections
                    .iter()
                    .map(super::notify::Recipient::operator),
                &left,
                Audience::answering(caller),
            )
            .await?;
        self.notifier
            .push_operator_load(&transferred.from, roles.to_vec(), None)
            .await?;
        let to = match target {
            TransferTarget::Operator(_) => transferred.to.as_ref(),
            TransferTarget::Group(_) => None,
        };
        self.hand_on(conversation, me, comment.as_ref(), to).await?;
        // A slot came free.
        self.lifecycle.trigger_assignment(tenant, None).await
    }

    /// A waiting conversation nobody has taken, sent from the preview to
    /// one operator (who accepts or declines as with a transfer) or another
    /// group. Members of the queue it waits in may, and admins.
    pub(super) async fn redirect(
        &self,
        caller: &Caller,
        action: Transfer,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let tenant = caller.tenant();
        let (target, comment) = where_to(&action)?;
        let groups = self.routing.groups(tenant).await?;
        if let TransferTarget::Group(group) = &target {
            if !groups.iter().any(|g| g.id == *group) {
                return Err(crate::ports::RoutingError::UnknownGroup.into());
            }
        }
        // The queues this operator sees; an admin sees them all.
        let from_groups: Option<Vec<GroupId>> = (!roles.contains(&Role::Admin)).then(|| {
            std::iter::once(GroupId::default_group())
                .chain(
                    groups
                        .iter()
                        .filter(|g| g.includes(me))
                        .map(|g| g.id.clone()),
                )
                .collect()
        });
        let redirected = self
            .conversations()
            .redirect(
                tenant,
                &action.conversation_id,
                me,
                from_groups.as_deref(),
                &target,
                comment.as_ref(),
                self.now(),
            )
            .await?;
        let conversation = &redirected.conversation;
        let (to_operator_id, to_group_id) = match &target {
            TransferTarget::Operator(op) => (Some(op.clone()), None),
            TransferTarget::Group(g) => (None, Some(g.clone())),
        };
        self.notifier
            .reply(
                caller,
                &Event::Redirected {
                    conversation_id: conversation.id.clone(),
                    to_operator_id,
                    to_group_id,
                },
            )
            .await?;
        // It left the queue it waited in (for one operator's offer, too).
        let mut left = conversation.clone();
        left.group = redirected.from_group.clone();
        self.lifecycle
            .publish_queue_change(&left, QueueChange::Left)
            .await?;
        self.hand_on(conversation, me, comment.as_ref(), redirected.to.as_ref())
            .await
    }

    /// What a transfer and a redirect tell: the client that someone else
    /// will answer; then the operator it is offered to (with the comment
    /// and the deadline), or the group's queue it now waits in.
    async fn hand_on(
        &self,
        conversation: &Conversation,
        from: &OperatorId,
        comment: Option<&TransferComment>,
        to: Option<&OperatorLoad>,
    ) -> Result<(), ActionError> {
        self.notifier
            .push_to_side(
                conversation,
                Side::Visitor,
                &Event::Transferring {
                    conversation_id: conversation.id.clone(),
                },
                Audience::everyone(),
            )
            .await?;
        let Some(to) = to else {
            return self
                .lifecycle
                .publish_queue_change(conversation, QueueChange::Entered)
                .await;
        };
        let offer = Event::TransferOffered {
            view: self.lifecycle.view_unplaced(conversation.clone()).await?,
            from_operator_id: from.clone(),
            comment: comment.map(|c| c.as_str().to_string()),
            deadline: conversation
                .pending_transfer
                .as_ref()
                .map_or(conversation.enqueued_at, |p| p.deadline),
        };
        self.notifier
            .push_many(
                &conversation.tenant,
                Some(conversation),
                to.connections
                    .iter()
                    .map(super::notify::Recipient::operator),
                &offer,
                Audience::everyone(),
            )
            .await
    }

    pub(super) async fn decline_transfer(
        &self,
        caller: &Caller,
        action: DeclineTransfer,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let reason = action
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if reason.is_some_and(|r| r.chars().count() > protocol::MAX_DECLINE_REASON) {
            return Err(protocol::ProtocolError::InvalidField {
                field: "reason".into(),
                reason: format!("at most {} characters", protocol::MAX_DECLINE_REASON),
            }
            .into());
        }
        let returned = self
            .conversations()
            .return_transfer(
                caller.tenant(),
                &action.conversation_id,
                Some(me),
                reason,
                self.now(),
            )
            .await?;
        let why = Why {
            by: Some(me),
            reason,
        };
        announce_return(&self.notifier, &self.lifecycle, returned, why, Some(caller)).await
    }
}

/// Where a transfer or redirect goes (exactly one of operator and group),
/// and its comment.
fn where_to(action: &Transfer) -> Result<(TransferTarget, Option<TransferComment>), ActionError> {
    let target = match (&action.to_operator_id, &action.to_group_id) {
        (Some(op), None) => TransferTarget::Operator(op.clone()),
        (None, Some(group)) => TransferTarget::Group(group.clone()),
        _ => {
            return Err(protocol::ProtocolError::InvalidField {
                field: "toOperatorId".into(),
                reason: "give exactly one of toOperatorId and toGroupId".into(),
            }
            .into())
        }
    };
    let comment = action
        .comment
        .as_deref()
        .map(TransferComment::parse)
        .transpose()?
        .flatten();
    Ok((target, comment))
}

/// Why a transfer came back: declined by someone (with a reason), or not
/// answered in time (`by` None).
struct Why<'a> {
    by: Option<&'a OperatorId>,
    reason: Option<&'a str>,
}

/// The conversation is back in its group's queue: the queue hears of it,
/// the operator who transferred it is told, and so is the decliner.
async fn announce_return(
    notifier: &Notifier,
    lifecycle: &Lifecycle,
    returned: Returned,
    why: Why<'_>,
    caller: Option<&Caller>,
) -> Result<(), ActionError> {
    let Returned {
        conversation,
        transfer,
    } = returned;
    lifecycle
        .publish_queue_change(&conversation, QueueChange::Entered)
        .await?;
    let event = Event::TransferReturned {
        conversation_id: conversation.id.clone(),
        to_operator_id: transfer.to.clone(),
        by_operator_id: why.by.cloned(),
        reason: why.reason.map(str::to_string),
    };
    let sender = notifier
        .connections()
        .principal_connections(
            &conversation.tenant,
            &PrincipalRef::Operator(transfer.from.clone()),
            lifecycle.clock.now(),
        )
        .await?;
    notifier
        .push_all(
            &conversation.tenant,
            &sender,
            &event,
            Audience {
                skip: None,
                caller: None,
            },
        )
        .await?;
    if let Some(caller) = caller {
        notifier.reply(caller, &event).await?;
    }
    Ok(())
}

impl Assigner {
    /// Transfers to one operator left unanswered past their deadline go back
    /// to their groups; how many. Part of the scheduled sweep.
    pub async fn return_overdue_transfers(&self) -> Result<usize, ActionError> {
        let now = self.lifecycle.clock.now();
        let due = self
            .lifecycle
            .conversations
            .due_transfers(now, OVERDUE_PAGE)
            .await?;
        let mut returned = 0;
        for (tenant, id) in due {
            match self
                .lifecycle
                .conversations
                .return_transfer(&tenant, &id, None, None, now)
                .await
            {
                Ok(r) => {
                    let why = Why {
                        by: None,
                        reason: None,
                    };
                    announce_return(&self.notifier, &self.lifecycle, r, why, None).await?;
                    returned += 1;
                }
                // Accepted or declined meanwhile.
                Err(crate::ports::ConversationError::Transition(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(returned)
    }
}
