//! Delivery state of what we send through channels: a version-guarded update
//! of the message, and an `XMSG#` marker for the provider's id.

use super::item::{n, s};
use super::keys::{self, conversation_pk};
use super::message_record::{delivery_value, delivery_version, message_from};
use super::{backoff, tx_put, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, Update};
use switchboard_app::ports::{DeliveryStore, StoreError, StoreResult};
use switchboard_domain::{ConversationId, Delivery, Message, TenantId};

/// What this port's adapter asks of DynamoDB (a guarded update of the message and a put of the provider-id marker). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = false;

#[async_trait]
impl DeliveryStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id, seq))]
    async fn advance_delivery(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        seq: u64,
        delivery: Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Option<Message>> {
        let pk = conversation_pk(tenant, id);
        for attempt in 0..MAX_ATTEMPTS {
            let Some(item) = self.get(Self::key(&pk, keys::message_sk(seq))).await? else {
                return Ok(None);
            };
            let mut message = message_from(&item)?;
            // Optimistic: the write below only lands on the version read here.
            let version = delivery_version(&item)?;
            let new_external = external_id
                .filter(|e| message.external_id.as_deref() != Some(*e))
                .map(str::to_string);
            let advances = message
                .delivery
                .as_ref()
                .is_none_or(|current| current.advances_to(delivery.state));
            if new_external.is_none() && !advances {
                return Ok(None);
            }
            let mut set = vec!["deliveryVersion = :next"];
            let mut write = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(&pk, keys::message_sk(seq))))
                .condition_expression(
                    "attribute_exists(PK) AND (attribute_not_exists(deliveryVersion) OR deliveryVersion = :prev)",
                )
                .expression_attribute_values(":next", n(version + 1))
                .expression_attribute_values(":prev", n(version));
            if let Some(ext) = &new_external {
                message.external_id = Some(ext.clone());
                set.push("externalId = :external");
                write = write.expression_attribute_values(":external", s(ext.as_str()));
            }
            if advances {
                message.delivery = Some(delivery.clone());
                set.push("delivery = :delivery");
                write = write.expression_attribute_values(":delivery", delivery_value(&delivery)?);
            }
            // Only what changed is written: the message itself is never rewritten.
            let write = write.update_expression(format!("SET {}", set.join(", ")));
            let mut items = vec![tx_update(write)?];
            if let Some(ext) = &new_external {
                let mut marker = Self::key(&pk, keys::external_message_sk(ext));
                marker.insert("seq".into(), n(seq));
                items.push(tx_put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(marker)),
                )?);
            }
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(Some(message)),
                TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, conversation = %id))]
    async fn message_by_external_id(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
        external_id: &str,
    ) -> StoreResult<Option<Message>> {
        self.message_by_marker(tenant, id, keys::external_message_sk(external_id))
            .await
    }
}
