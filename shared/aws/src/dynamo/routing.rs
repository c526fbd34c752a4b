//! Groups and what automatic routing reads. A group is an item in its
//! tenant's partition, beside the `TENANT` item and the operators, so one
//! strongly consistent Query of `T#{t}` reads everything a routing decision
//! needs. Groups under automatic routing are also listed in GSI2
//! (`AUTOGROUPS`), which the sweep reads instead of scanning.

use super::assignment::{operator_read, settings, OperatorRead};
use super::conversation_record::{from_attribute, to_attribute};
use super::directory::widget_from;
use super::item::{get_s, opt_s, parse, s, Item};
use super::keys;
use super::{build_err, tx_put, tx_update, DynamoStore, TxOutcome};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem, Update};
use std::collections::BTreeSet;
use switchboard_app::ports::{
    Accepted, ConversationError, OperatorSnapshot, RoutingError, RoutingSnapshot, RoutingStore,
    StoreError, StoreResult,
};
use switchboard_domain::estimate::GroupLoad;
use switchboard_domain::{
    Assignment, Capacity, Conversation, Group, GroupId, OperatorId, RoutingPolicy, SlaRule,
    TenantId, Timestamp, Widget, WidgetId,
};

/// What this port's adapter asks of DynamoDB: the tenant's partition and the
/// auto-routed groups (GSI2) are queried; groups and widget routes are
/// written in transactions that check what they name.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
];
pub const USES_INDEX: bool = true;

fn group_item(group: &Group) -> StoreResult<Item> {
    let mut item = DynamoStore::key(keys::tenant_pk(&group.tenant), keys::group_sk(&group.id));
    item.insert("tenant".into(), s(group.tenant.as_str()));
    item.insert("group".into(), s(group.id.as_str()));
    item.insert("name".into(), s(&group.name));
    item.insert("policy".into(), s(group.policy.as_str()));
    if let Some(hours) = &group.hours {
        item.insert("hours".into(), to_attribute(hours)?);
    }
    item.insert(
        "members".into(),
        AttributeValue::L(group.members.iter().map(|m| s(m.as_str())).collect()),
    );
    if group.policy == RoutingPolicy::Auto {
        item.insert(keys::GSI2PK.into(), s(keys::AUTO_GROUPS_GSI_PK));
        item.insert(
            keys::GSI2SK.into(),
            s(keys::auto_group_gsi_sk(&group.tenant, &group.id)),
        );
    }
    Ok(item)
}

fn group_from(item: &Item) -> StoreResult<Group> {
    let policy = get_s(item, "policy")?;
    let members = match item.get("members") {
        Some(AttributeValue::L(list)) => list
            .iter()
            .map(|v| match v {
                AttributeValue::S(m) => parse(m, OperatorId::parse),
                other => Err(StoreError::Corrupt(format!("group member {other:?}"))),
            })
            .collect::<StoreResult<Vec<_>>>()?,
        _ => Vec::new(),
    };
    Ok(Group {
        id: parse(get_s(item, "group")?, GroupId::parse)?,
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        name: get_s(item, "name")?.to_string(),
        members,
        policy: RoutingPolicy::parse(policy)
            .ok_or_else(|| StoreError::Corrupt(format!("routing policy {policy:?}")))?,
        hours: from_attribute(item, "hours")?,
    })
}

/// The groups as stored, with the default group as it is before anyone
/// configured it, ordered by id.
fn with_default(tenant: &TenantId, mut groups: Vec<Group>) -> Vec<Group> {
    if !groups.iter().any(|g| g.id.is_default()) {
        groups.push(Group::default_for(tenant.clone()));
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    groups
}

impl DynamoStore {
    /// Every item of the tenant's own partition (`TENANT`, `OP#…`, `GROUP#…`).
    async fn tenant_partition(&self, tenant: &TenantId) -> StoreResult<Vec<Item>> {
        self.query_prefix(keys::tenant_pk(tenant), "").await
    }

    /// The ids of the tenant's groups, the default one first.
    pub(crate) async fn group_ids(&self, tenant: &TenantId) -> StoreResult<Vec<GroupId>> {
        let mut ids = vec![GroupId::default_group()];
        for item in self
            .query_prefix(keys::tenant_pk(tenant), keys::GROUP_PREFIX)
            .await?
        {
            let id = parse(get_s(&item, "group")?, GroupId::parse)?;
            if !id.is_default() {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// The accept's transaction on a decision made from a routing snapshot.
    pub(crate) async fn assign_seen(
        &self,
        seen: &Conversation,
        operator: &OperatorSnapshot,
        max_chats: Capacity,
        how: Assignment,
        now: Timestamp,
    ) -> Result<Accepted, ConversationError> {
        let read = OperatorRead {
            operator: operator.operator.clone(),
            connections: operator.connection_count,
            connection_ids: operator.connections.clone(),
        };
        self.take(seen, read, max_chats, how, None, now)
            .await?
            .ok_or(ConversationError::Moved)
    }

    fn exists_check(&self, key: Item) -> StoreResult<TransactWriteItem> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(build_err)?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }
}

#[async_trait]
impl RoutingStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %group.tenant, group = %group.id))]
    async fn put_group(&self, group: &Group) -> Result<(), RoutingError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(group_item(group)?));
        let mut items = vec![tx_put(put)?];
        for member in &group.members {
            items.push(self.exists_check(Self::operator_key(&group.tenant, member))?);
        }
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(()),
            TxOutcome::ConditionFailed(failed) => {
                let first = failed.iter().skip(1).position(|f| *f).unwrap_or(0);
                Err(RoutingError::UnknownOperator(group.members[first].clone()))
            }
            TxOutcome::Conflict => Err(StoreError::Contention(1).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn delete_group(&self, tenant: &TenantId, group: &GroupId) -> StoreResult<Option<Group>> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::tenant_pk(tenant),
                keys::group_sk(group),
            )))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(super::backend)?;
        out.attributes.as_ref().map(group_from).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn groups(&self, tenant: &TenantId) -> StoreResult<Vec<Group>> {
        let stored = self
            .query_prefix(keys::tenant_pk(tenant), keys::GROUP_PREFIX)
            .await?
            .iter()
            .map(group_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(with_default(tenant, stored))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %widget, group = %group))]
    async fn route_widget(
        &self,
        tenant: &TenantId,
        widget: &WidgetId,
        group: &GroupId,
        offline_email: Option<&str>,
    ) -> Result<Widget, RoutingError> {
        let mut route = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::widget_pk(widget), keys::WIDGET_SK)))
            .condition_expression("tenant = :tenant")
            .expression_attribute_names("#group", "group")
            .expression_attribute_values(":tenant", s(tenant.as_str()));
        let mut set = Vec::new();
        let mut remove = Vec::new();
        if group.is_default() {
            remove.push("#group");
        } else {
            set.push("#group = :group");
            route = route.expression_attribute_values(":group", s(group.as_str()));
        }
        match offline_email {
            Some(email) => {
                set.push("offlineEmail = :email");
                route = route.expression_attribute_values(":email", s(email));
            }
            None => remove.push("offlineEmail"),
        }
        let mut expression = String::new();
        if !set.is_empty() {
            expression.push_str(&format!("SET {} ", set.join(", ")));
        }
        if !remove.is_empty() {
            expression.push_str(&format!("REMOVE {}", remove.join(", ")));
        }
        route = route.update_expression(expression.trim_end());
        let mut items = vec![tx_update(route)?];
        if !group.is_default() {
            // A stored group always has members (validated on put), so
            // existing is enough.
            items.push(
                self.exists_check(Self::key(keys::tenant_pk(tenant), keys::group_sk(group)))?,
            );
        }
        match self.transact(items).await? {
            TxOutcome::Committed => {}
            TxOutcome::ConditionFailed(failed) if failed.first() == Some(&true) => {
                return Err(RoutingError::UnknownWidget)
            }
            TxOutcome::ConditionFailed(_) => return Err(RoutingError::UnknownGroup),
            TxOutcome::Conflict => return Err(StoreError::Contention(1).into()),
        }
        let item = self
            .get(Self::key(keys::widget_pk(widget), keys::WIDGET_SK))
            .await?
            .ok_or(RoutingError::UnknownWidget)?;
        Ok(widget_from(&item)?)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn routing(&self, tenant: &TenantId) -> StoreResult<RoutingSnapshot> {
        let items = self.tenant_partition(tenant).await?;
        let mut snapshot = RoutingSnapshot::default();
        let mut groups = Vec::new();
        let mut tenant_item = None;
        for item in &items {
            let sk = get_s(item, keys::SK)?;
            if sk == keys::TENANT_SK {
                tenant_item = Some(item);
            } else if sk.starts_with(keys::OPERATOR_PREFIX) {
                let OperatorRead {
                    operator,
                    connections,
                    connection_ids,
                } = operator_read(item)?;
                snapshot.operators.push(OperatorSnapshot {
                    operator,
                    connection_count: connections,
                    connections: connection_ids,
                });
            } else if sk.starts_with(keys::GROUP_PREFIX) {
                groups.push(group_from(item)?);
            } else if sk == keys::SLA_SK {
                snapshot.sla_rules = super::sla::rules_from(item)?;
            } else if sk.starts_with(keys::HANDLING_PREFIX) {
                snapshot.handling.push(super::sla::bucket_from(item)?);
            } else if sk.starts_with(keys::ANNOUNCED_LOAD_PREFIX) {
                snapshot.announced.push(super::sla::announced_from(item)?);
            }
        }
        snapshot.settings = settings(tenant_item)?;
        snapshot.groups = with_default(tenant, groups);
        Ok(snapshot)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn put_sla_rules(&self, tenant: &TenantId, rules: &[SlaRule]) -> StoreResult<()> {
        self.put_sla_item(tenant, rules).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, group = %group))]
    async fn announce_load(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        load: GroupLoad,
    ) -> StoreResult<()> {
        self.put_announced_load(tenant, group, load).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn auto_routed_tenants(&self) -> StoreResult<Vec<TenantId>> {
        let items = self
            .query_index(
                keys::GSI2,
                keys::GSI2PK,
                keys::AUTO_GROUPS_GSI_PK.to_string(),
                None,
            )
            .await?;
        let mut tenants = BTreeSet::new();
        for item in &items {
            if let Some(t) = opt_s(item, "tenant") {
                tenants.insert(parse(t, TenantId::parse)?);
            }
        }
        Ok(tenants.into_iter().collect())
    }
}
