//! SLA rules and handling times, both in the tenant's partition so the one
//! routing Query reads them: `T#{t}` / `SLA` holds the rules as JSON, and
//! `T#{t}` / `HANDLED#{g}#{hour}` adds up one group's chats closed in one
//! hour, expiring by TTL a day after the estimate stops reading it.
//!
//! A waiting conversation's SLA lives on its `META` item (`sla`), and its
//! queue key (GSI1SK) follows from it.

use super::conversation_record::to_attribute;
use super::item::{get_n, get_s, json, n, parse, s, to_json, Item};
use super::{backend, is_conditional_failure, keys, DynamoStore};
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::Update;
use switchboard_app::ports::StoreResult;
use switchboard_domain::estimate::{GroupLoad, HandlingBucket, WINDOW_HOURS};
use switchboard_domain::{Conversation, GroupId, Sla, SlaRule, TenantId, Timestamp};

pub(crate) fn rules_from(item: &Item) -> StoreResult<Vec<SlaRule>> {
    json(get_s(item, "rules")?)
}

pub(crate) fn bucket_from(item: &Item) -> StoreResult<HandlingBucket> {
    Ok(HandlingBucket {
        group: parse(get_s(item, "group")?, GroupId::parse)?,
        hour: get_n(item, "hour")?,
        total_millis: get_n(item, "totalMillis")?,
        chats: get_n(item, "chats")?,
    })
}

pub(crate) fn announced_from(item: &Item) -> StoreResult<(GroupId, GroupLoad)> {
    let count = |name| {
        get_n(item, name).and_then(|v| {
            u32::try_from(v)
                .map_err(|_| switchboard_app::ports::StoreError::Corrupt(format!("{name} {v}")))
        })
    };
    Ok((
        parse(get_s(item, "group")?, GroupId::parse)?,
        GroupLoad {
            slots: count("slots")?,
            free: count("free")?,
        },
    ))
}

impl DynamoStore {
    pub(crate) async fn put_announced_load(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        load: GroupLoad,
    ) -> StoreResult<()> {
        let mut item = Self::key(keys::tenant_pk(tenant), keys::announced_load_sk(group));
        item.insert("group".into(), s(group.as_str()));
        item.insert("slots".into(), n(u64::from(load.slots)));
        item.insert("free".into(), n(u64::from(load.free)));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    pub(crate) async fn put_sla_item(
        &self,
        tenant: &TenantId,
        rules: &[SlaRule],
    ) -> StoreResult<()> {
        let mut item = Self::key(keys::tenant_pk(tenant), keys::SLA_SK);
        item.insert("rules".into(), s(to_json(&rules)?));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Adds a closed chat to its group's hour: in the close's transaction,
    /// so a close counts exactly once.
    pub(crate) fn handling_update(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        accepted_at: Timestamp,
        closed_at: Timestamp,
    ) -> UpdateBuilder {
        let hour = HandlingBucket::hour_of(closed_at);
        let expires = (hour + 2 * WINDOW_HOURS) * 3600;
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::tenant_pk(tenant),
                keys::handling_sk(group, hour),
            )))
            .update_expression(
                "SET #group = :group, #hour = :hour, #ttl = :ttl ADD totalMillis :took, chats :one",
            )
            .expression_attribute_names("#group", "group")
            .expression_attribute_names("#hour", "hour")
            .expression_attribute_names("#ttl", keys::TTL)
            .expression_attribute_values(":group", s(group.as_str()))
            .expression_attribute_values(":hour", n(hour))
            .expression_attribute_values(":ttl", n(expires))
            .expression_attribute_values(
                ":took",
                n(closed_at.millis().saturating_sub(accepted_at.millis())),
            )
            .expression_attribute_values(":one", n(1))
    }

    pub(crate) async fn set_conversation_sla(
        &self,
        seen: &Conversation,
        sla: &Sla,
    ) -> StoreResult<bool> {
        let mut after = seen.clone();
        after.sla = Some(sla.clone());
        // Conversations from before groups carry no group attribute.
        let same_group = match seen.group.is_default() {
            true => "(attribute_not_exists(#group) OR #group = :group)",
            false => "#group = :group",
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::meta_key(&seen.tenant, &seen.id)))
            .update_expression("SET sla = :sla, GSI1SK = :g1sk")
            .condition_expression(format!(
                "#status = :waiting AND enqueuedAt = :enqueued AND {same_group} \
                 AND attribute_not_exists(pendingTransfer)"
            ))
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#group", "group")
            .expression_attribute_values(":waiting", s("waiting"))
            .expression_attribute_values(":enqueued", n(seen.enqueued_at.millis()))
            .expression_attribute_values(":group", s(seen.group.as_str()))
            .expression_attribute_values(":sla", to_attribute(sla)?)
            .expression_attribute_values(":g1sk", s(keys::waiting_gsi_sk(&after)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }
}
