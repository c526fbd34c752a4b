//! The waiting queues (GSI1, one partition per group, in SLA order) as the
//! queue function reads them: the index lists, and the conversations a change
//! was about are read from their own items in the same round trip as the
//! tenant's queue watchers, so an index that lags behind a change never
//! shows through.

use super::codec::conversation_from;
use super::item::get_ss;
use super::keys;
use super::watchers::TENANT_OPERATOR_CONNECTIONS;
use super::DynamoStore;
use switchboard_app::ports::{StoreError, StoreResult, WaitingQueue};
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, ConversationStatus, GroupId, TenantId,
};

impl DynamoStore {
    /// A group's waiting conversations as the index lists them (up to `limit`).
    pub(crate) async fn listed_waiting(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        limit: Option<usize>,
    ) -> StoreResult<Vec<Conversation>> {
        let items = self
            .query_index(
                keys::GSI1,
                keys::GSI1PK,
                keys::waiting_gsi_pk(tenant, group),
                limit,
            )
            .await?;
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let c = conversation_from(item)?;
            // The index is eventually consistent; the item's own state is checked too.
            if c.status == ConversationStatus::Waiting
                && &c.group == group
                && c.pending_transfer.is_none()
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub(crate) async fn read_waiting_queue(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        touched: &[ConversationId],
    ) -> StoreResult<WaitingQueue> {
        let mut wanted: Vec<_> = touched
            .iter()
            .map(|id| Self::meta_key(tenant, id))
            .collect();
        wanted.push(Self::tenant_key(tenant));
        let (listed, found) = tokio::try_join!(
            self.listed_waiting(tenant, group, None),
            self.batch_get(&wanted)
        )?;
        let (tenant_item, metas) = found
            .split_last()
            .ok_or_else(|| StoreError::backend_says("batch read returned nothing"))?;
        let current: Vec<Conversation> = metas
            .iter()
            .flatten()
            .map(conversation_from)
            .collect::<StoreResult<_>>()?;
        let operators = tenant_item
            .as_ref()
            .map(|t| {
                get_ss(t, TENANT_OPERATOR_CONNECTIONS)
                    .iter()
                    .filter_map(|id| ConnectionId::parse(id.clone()).ok())
                    .collect()
            })
            .unwrap_or_default();
        Ok(WaitingQueue {
            waiting: merge(listed, &current, group),
            touched: current,
            operators,
        })
    }
}

/// The listed queue corrected by the items just read: what no longer waits
/// leaves, what waits is there with its current state, in queue order.
fn merge(
    listed: Vec<Conversation>,
    current: &[Conversation],
    group: &GroupId,
) -> Vec<Conversation> {
    let mut waiting: Vec<Conversation> = listed
        .into_iter()
        .filter(|c| !current.iter().any(|t| t.id == c.id))
        .collect();
    waiting.extend(
        current
            .iter()
            .filter(|c| {
                c.status == ConversationStatus::Waiting
                    && &c.group == group
                    && c.pending_transfer.is_none()
            })
            .cloned(),
    );
    waiting.sort_by(switchboard_domain::queue::queue_order);
    waiting
}
