//! Delivery state of messages sent through channels, and providers' ids.

use super::messages::{message_by_key, message_by_seq, SEQ_BY_EXTERNAL_ID};
use super::{backend, to_json, SqliteStore};
use async_trait::async_trait;
use rusqlite::params;
use switchboard_app::ports::{DeliveryStore, StoreResult};
use switchboard_domain::{ConversationId, Delivery, Message, TenantId};

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
                    tx.execute(
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
            tx.execute(
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
}
