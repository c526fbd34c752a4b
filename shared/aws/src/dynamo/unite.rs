//! Unite on DynamoDB. A merge is one `TransactWriteItems`:
//! - the record, `T#{t}#MERGES` / `M#{merge id}` (newest first by its ULID);
//! - a link from A to B, `T#{t}#VIS#{a}` / `MERGED#{b}`, which A's preview
//!   queries to find every conversation that is A's now;
//! - both conversations' META: B's gets `client`, A's counts `absorbed`, both
//!   take A's new name, phone and e-mail (nested `entry.*` paths, so nothing
//!   else of the entry is overwritten), under conditions that neither was
//!   merged meanwhile and B has none of its own;
//! - A's tags (`ADD`) and information (`SET` of each key taken, under the
//!   value it was planned against), B's tags and information deleted;
//! - search entries for both under the new identity (stale ones are
//!   harmless: a search checks each hit against the entry).
//!
//! None of these is written by an append, so messages arriving on either
//! side meanwhile neither block it nor are lost; a transaction conflict
//! with one is retried.

use super::conversation_record::from_attribute;
use super::item::{get_s, parse, Item};
use super::keys::{self, visitor_pk};
use super::page::Listing;
use super::{backoff, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use async_trait::async_trait;
use switchboard_app::ports::{Page, StoreError, StoreResult, UniteError, UniteStore};
use switchboard_domain::workspace::unite::{ClientCard, Merge, Undone};
use switchboard_domain::{ConversationId, TenantId, VisitorId};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
];

const LINK_PREFIX: &str = "MERGED#";

pub(super) fn merges_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#MERGES")
}

const MERGE_PREFIX: &str = "M#";

pub(super) fn merge_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(merges_pk(tenant), format!("{MERGE_PREFIX}{id}"))
}

pub(super) fn link_key(tenant: &TenantId, into: &VisitorId, from: &VisitorId) -> Item {
    DynamoStore::key(visitor_pk(tenant, into), format!("{LINK_PREFIX}{from}"))
}

fn merge_from(item: &Item) -> StoreResult<Merge> {
    from_attribute(item, "body")?.ok_or_else(|| StoreError::Corrupt("merge without body".into()))
}

#[async_trait]
impl UniteStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %merge.tenant, merge = %merge.id))]
    async fn merge_contacts(&self, merge: &Merge) -> Result<(), UniteError> {
        for attempt in 0..MAX_ATTEMPTS {
            match self.transact(self.merge_items(merge)?).await? {
                TxOutcome::Committed => return Ok(()),
                TxOutcome::ConditionFailed(_) => return Err(UniteError::Changed),
                TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn merge_record(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<Merge>> {
        self.get(merge_key(tenant, id))
            .await?
            .as_ref()
            .map(merge_from)
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn merges(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Merge>> {
        let listing = Listing::Partition {
            pk: merges_pk(tenant),
            prefix: MERGE_PREFIX,
        };
        let (items, next) = self.query_page(listing, after, limit, true).await?;
        let items = items.iter().map(merge_from).collect::<StoreResult<_>>()?;
        Ok(Page { items, next })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %client))]
    async fn merged_into(
        &self,
        tenant: &TenantId,
        client: &VisitorId,
    ) -> StoreResult<Vec<(VisitorId, ConversationId)>> {
        self.query_prefix(visitor_pk(tenant, client), LINK_PREFIX)
            .await?
            .iter()
            .map(|item| {
                let sk = get_s(item, keys::SK)?;
                let visitor = parse(sk.trim_start_matches(LINK_PREFIX), VisitorId::parse)?;
                let conversation = parse(get_s(item, "conversation")?, ConversationId::parse)?;
                Ok((visitor, conversation))
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, merge = %id))]
    async fn undo_merge(
        &self,
        tenant: &TenantId,
        id: &str,
        undone: &Undone,
        into_identity: &ClientCard,
    ) -> Result<Merge, UniteError> {
        for attempt in 0..MAX_ATTEMPTS {
            let merge = self
                .merge_record(tenant, id)
                .await?
                .ok_or(UniteError::NotFound)?;
            if merge.undone.is_some() {
                return Err(UniteError::AlreadyUndone);
            }
            let after = Merge {
                undone: Some(undone.clone()),
                ..merge.clone()
            };
            match self
                .transact(self.undo_items(&merge, &after, into_identity)?)
                .await?
            {
                TxOutcome::Committed => return Ok(after),
                // Undone meanwhile: the next read says so.
                TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS).into())
    }
}
