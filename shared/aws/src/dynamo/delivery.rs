//! Delivery state of what we send through channels: an update of the message
//! conditioned on the state it moves up from, and an `XMSG#` marker for the
//! provider's id. The reads the sender and a receipt need are batched.

use super::codec::conversation_from;
use super::item::{get_n, get_s, json, n, s};
use super::keys::{self, conversation_pk};
use super::message_record::{delivery_value, delivery_version, message_from};
use super::{
    backend, backoff, is_conditional_failure, tx_put, tx_update, DynamoStore, TxOutcome,
    MAX_ATTEMPTS,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, ReturnValue, Update};
use switchboard_app::ports::{DeliveryStore, Outbound, ReceiptTarget, StoreError, StoreResult};
use switchboard_domain::{
    Contact, ConversationId, Delivery, DeliveryState, Message, OutboundJob, TenantId, VisitorId,
};

/// What this port's adapter asks of DynamoDB (a guarded update of the message,
/// a put of the provider-id marker, batched reads of message, conversation and
/// contact). The functions' IAM policies are the union of these over the ports
/// they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];

/// How a write that does not read first went.
enum Blind {
    Done(Box<Message>),
    /// The condition failed: the state does not move up, or the item is one
    /// from before records; the reading path decides.
    Undecided,
}

impl DynamoStore {
    /// The provider's id for one of our messages. Written before the message
    /// is marked: the marker maps that id to this number whatever happens
    /// next, so writing it again is harmless.
    async fn put_external_marker(&self, pk: &str, external_id: &str, seq: u64) -> StoreResult<()> {
        let mut marker = Self::key(pk, keys::external_message_sk(external_id));
        marker.insert("seq".into(), n(seq));
        self.put(marker).await
    }

    /// Moves the delivery up without reading the message: the condition names
    /// the states below the new one. Answers the message as it now is.
    async fn advance_blind(
        &self,
        pk: &str,
        seq: u64,
        delivery: &Delivery,
        external_id: Option<&str>,
    ) -> StoreResult<Blind> {
        let lower: Vec<DeliveryState> = DeliveryState::ALL
            .into_iter()
            .filter(|s| s.rank() < delivery.state.rank())
            .collect();
        let mut write = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, keys::message_sk(seq))))
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":delivery", delivery_value(delivery)?)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .return_values(ReturnValue::AllNew);
        let mut placeholders = Vec::with_capacity(lower.len());
        for (i, state) in lower.iter().enumerate() {
            let name = format!(":lower{i}");
            write = write.expression_attribute_values(&name, s(state.as_str()));
            placeholders.push(name);
        }
        let below = if placeholders.is_empty() {
            String::new()
        } else {
            format!(" OR delivery.#state IN ({})", placeholders.join(", "))
        };
        // Items from before records keep the message in `body`: not here.
        write = write.condition_expression(format!(
            "attribute_exists(PK) AND attribute_not_exists(body) AND (attribute_not_exists(delivery){below})"
        ));
        let mut set = String::from(
            "SET delivery = :delivery, deliveryVersion = if_not_exists(deliveryVersion, :zero) + :one",
        );
        if let Some(ext) = external_id {
            set.push_str(", externalId = :external");
            write = write.expression_attribute_values(":external", s(ext));
        }
        match write.update_expression(set).send().await {
            Ok(out) => {
                let item = out
                    .attributes
                    .ok_or_else(|| StoreError::backend_says("update returned no attributes"))?;
                Ok(Blind::Done(Box::new(message_from(&item)?)))
            }
            Err(e) if is_conditional_failure(&e) => Ok(Blind::Undecided),
            Err(e) => Err(backend(e)),
        }
    }
}
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
        if let Some(ext) = external_id {
            self.put_external_marker(&pk, ext, seq).await?;
        }
        if let Blind::Done(message) = self.advance_blind(&pk, seq, &delivery, external_id).await? {
            return Ok(Some(*message));
        }
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

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %job.tenant, conversation = %job.conversation, seq = job.seq))]
    async fn outbound(&self, job: &OutboundJob) -> StoreResult<Option<Outbound>> {
        let pk = conversation_pk(&job.tenant, &job.conversation);
        let mut wanted = vec![
            Self::key(&pk, keys::message_sk(job.seq)),
            Self::meta_key(&job.tenant, &job.conversation),
        ];
        if let Some(visitor) = &job.visitor {
            wanted.push(contact_key(&job.tenant, visitor));
        }
        let found = self.batch_get(&wanted).await?;
        let (Some(Some(message)), Some(Some(meta))) = (found.first(), found.get(1)) else {
            return Ok(None);
        };
        let conversation = conversation_from(meta)?;
        let contact_item = match found.get(2) {
            Some(item) => item.clone(),
            // A job from before jobs named the client.
            None => {
                self.get(contact_key(&job.tenant, &conversation.visitor))
                    .await?
            }
        };
        let contact = contact_item
            .map(|i| get_s(&i, "body").and_then(json::<Contact>))
            .transpose()?;
        Ok(Some(Outbound {
            message: message_from(message)?,
            conversation,
            contact,
        }))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn receipt_target(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        external_id: &str,
    ) -> StoreResult<Option<ReceiptTarget>> {
        let Some(id) = self.current_conversation_id(tenant, visitor).await? else {
            return Ok(None);
        };
        let found = self
            .batch_get(&[
                Self::meta_key(tenant, &id),
                Self::key(
                    conversation_pk(tenant, &id),
                    keys::external_message_sk(external_id),
                ),
            ])
            .await?;
        let (Some(Some(meta)), Some(Some(marker))) = (found.first(), found.get(1)) else {
            return Ok(None);
        };
        Ok(Some(ReceiptTarget {
            conversation: conversation_from(meta)?,
            seq: get_n(marker, "seq")?,
        }))
    }
}

fn contact_key(tenant: &TenantId, visitor: &VisitorId) -> super::item::Item {
    DynamoStore::key(keys::contact_pk(tenant, visitor), keys::CONTACT_SK)
}
