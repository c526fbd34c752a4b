//! Unite over the socket: an operator who may open both conversations sees
//! where two contacts disagree (`client.merge.plan`), then merges B into A
//! with a choice for each (`client.merge`). Admins undo merges over HTTP
//! ([`crate::usecases::admin::Admin::undo_merge`]).

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::ports::UniteError;
use crate::protocol::{MergeClients, ProtocolError};
use crate::views::{Event, MergePlan, Merged, Side as PushSide};
use switchboard_domain::workspace::unite::{conflicts, ClientCard, Merge};
use switchboard_domain::{Conversation, TenantId};

/// A merge that keeps meeting a concurrent change gives up after this many
/// reads.
const ATTEMPTS: usize = 3;

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ActionError {
    ActionError::Protocol(ProtocolError::InvalidField {
        field: field.into(),
        reason: reason.into(),
    })
}

/// Who may be merged: neither side already merged away, and B with no
/// contacts of its own merged into it (undo those first, or merge the
/// other way round).
fn mergeable(into: &Conversation, from: &Conversation) -> Result<(), ActionError> {
    if into.client.is_some() {
        return Err(ActionError::AlreadyMerged {
            field: "conversationId",
            reason: "this client was merged into another contact; merge into that one".into(),
        });
    }
    if from.client.is_some() {
        return Err(ActionError::AlreadyMerged {
            field: "fromConversationId",
            reason: "this client was merged into another contact already".into(),
        });
    }
    if from.absorbed > 0 {
        return Err(ActionError::AlreadyMerged {
            field: "fromConversationId",
            reason: "other contacts are merged into this one; merge the other way round".into(),
        });
    }
    Ok(())
}

impl Frames {
    /// Both conversations, as the caller may open them, and their clients.
    async fn merge_sides(
        &self,
        caller: &Caller,
        action: &MergeClients,
    ) -> Result<(Conversation, Conversation, ClientCard, ClientCard), ActionError> {
        if action.conversation_id == action.from_conversation_id {
            return Err(invalid(
                "fromConversationId",
                "is the same conversation; a contact cannot be merged into itself",
            ));
        }
        let into = self.openable(caller, &action.conversation_id).await?;
        let from = self.openable(caller, &action.from_conversation_id).await?;
        if into.visitor == from.visitor {
            return Err(invalid(
                "fromConversationId",
                "is the same client; a contact cannot be merged into itself",
            ));
        }
        mergeable(&into, &from)?;
        let (a, b) = self.cards(caller.tenant(), &into, &from).await?;
        Ok((into, from, a, b))
    }

    async fn cards(
        &self,
        tenant: &TenantId,
        into: &Conversation,
        from: &Conversation,
    ) -> Result<(ClientCard, ClientCard), ActionError> {
        let mut tags = self
            .contacts
            .client_tags(tenant, &[into.visitor.clone(), from.visitor.clone()])
            .await?;
        let mut card = async |c: &Conversation| -> Result<ClientCard, ActionError> {
            let info = self.contact_info.contact_info(tenant, &c.visitor).await?;
            Ok(ClientCard::of(
                c,
                tags.remove(&c.visitor).unwrap_or_default(),
                info,
            ))
        };
        let a = card(into).await?;
        let b = card(from).await?;
        Ok((a, b))
    }

    pub(super) async fn plan_merge(
        &self,
        caller: &Caller,
        action: MergeClients,
    ) -> Result<(), ActionError> {
        let (_, _, into, from) = self.merge_sides(caller, &action).await?;
        let plan = MergePlan {
            conflicts: conflicts(&into, &from),
            into,
            from,
        };
        self.notifier
            .reply(caller, &Event::MergePlan(Box::new(plan)))
            .await
    }

    #[tracing::instrument(skip_all, fields(tenant = %caller.tenant(), conversation = %action.conversation_id, from = %action.from_conversation_id))]
    pub(super) async fn merge_clients(
        &self,
        caller: &Caller,
        action: MergeClients,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        for _ in 0..ATTEMPTS {
            let (into, from, a, b) = self.merge_sides(caller, &action).await?;
            let merge = Merge::plan(
                self.lifecycle.ids.new_id("merge"),
                caller.tenant().clone(),
                a,
                b,
                action.choose.clone(),
                me.clone(),
                self.now(),
            )
            .map_err(|e| invalid(e.field, e.reason))?;
            match self.unite.merge_contacts(&merge).await {
                Ok(()) => return self.announce_merge(caller, &merge, &into, &from).await,
                Err(UniteError::Changed) => continue,
                Err(UniteError::Store(e)) => return Err(e.into()),
                Err(other) => {
                    return Err(crate::ports::StoreError::backend("merging", other).into())
                }
            }
        }
        Err(crate::ports::StoreError::Contention(ATTEMPTS as u32).into())
    }

    async fn announce_merge(
        &self,
        caller: &Caller,
        merge: &Merge,
        into: &Conversation,
        from: &Conversation,
    ) -> Result<(), ActionError> {
        tracing::info!(merge = %merge.id, "contacts merged");
        let event = Event::Merged(Box::new(Merged {
            merge_id: merge.id.clone(),
            visitor_id: merge.into.visitor.clone(),
            from_visitor_id: merge.from.visitor.clone(),
            conversation_id: into.id.clone(),
            from_conversation_id: from.id.clone(),
            client: merge.result(),
        }));
        self.notifier.reply(caller, &event).await?;
        let others = Audience::except(&caller.connection.id);
        for c in [into, from] {
            self.notifier
                .push_to_side(c, PushSide::Operator, &event, others)
                .await?;
        }
        Ok(())
    }
}
