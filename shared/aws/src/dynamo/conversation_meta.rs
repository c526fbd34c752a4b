//! Reading a conversation's META and the guarded updates every lifecycle
//! change starts from: a write lands only on the state it was decided on.

use super::codec::conversation_from;
use super::item::{json, n, s, to_json};
use super::keys::{self, conversation_pk};
use super::{tx_update, DynamoStore, TxOutcome};
use aws_sdk_dynamodb::types::Update;
use switchboard_app::ports::{ConversationError, StoreResult};
use switchboard_domain::{Conversation, ConversationId, TenantId, Timestamp};

impl DynamoStore {
    pub(crate) async fn load_conversation(
        &self,
        tenant: &TenantId,
        id: &ConversationId,
    ) -> StoreResult<Option<Conversation>> {
        self.get(Self::key(conversation_pk(tenant, id), keys::META_SK))
            .await?
            .map(|i| conversation_from(&i))
            .transpose()
    }

    /// Update of a conversation's META guarded by the state it was read in.
    pub(crate) fn conversation_update(
        &self,
        c: &Conversation,
    ) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                conversation_pk(&c.tenant, &c.id),
                keys::META_SK,
            )))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":seen_status", s(c.status.as_str()))
            .expression_attribute_values(":seen_enqueued", n(c.enqueued_at.millis()))
    }

    /// Moves a closed conversation back to the queue, guarded by its closed state.
    pub(crate) async fn reopen_with(
        &self,
        seen: &Conversation,
        entry_json: Option<String>,
        now: Timestamp,
    ) -> Result<Option<Conversation>, ConversationError> {
        let mut reopened = seen.clone();
        reopened.reopen(now)?;
        let entry_json = match entry_json {
            Some(e) => e,
            None => to_json(&reopened.entry)?,
        };
        let u = self
            .conversation_update(seen)
            .update_expression(
                "SET #status = :waiting, enqueuedAt = :now, entry = :entry, GSI1PK = :g1pk, GSI1SK = :g1sk \
                 REMOVE #op, acceptedAt, closedAt",
            )
            .condition_expression("#status = :seen_status AND enqueuedAt = :seen_enqueued")
            .expression_attribute_names("#op", "operator")
            .expression_attribute_values(":waiting", s("waiting"))
            .expression_attribute_values(":now", n(now.millis()))
            .expression_attribute_values(":entry", s(&entry_json))
            .expression_attribute_values(":g1pk", s(keys::waiting_gsi_pk(&seen.tenant)))
            .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(now, &seen.id)));
        match self.transact(vec![tx_update(u)?]).await? {
            TxOutcome::Committed => {
                reopened.entry = json(&entry_json)?;
                Ok(Some(reopened))
            }
            _ => Ok(None),
        }
    }
}
