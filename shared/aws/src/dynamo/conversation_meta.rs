//! Reading a conversation's META and the guarded updates every lifecycle
//! change starts from: a write lands only on the state it was decided on.

use super::codec::conversation_from;
use super::conversation_record::{session_records, to_attribute, EntryRecord};
use super::event_record::EventRecord;
use super::item::{n, s, to_json};
use super::keys::{self, conversation_pk};
use super::{tx_put, tx_update, DynamoStore, TxOutcome};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use switchboard_app::ports::{ConversationError, StoreResult};
use switchboard_domain::{
    Conversation, ConversationId, TenantId, TimelineEvent, TimelineKind, Timestamp,
};

/// The condition every lifecycle change is written under: the conversation is
/// still as it was read. Items from before the log have no `lastEvent`.
pub(crate) const SEEN_STATE: &str = "#status = :seen_status AND enqueuedAt = :seen_enqueued \
     AND (lastEvent = :seen_event OR attribute_not_exists(lastEvent))";

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

    /// Update of a conversation's META from `seen` to `after`, guarded by
    /// [`SEEN_STATE`]. The caller's SET must include
    /// `sessions = :sessions, lastEvent = :last_event` and `GSI3PK = :g3pk,
    /// progress = :progress`: the list it now belongs in (open or closed,
    /// whose) and its progress (a reopened one is unread).
    pub(crate) fn conversation_update(
        &self,
        seen: &Conversation,
        after: &Conversation,
    ) -> StoreResult<aws_sdk_dynamodb::types::builders::UpdateBuilder> {
        Ok(Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                conversation_pk(&seen.tenant, &seen.id),
                keys::META_SK,
            )))
            .condition_expression(SEEN_STATE)
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":seen_status", s(seen.status.as_str()))
            .expression_attribute_values(":seen_enqueued", n(seen.enqueued_at.millis()))
            .expression_attribute_values(":seen_event", n(seen.last_event))
            .expression_attribute_values(
                ":sessions",
                to_attribute(&session_records(&after.sessions))?,
            )
            .expression_attribute_values(":last_event", n(after.last_event))
            .expression_attribute_values(":g3pk", s(keys::list_gsi_pk_of(after)))
            .expression_attribute_values(":progress", s(after.progress.as_str())))
    }

    /// The put of one timeline entry, in the transaction of its change. The
    /// number was claimed by moving `lastEvent` under [`SEEN_STATE`].
    pub(crate) fn event_put(
        &self,
        tenant: &TenantId,
        event: &TimelineEvent,
    ) -> StoreResult<TransactWriteItem> {
        let mut item = Self::key(
            conversation_pk(tenant, &event.conversation),
            keys::event_sk(event.number),
        );
        item.insert("body".into(), s(to_json(&EventRecord::from(event))?));
        tx_put(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)"),
        )
    }

    /// Moves a closed conversation back to the queue, guarded by its closed state.
    pub(crate) async fn reopen_with(
        &self,
        seen: &Conversation,
        start: Option<&Conversation>,
        now: Timestamp,
    ) -> Result<Option<Conversation>, ConversationError> {
        let mut reopened = seen.clone();
        match start {
            Some(start) => reopened.reopen_for(start)?,
            None => reopened.reopen(now)?,
        }
        let event = reopened.record(TimelineKind::Reopened, now);
        let set = "SET #status = :waiting, enqueuedAt = :now, entry = :entry, #group = :group, \
                 GSI1PK = :g1pk, GSI1SK = :g1sk, sessions = :sessions, GSI3PK = :g3pk, progress = :progress, lastEvent = :last_event";
        let u = self.conversation_update(seen, &reopened)?;
        // An invitation's start waits for its operator alone, listed for the
        // sweep by its deadline as a transfer is.
        let u = match &reopened.pending_transfer {
            Some(pending) => super::transfers::addressed(
                u.update_expression(format!(
                    "{set}, pendingTransfer = :pending, GSI2PK = :g2pk, GSI2SK = :g2sk \
                     REMOVE #op, acceptedAt, closedAt, sla"
                )),
                &seen.tenant,
                &seen.id,
                pending,
            )?,
            None => u
                .update_expression(format!(
                    "{set} REMOVE #op, acceptedAt, closedAt, sla, pendingTransfer"
                ))
                .expression_attribute_values(
                    ":g1pk",
                    s(keys::waiting_gsi_pk(&seen.tenant, &reopened.group)),
                ),
        };
        let u = u
            .expression_attribute_names("#op", "operator")
            .expression_attribute_names("#group", "group")
            .expression_attribute_values(":group", s(reopened.group.as_str()))
            .expression_attribute_values(":waiting", s("waiting"))
            .expression_attribute_values(":now", n(now.millis()))
            .expression_attribute_values(
                ":entry",
                to_attribute(&EntryRecord::from(&reopened.entry))?,
            )
            .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(&reopened)));
        let mut items = vec![tx_update(u)?, self.event_put(&seen.tenant, &event)?];
        items.extend(self.search_puts(&reopened)?);
        items.extend(self.session_put(&reopened)?);
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(Some(reopened)),
            _ => Ok(None),
        }
    }
}
