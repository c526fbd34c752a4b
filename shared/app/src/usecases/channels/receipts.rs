//! Delivery receipts from the channels: each moves a sent message's delivery
//! forward only, found by the provider's id, our callback data or a
//! Messenger watermark, and the operator's consoles are told.

use super::ingest::Ingest;
use super::{contact_visitor_id, record_delivery};
use crate::error::ActionError;
use switchboard_domain::{Conversation, Delivery, DeliveryState, StatusUpdate, TenantId};

/// How many messages back a Messenger read/delivery watermark is applied to.
pub(super) const WATERMARK_WINDOW: usize = 50;

impl Ingest {
    /// The messages a receipt is about, by number: the one our callback data
    /// names, or everything we sent up to a watermark. (One named by the
    /// provider's id alone is found by the store with its conversation.)
    async fn receipt_targets(
        &self,
        conversation: &Conversation,
        s: &StatusUpdate,
    ) -> Result<Vec<u64>, ActionError> {
        let tenant = &conversation.tenant;
        if let Some(seq) = callback_seq(s, conversation) {
            return Ok(vec![seq]);
        }
        if let Some(ext) = &s.external_id {
            return Ok(self
                .delivery
                .message_by_external_id(tenant, &conversation.id, ext)
                .await?
                .map(|m| m.seq)
                .into_iter()
                .collect());
        }
        let Some(watermark) = s.watermark else {
            return Ok(Vec::new());
        };
        let page = self
            .lifecycle
            .messages
            .messages(tenant, &conversation.id, None, WATERMARK_WINDOW)
            .await?;
        Ok(page
            .messages
            .into_iter()
            .filter(|m| {
                m.created_at.millis() <= watermark
                    && m.delivery.as_ref().is_some_and(|d| {
                        d.state != DeliveryState::Queued && d.advances_to(s.status)
                    })
            })
            .map(|m| m.seq)
            .collect())
    }

    pub(super) async fn ingest_status(
        &self,
        tenant: &TenantId,
        s: &StatusUpdate,
    ) -> Result<(), ActionError> {
        let Some(contact) = &s.contact_id else {
            tracing::info!(channel = ?s.channel, "receipt without a contact ignored");
            return Ok(());
        };
        let visitor = contact_visitor_id(s.channel, &s.account_id, contact)?;
        let by_provider_id = s.external_id.as_deref().filter(|_| s.callback.is_none());
        let (conversation, targets) = match by_provider_id {
            // The common receipt: the store finds message and conversation at once.
            Some(ext) => match self.delivery.receipt_target(tenant, &visitor, ext).await? {
                Some(target) => (Some(target.conversation), vec![target.seq]),
                None => (None, Vec::new()),
            },
            None => {
                let Some(conversation) = self
                    .lifecycle
                    .conversations
                    .visitor_conversation(tenant, &visitor)
                    .await?
                else {
                    return Ok(());
                };
                let targets = self.receipt_targets(&conversation, s).await?;
                (Some(conversation), targets)
            }
        };
        if targets.is_empty() {
            // Receipts for messages sent from other apps name nothing of ours.
            tracing::info!(channel = ?s.channel, "receipt for no message of ours");
        }
        let Some(conversation) = conversation else {
            return Ok(());
        };
        for seq in targets {
            let delivery = Delivery {
                state: s.status,
                updated_at: self.now(),
                error: s.error.clone(),
            };
            record_delivery(
                self.delivery.as_ref(),
                &self.notifier,
                &conversation,
                seq,
                delivery,
                None,
            )
            .await?;
        }
        Ok(())
    }
}

/// The message our own callback data names (`sb:{conversation}:{seq}`), if
/// it is about this conversation.
fn callback_seq(s: &StatusUpdate, conversation: &Conversation) -> Option<u64> {
    let rest = s.callback.as_deref()?.strip_prefix("sb:")?;
    let (conv, seq) = rest.rsplit_once(':')?;
    (conv == conversation.id.as_str())
        .then(|| seq.parse::<u64>().ok())
        .flatten()
}
