//! Handing an active conversation to another operator or group (or
//! redirecting a waiting one before anyone took it). The
//! operator's internal comment goes into the timeline (operators only); the
//! conversation itself carries only who it is addressed to and until when.

use crate::conversation::{Conversation, ConversationStatus, TransitionError};
use crate::ids::{GroupId, OperatorId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a conversation is transferred to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferTarget {
    /// Only this operator sees it; they accept within their capacity or decline.
    Operator(OperatorId),
    /// It waits in the group's queue and is routed as any other.
    Group(GroupId),
}

impl TransferTarget {
    /// The timeline entry of handing a conversation here: operators only,
    /// with the comment.
    pub fn timeline_kind(
        &self,
        from: &OperatorId,
        comment: Option<&TransferComment>,
    ) -> crate::TimelineKind {
        let comment = comment.map(|c| c.as_str().to_string());
        match self {
            TransferTarget::Operator(to) => crate::TimelineKind::Transferred {
                from: from.clone(),
                to: to.clone(),
                comment,
            },
            TransferTarget::Group(group) => crate::TimelineKind::TransferredToGroup {
                from: from.clone(),
                group: group.clone(),
                comment,
            },
        }
    }
}

/// A transfer to one operator awaiting their answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingTransfer {
    pub from: OperatorId,
    pub to: OperatorId,
    /// Unanswered by then, it returns to its group.
    pub deadline: Timestamp,
}

/// The internal note that goes with a transfer: trimmed, at most
/// [`TransferComment::MAX`] characters; an empty one is no comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String", into = "String")]
pub struct TransferComment(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a transfer comment has at most {max} characters, this one {got}")]
pub struct CommentTooLong {
    pub max: usize,
    pub got: usize,
}

impl TransferComment {
    pub const MAX: usize = 2000;

    pub fn parse(raw: &str) -> Result<Option<Self>, CommentTooLong> {
        let trimmed = raw.trim();
        let got = trimmed.chars().count();
        if got > Self::MAX {
            return Err(CommentTooLong {
                max: Self::MAX,
                got,
            });
        }
        Ok((!trimmed.is_empty()).then(|| TransferComment(trimmed.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TransferComment {
    type Error = CommentTooLong;
    fn try_from(raw: String) -> Result<Self, CommentTooLong> {
        Ok(TransferComment::parse(&raw)?.unwrap_or(TransferComment(String::new())))
    }
}

impl From<TransferComment> for String {
    fn from(c: TransferComment) -> String {
        c.0
    }
}

impl Conversation {
    /// The holder hands the conversation on: it waits again, addressed to
    /// one operator until `deadline` or in a group's queue. The holder's slot
    /// is theirs to give back (the store frees it in the same write).
    pub fn transfer(
        &mut self,
        from: &OperatorId,
        target: &TransferTarget,
        now: Timestamp,
        deadline: Timestamp,
    ) -> Result<(), TransitionError> {
        if self.status != ConversationStatus::Active {
            return Err(TransitionError::NotActive(self.status));
        }
        if self.operator.as_ref() != Some(from) {
            return Err(TransitionError::NotAssignedTo);
        }
        match target {
            TransferTarget::Operator(to) if to == from => {
                return Err(TransitionError::TransferToSelf)
            }
            TransferTarget::Operator(to) => {
                self.pending_transfer = Some(PendingTransfer {
                    from: from.clone(),
                    to: to.clone(),
                    deadline,
                })
            }
            TransferTarget::Group(group) => {
                self.group = group.clone();
                self.pending_transfer = None;
            }
        }
        self.status = ConversationStatus::Waiting;
        self.operator = None;
        self.accepted_at = None;
        self.enqueued_at = now;
        self.sla = None;
        Ok(())
    }

    /// A waiting conversation nobody has taken is sent elsewhere from the
    /// preview: to one operator until `deadline` (a decline or no answer
    /// returns it to the group it waited in, and `by` is told), or to
    /// another group's queue. It keeps its arrival time, so the visitor
    /// loses no place for having been redirected; its SLA is decided again
    /// where it lands.
    pub fn redirect(
        &mut self,
        by: &OperatorId,
        target: &TransferTarget,
        deadline: Timestamp,
    ) -> Result<(), TransitionError> {
        if self.status != ConversationStatus::Waiting {
            return Err(TransitionError::NotWaiting(self.status));
        }
        if self.pending_transfer.is_some() {
            return Err(TransitionError::AddressedToAnother);
        }
        match target {
            // Taking it oneself is an accept.
            TransferTarget::Operator(to) if to == by => {
                return Err(TransitionError::TransferToSelf)
            }
            TransferTarget::Operator(to) => {
                self.pending_transfer = Some(PendingTransfer {
                    from: by.clone(),
                    to: to.clone(),
                    deadline,
                })
            }
            TransferTarget::Group(group) if *group == self.group => {
                return Err(TransitionError::AlreadyInGroup)
            }
            TransferTarget::Group(group) => self.group = group.clone(),
        }
        self.sla = None;
        Ok(())
    }

    /// A transfer to one operator comes back to its group's queue: declined
    /// by them (`by`), or with `by` None once its deadline has passed.
    pub fn return_transfer(
        &mut self,
        by: Option<&OperatorId>,
        now: Timestamp,
    ) -> Result<PendingTransfer, TransitionError> {
        let pending = match (&self.pending_transfer, by) {
            (Some(p), Some(by)) if &p.to == by => p.clone(),
            (Some(p), None) if p.deadline <= now => p.clone(),
            (Some(_), Some(_)) => return Err(TransitionError::NotAssignedTo),
            _ => return Err(TransitionError::NoTransfer),
        };
        self.pending_transfer = None;
        self.enqueued_at = now;
        self.sla = None;
        Ok(pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::tests::entry;
    use crate::{Channel, ConversationId, EntryType, TenantId, VisitorId};

    fn active(by: &str) -> Conversation {
        let mut c = Conversation::start(
            ConversationId::parse("c").unwrap(),
            TenantId::parse("t").unwrap(),
            VisitorId::parse("v").unwrap(),
            Channel::WebChat,
            entry(EntryType::Chat),
            Timestamp(1),
        );
        c.accept(&op(by), Timestamp(2)).unwrap();
        c
    }

    fn op(id: &str) -> OperatorId {
        OperatorId::parse(id).unwrap()
    }

    #[test]
    fn to_an_operator_it_waits_for_them_alone() {
        let mut c = active("ann");
        let to = TransferTarget::Operator(op("bob"));
        c.transfer(&op("ann"), &to, Timestamp(10), Timestamp(130))
            .unwrap();
        assert_eq!(c.status, ConversationStatus::Waiting);
        assert_eq!(c.operator, None);
        assert_eq!(c.pending_transfer.as_ref().unwrap().to, op("bob"));
        assert_eq!(
            c.accept(&op("cid"), Timestamp(11)),
            Err(TransitionError::AddressedToAnother)
        );
        c.accept(&op("bob"), Timestamp(12)).unwrap();
        assert_eq!(c.pending_transfer, None);
    }

    #[test]
    fn declined_or_unanswered_it_returns_to_its_group() {
        let mut c = active("ann");
        let to = TransferTarget::Operator(op("bob"));
        c.transfer(&op("ann"), &to, Timestamp(10), Timestamp(130))
            .unwrap();
        assert_eq!(
            c.return_transfer(Some(&op("cid")), Timestamp(20)),
            Err(TransitionError::NotAssignedTo)
        );
        assert_eq!(
            c.return_transfer(None, Timestamp(129)),
            Err(TransitionError::NoTransfer)
        );
        let returned = c.return_transfer(None, Timestamp(130)).unwrap();
        assert_eq!(returned.from, op("ann"));
        assert_eq!(c.pending_transfer, None);
        assert_eq!(c.enqueued_at, Timestamp(130));
        assert!(c.accept(&op("cid"), Timestamp(131)).is_ok());
    }

    #[test]
    fn a_waiting_one_is_redirected_keeping_its_arrival() {
        let waiting = || {
            Conversation::start(
                ConversationId::parse("c").unwrap(),
                TenantId::parse("t").unwrap(),
                VisitorId::parse("v").unwrap(),
                Channel::WebChat,
                entry(EntryType::Chat),
                Timestamp(1),
            )
        };
        let sales = crate::GroupId::parse("sales").unwrap();
        let mut c = waiting();
        c.redirect(
            &op("ann"),
            &TransferTarget::Group(sales.clone()),
            Timestamp(9),
        )
        .unwrap();
        assert_eq!(
            (c.group.clone(), c.enqueued_at),
            (sales.clone(), Timestamp(1))
        );
        assert_eq!(
            c.redirect(&op("ann"), &TransferTarget::Group(sales), Timestamp(9)),
            Err(TransitionError::AlreadyInGroup)
        );

        let mut c = waiting();
        let to_bob = TransferTarget::Operator(op("bob"));
        c.redirect(&op("ann"), &to_bob, Timestamp(130)).unwrap();
        assert_eq!(c.pending_transfer.as_ref().unwrap().from, op("ann"));
        assert_eq!(
            c.redirect(
                &op("cid"),
                &TransferTarget::Operator(op("dan")),
                Timestamp(130)
            ),
            Err(TransitionError::AddressedToAnother),
            "already offered to bob"
        );
        let returned = c.return_transfer(Some(&op("bob")), Timestamp(20)).unwrap();
        assert_eq!(returned.from, op("ann"), "ann is told of the decline");
        assert_eq!(
            c.redirect(
                &op("ann"),
                &TransferTarget::Operator(op("ann")),
                Timestamp(9)
            ),
            Err(TransitionError::TransferToSelf)
        );
        c.accept(&op("ann"), Timestamp(30)).unwrap();
        assert_eq!(
            c.redirect(&op("ann"), &to_bob, Timestamp(130)),
            Err(TransitionError::NotWaiting(ConversationStatus::Active)),
            "an active one is transferred, not redirected"
        );
    }

    #[test]
    fn only_the_holder_transfers_and_never_to_themselves() {
        let mut c = active("ann");
        let to_ann = TransferTarget::Operator(op("ann"));
        assert_eq!(
            c.transfer(&op("ann"), &to_ann, Timestamp(3), Timestamp(4)),
            Err(TransitionError::TransferToSelf)
        );
        let to_bob = TransferTarget::Operator(op("bob"));
        assert_eq!(
            c.transfer(&op("cid"), &to_bob, Timestamp(3), Timestamp(4)),
            Err(TransitionError::NotAssignedTo)
        );
        let sales = TransferTarget::Group(GroupId::parse("sales").unwrap());
        c.transfer(&op("ann"), &sales, Timestamp(5), Timestamp(6))
            .unwrap();
        assert_eq!(c.group.as_str(), "sales");
        assert_eq!(
            c.transfer(&op("ann"), &sales, Timestamp(7), Timestamp(8)),
            Err(TransitionError::NotActive(ConversationStatus::Waiting))
        );
    }

    #[test]
    fn comments_are_bounded() {
        assert_eq!(TransferComment::parse("  ").unwrap(), None);
        assert_eq!(
            TransferComment::parse(" VIP ").unwrap().unwrap().as_str(),
            "VIP"
        );
        assert!(TransferComment::parse(&"é".repeat(2000)).is_ok());
        assert_eq!(
            TransferComment::parse(&"x".repeat(2001)),
            Err(CommentTooLong {
                max: 2000,
                got: 2001
            })
        );
    }
}
