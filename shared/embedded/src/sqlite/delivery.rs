//! Delivery state of messages sent through channels, and providers' ids.

use super::contacts::load_contact;
use super::messages::{message_by_key, message_by_seq, SEQ_BY_EXTERNAL_ID};
use super::rows::load_conversation;
use super::{backend, to_json, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{DeliveryStore, Outbound, ReceiptTarget, StoreResult};
use switchboard_domain::{ConversationId, Delivery, Message, OutboundJob, TenantId, VisitorId};

#[async_trait]
impl DeliveryStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, seq))]
    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>> {
        let (t, c) = (tenant.to_string(), id.to_string());
        let external_id = external_id.map(str::to_string);
        self.tx(move |tx| {
            let Some(mut message) = message_by_seq(tx, &t, &c, seq as i64)? else {
                return Ok(None);
            };
            let mut changed = false;
            if let Some(ext) = external_id {
                if message.external_id.as_deref() != Some(&ext) {
                    tx.execute_cached(
                        "INSERT OR IGNORE INTO external_ids (tenant, conversation, external_id, seq)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![t, c, ext, seq as i64],
                    )
                    .map_err(backend)?;
                    message.external_id = Some(ext);
                    changed = true;
                }
            }
            let advances = match &message.delivery {
                Some(current) => current.advances_to(delivery.state),
                None => true,
            };
            if advances {
                message.delivery = Some(delivery);
                changed = true;
            }
            if !changed {
                return Ok(None);
            }
            tx.execute_cached(
                "UPDATE messages SET body = ?4 WHERE tenant = ?1 AND conversation = ?2 AND seq = ?3",
                params![t, c, seq as i64, to_json(&message)?],
            )
            .map_err(backend)?;
            Ok(Some(message))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>> {
        let (t, c, e) = (tenant.to_string(), id.to_string(), external_id.to_string());
        self.tx(move |tx| message_by_key(tx, SEQ_BY_EXTERNAL_ID, &t, &c, &e))
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %job.tenant, conversation = %job.conversation, seq = job.seq))]
    async fn outbound(&self, job: &OutboundJob) -> StoreResult<Option<Outbound>> {
        let job = job.clone();
        self.tx(move |tx| {
            let (t, c) = (job.tenant.as_str(), job.conversation.as_str());
            let Some(message) = message_by_seq(tx, t, c, job.seq as i64)? else {
                return Ok(None);
            };
            let Some(conversation) = load_conversation(tx, t, c)? else {
                return Ok(None);
            };
            let contact = load_contact(tx, t, conversation.visitor.as_str())?;
            Ok(Some(Outbound {
                message,
                conversation,
                contact,
            }))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn receipt_target(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        external_id: &str,
    ) -> StoreResult<Option<ReceiptTarget>> {
        let (t, v, e) = (
            tenant.to_string(),
            visitor.to_string(),
            external_id.to_string(),
        );
        self.tx(move |tx| {
            let found: Option<(String, i64)> = tx
                .query_row(
                    "SELECT x.conversation, x.seq FROM visitor_current v
                     JOIN external_ids x ON x.tenant = v.tenant AND x.conversation = v.conversation
                     WHERE v.tenant = ?1 AND v.visitor = ?2 AND x.external_id = ?3",
                    params![t, v, e],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(backend)?;
            let Some((c, seq)) = found else {
                return Ok(None);
            };
            Ok(
                load_conversation(tx, &t, &c)?.map(|conversation| ReceiptTarget {
                    conversation,
                    seq: seq as u64,
                }),
            )
        })
        .await
    }
}
