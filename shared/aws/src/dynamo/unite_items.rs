//! The items of Unite's two transactions on DynamoDB: a merge's and an
//! undo's (`unite.rs` has the port, the keys and the records).

use super::codec::{ABSORBED, CLIENT};
use super::contact_info::{INFO_SK, VALUE_PREFIX};
use super::contacts::TAGS_SK;
use super::conversation_record::to_attribute;
use super::item::{n, s, Item};
use super::keys::{self, conversation_pk, visitor_pk};
use super::unite::{link_key, merge_key};
use super::{tx_delete, tx_put, tx_update, DynamoStore};
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use switchboard_app::ports::StoreResult;
use switchboard_domain::workspace::unite::{ClientCard, Merge};
use switchboard_domain::{ConversationId, TenantId, VisitorId};

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

    pub(super) fn merge_items(&self, merge: &Merge) -> StoreResult<Vec<TransactWriteItem>> {
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

    pub(super) fn undo_items(
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
