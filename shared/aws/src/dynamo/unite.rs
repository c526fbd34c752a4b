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

use super::codec::{ABSORBED, CLIENT};
use super::contact_info::{INFO_SK, VALUE_PREFIX};
use super::contacts::TAGS_SK;
use super::conversation_record::{from_attribute, to_attribute};
use super::item::{get_s, n, parse, s, Item};
use super::keys::{self, conversation_pk, visitor_pk};
use super::page::Listing;
use super::{backoff, tx_delete, tx_put, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
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

fn merges_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#MERGES")
}

const MERGE_PREFIX: &str = "M#";

fn merge_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(merges_pk(tenant), format!("{MERGE_PREFIX}{id}"))
}

fn link_key(tenant: &TenantId, into: &VisitorId, from: &VisitorId) -> Item {
    DynamoStore::key(visitor_pk(tenant, into), format!("{LINK_PREFIX}{from}"))
}

fn merge_from(item: &Item) -> StoreResult<Merge> {
    from_attribute(item, "body")?.ok_or_else(|| StoreError::Corrupt("merge without body".into()))
}

/// SET or REMOVE of the entry's name, phone and e-mail to the card's, as
/// expression parts (names `#entry`, `#e_*`; values `:e_*`).
fn identity_parts(
    card: &ClientCard,
    update: UpdateBuilder,
) -> (Vec<String>, Vec<String>, UpdateBuilder) {
    let (mut sets, mut removes) = (Vec::new(), Vec::new());
    let mut update = update.expression_attribute_names("#entry", "entry");
    for (name, value) in [
        ("name", &card.name),
        ("phone", &card.phone),
        ("email", &card.email),
    ] {
        update = update.expression_attribute_names(format!("#e_{name}"), name);
        match value {
            Some(v) => {
                sets.push(format!("#entry.#e_{name} = :e_{name}"));
                update = update.expression_attribute_values(format!(":e_{name}"), s(v));
            }
            None => removes.push(format!("#entry.#e_{name}")),
        }
    }
    (sets, removes, update)
}

/// An update expression of its non-empty clauses: `SET`, `REMOVE`, and
/// `extra` (an `ADD`).
fn expression(sets: &[String], removes: &[String], extra: &str) -> String {
    let mut clauses = Vec::new();
    if !sets.is_empty() {
        clauses.push(format!("SET {}", sets.join(", ")));
    }
    if !removes.is_empty() {
        clauses.push(format!("REMOVE {}", removes.join(", ")));
    }
    if !extra.is_empty() {
        clauses.push(extra.to_string());
    }
    clauses.join(" ")
}

impl DynamoStore {
    /// An update of one of a contact's items (`TAGS`, `INFO`).
    fn visitor_update(&self, tenant: &TenantId, visitor: &VisitorId, sk: &str) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(visitor_pk(tenant, visitor), sk)))
    }

    fn visitor_delete(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        sk: &str,
    ) -> StoreResult<TransactWriteItem> {
        tx_delete(
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(Self::key(visitor_pk(tenant, visitor), sk))),
        )
    }

    /// A contact's item put whole, as an undo restores it.
    fn visitor_put(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        sk: &str,
        attributes: Item,
    ) -> StoreResult<TransactWriteItem> {
        let mut item = Self::key(visitor_pk(tenant, visitor), sk);
        item.extend(attributes);
        tx_put(Put::builder().table_name(&self.table).set_item(Some(item)))
    }

    fn meta_update(&self, tenant: &TenantId, id: &ConversationId) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(conversation_pk(tenant, id), keys::META_SK)))
    }

    fn merge_items(&self, merge: &Merge) -> StoreResult<Vec<TransactWriteItem>> {
        let t = &merge.tenant;
        let (a, b) = (&merge.into, &merge.from);
        let result = merge.result();
        let taken = merge.taken();
        let mut items = Vec::new();
        let mut record = merge_key(t, &merge.id);
        record.insert("body".into(), to_attribute(merge)?);
        items.push(tx_put(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(record))
                .condition_expression("attribute_not_exists(PK)"),
        )?);
        let mut link = link_key(t, &a.visitor, &b.visitor);
        link.insert("conversation".into(), s(b.conversation.as_str()));
        link.insert("merge".into(), s(&merge.id));
        items.push(tx_put(
            Put::builder().table_name(&self.table).set_item(Some(link)),
        )?);

        let (sets, removes, update) = identity_parts(&result, self.meta_update(t, &a.conversation));
        items.push(tx_update(
            update
                .update_expression(expression(&sets, &removes, "ADD #absorbed :one"))
                .condition_expression("attribute_exists(PK) AND attribute_not_exists(#client)")
                .expression_attribute_names("#absorbed", ABSORBED)
                .expression_attribute_names("#client", CLIENT)
                .expression_attribute_values(":one", n(1)),
        )?);
        let (mut sets, removes, update) =
            identity_parts(&result, self.meta_update(t, &b.conversation));
        sets.push("#client = :a".into());
        items.push(tx_update(
            update
                .update_expression(expression(&sets, &removes, ""))
                .condition_expression(
                    "attribute_exists(PK) AND attribute_not_exists(#client) \
                     AND (attribute_not_exists(#absorbed) OR #absorbed = :zero)",
                )
                .expression_attribute_names("#absorbed", ABSORBED)
                .expression_attribute_names("#client", CLIENT)
                .expression_attribute_values(":a", s(a.visitor.as_str()))
                .expression_attribute_values(":zero", n(0)),
        )?);

        if !taken.tags.is_empty() {
            items.push(tx_update(
                self.visitor_update(t, &a.visitor, TAGS_SK)
                    .update_expression("ADD tags :t")
                    .expression_attribute_values(":t", AttributeValue::Ss(taken.tags.clone())),
            )?);
        }
        items.push(self.visitor_delete(t, &b.visitor, TAGS_SK)?);
        if !taken.info.is_empty() {
            let mut update = self.visitor_update(t, &a.visitor, INFO_SK);
            let (mut sets, mut conditions) = (Vec::new(), Vec::new());
            for (i, (key, before, value)) in taken.info.iter().enumerate() {
                sets.push(format!("#k{i} = :v{i}"));
                update = update
                    .expression_attribute_names(format!("#k{i}"), format!("{VALUE_PREFIX}{key}"))
                    .expression_attribute_values(format!(":v{i}"), to_attribute(value)?);
                match before {
                    None => conditions.push(format!("attribute_not_exists(#k{i})")),
                    Some(old) => {
                        conditions.push(format!("#k{i} = :o{i}"));
                        update = update
                            .expression_attribute_values(format!(":o{i}"), to_attribute(old)?);
                    }
                }
            }
            items.push(tx_update(
                update
                    .update_expression(format!("SET {}", sets.join(", ")))
                    .condition_expression(conditions.join(" AND ")),
            )?);
        }
        items.push(self.visitor_delete(t, &b.visitor, INFO_SK)?);
        for card in [a, b] {
            items.extend(self.search_puts_of(t, &card.conversation, result.search_tokens())?);
        }
        Ok(items)
    }

    fn undo_items(
        &self,
        merge: &Merge,
        undone: &Merge,
        into_identity: &ClientCard,
    ) -> StoreResult<Vec<TransactWriteItem>> {
        let t = &merge.tenant;
        let (a, b) = (&merge.into, &merge.from);
        let taken = merge.taken();
        let mut items = Vec::new();
        items.push(tx_update(
            Update::builder()
                .table_name(&self.table)
                .set_key(Some(merge_key(t, &merge.id)))
                .update_expression("SET body = :body, undoneAt = :at")
                .condition_expression("attribute_exists(PK) AND attribute_not_exists(undoneAt)")
                .expression_attribute_values(":body", to_attribute(undone)?)
                .expression_attribute_values(
                    ":at",
                    n(undone.undone.as_ref().map_or(0, |u| u.at.millis())),
                ),
        )?);
        items.push(tx_delete(
            Delete::builder()
                .table_name(&self.table)
                .set_key(Some(link_key(t, &a.visitor, &b.visitor))),
        )?);
        let (sets, mut removes, update) = identity_parts(b, self.meta_update(t, &b.conversation));
        removes.push("#client".into());
        items.push(tx_update(
            update
                .update_expression(expression(&sets, &removes, ""))
                .condition_expression("#client = :a")
                .expression_attribute_names("#client", CLIENT)
                .expression_attribute_values(":a", s(a.visitor.as_str())),
        )?);
        let (sets, removes, update) =
            identity_parts(into_identity, self.meta_update(t, &a.conversation));
        items.push(tx_update(
            update
                .update_expression(expression(&sets, &removes, "ADD #absorbed :minus"))
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_names("#absorbed", ABSORBED)
                .expression_attribute_values(":minus", AttributeValue::N("-1".into())),
        )?);
        if !taken.tags.is_empty() {
            items.push(tx_update(
                self.visitor_update(t, &a.visitor, TAGS_SK)
                    .update_expression("DELETE tags :t")
                    .expression_attribute_values(":t", AttributeValue::Ss(taken.tags.clone())),
            )?);
        }
        if !b.tags.is_empty() {
            let tags = Item::from([("tags".into(), AttributeValue::Ss(b.tags.clone()))]);
            items.push(self.visitor_put(t, &b.visitor, TAGS_SK, tags)?);
        }
        if !taken.info.is_empty() {
            let mut update = self.visitor_update(t, &a.visitor, INFO_SK);
            let (mut sets, mut removes) = (Vec::new(), Vec::new());
            for (i, (key, before, _)) in taken.info.iter().enumerate() {
                update = update
                    .expression_attribute_names(format!("#k{i}"), format!("{VALUE_PREFIX}{key}"));
                match before {
                    None => removes.push(format!("#k{i}")),
                    Some(old) => {
                        sets.push(format!("#k{i} = :v{i}"));
                        update = update
                            .expression_attribute_values(format!(":v{i}"), to_attribute(old)?);
                    }
                }
            }
            items.push(tx_update(
                update.update_expression(expression(&sets, &removes, "")),
            )?);
        }
        if !b.info.is_empty() {
            let values = b
                .info
                .iter()
                .map(|(key, value)| Ok((format!("{VALUE_PREFIX}{key}"), to_attribute(value)?)))
                .collect::<StoreResult<Item>>()?;
            items.push(self.visitor_put(t, &b.visitor, INFO_SK, values)?);
        }
        Ok(items)
    }
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
