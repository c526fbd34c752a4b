use super::item::{get_bool, get_n, get_s, n, opt_n, opt_s, parse, s, Item};
use super::keys::{self, tenant_pk};
use super::{backend, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, Update};
use switchboard_app::ports::{DirectoryStore, StoreError, StoreResult};
use switchboard_domain::{
    Capacity, ConnectionId, GroupId, Operator, OperatorId, OperatorStatus, Role, StatusChange,
    Tenant, TenantId, TenantSettings, Timestamp, Widget, WidgetEntry, WidgetId,
};

/// What this port's adapter asks of DynamoDB (tenants, widgets and operators are read by key, written by key). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = false;

pub(super) fn tenant_from(item: &Item) -> StoreResult<Tenant> {
    let max =
        u32::try_from(get_n(item, "maxChats")?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Tenant {
        id: parse(get_s(item, "tenant")?, TenantId::parse)?,
        name: get_s(item, "name")?.to_string(),
        timezone: opt_s(item, "timezone").map(str::to_string),
        settings: TenantSettings {
            max_chats: Capacity::new(max).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            transfer_timeout_seconds: opt_n(item, "transferTimeout")?
                .map(|t| u32::try_from(t).map_err(|e| StoreError::Corrupt(e.to_string())))
                .transpose()?
                .unwrap_or(TenantSettings::DEFAULT_TRANSFER_TIMEOUT_SECONDS),
        },
    })
}

pub(super) fn operator_from(item: &Item) -> StoreResult<Operator> {
    let status = get_s(item, "status")?;
    Ok(Operator {
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        id: parse(get_s(item, "operator")?, OperatorId::parse)?,
        name: get_s(item, "name")?.to_string(),
        status: OperatorStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("operator status {status:?}")))?,
        active_chats: u32::try_from(opt_n(item, "activeChats")?.unwrap_or(0))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        in_video_call: get_bool(item, "inVideo"),
        last_assigned_at: opt_n(item, "lastAssignedAt")?.map(Timestamp),
        last_seen_at: opt_n(item, "lastSeenAt")?.map(Timestamp),
        roles: match item.get("roles") {
            Some(AttributeValue::L(list)) => list
                .iter()
                .filter_map(|v| v.as_s().ok().and_then(|r| role_from(r)))
                .collect(),
            _ => Vec::new(),
        },
    })
}

pub(super) fn role_str(role: Role) -> &'static str {
    match role {
        Role::Operator => "operator",
        Role::Admin => "admin",
    }
}

fn role_from(raw: &str) -> Option<Role> {
    match raw {
        "operator" => Some(Role::Operator),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

pub(super) fn widget_from(item: &Item) -> StoreResult<Widget> {
    Ok(Widget {
        id: parse(get_s(item, "widget")?, WidgetId::parse)?,
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        name: get_s(item, "name")?.to_string(),
        group: opt_s(item, "group")
            .map(|g| parse(g, GroupId::parse))
            .transpose()?,
        offline_email: opt_s(item, "offlineEmail").map(str::to_string),
        allowed_origins: match item.get("allowedOrigins") {
            Some(AttributeValue::L(list)) => {
                list.iter().filter_map(|v| v.as_s().ok().cloned()).collect()
            }
            _ => Vec::new(),
        },
        entries: match item.get("entries") {
            Some(AttributeValue::L(list)) => list
                .iter()
                .map(|v| {
                    v.as_s()
                        .ok()
                        .and_then(|raw| WidgetEntry::parse(raw))
                        .ok_or_else(|| StoreError::Corrupt("widget entry".into()))
                })
                .collect::<StoreResult<_>>()?,
            _ => WidgetEntry::all(),
        },
    })
}

#[async_trait]
impl DirectoryStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn put_tenant(&self, tenant: &Tenant) -> StoreResult<()> {
        // An update, not a put: the item also lists who watches the queue.
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::tenant_key(&tenant.id)))
            .update_expression(match &tenant.timezone {
                Some(_) => "SET tenant = :tenant, #name = :name, maxChats = :max, transferTimeout = :transfer, #tz = :tz",
                None => "SET tenant = :tenant, #name = :name, maxChats = :max, transferTimeout = :transfer REMOVE #tz",
            })
            .set_expression_attribute_values(tenant.timezone.as_ref().map(|tz| {
                std::collections::HashMap::from([(":tz".to_string(), s(tz))])
            }))
            .expression_attribute_values(
                ":transfer",
                n(tenant.settings.transfer_timeout_seconds as u64),
            )
            .expression_attribute_names("#name", "name")
            .expression_attribute_names("#tz", "timezone")
            .expression_attribute_values(":tenant", s(tenant.id.as_str()))
            .expression_attribute_values(":name", s(&tenant.name))
            .expression_attribute_values(":max", n(tenant.settings.max_chats.get() as u64))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %id))]
    async fn tenant(&self, id: &TenantId) -> StoreResult<Option<Tenant>> {
        self.get(Self::key(tenant_pk(id), keys::TENANT_SK))
            .await?
            .map(|i| tenant_from(&i))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %id))]
    async fn set_tenant_settings(
        &self,
        id: &TenantId,
        settings: &TenantSettings,
    ) -> StoreResult<Option<Tenant>> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(tenant_pk(id), keys::TENANT_SK)))
            .update_expression("SET maxChats = :max, transferTimeout = :transfer")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":max", n(settings.max_chats.get() as u64))
            .expression_attribute_values(":transfer", n(settings.transfer_timeout_seconds as u64))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result {
            Ok(out) => out.attributes.map(|i| tenant_from(&i)).transpose(),
            Err(e) if is_conditional_failure(&e) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(widget = %widget.id))]
    async fn put_widget(&self, widget: &Widget) -> StoreResult<()> {
        self.put(super::widgets::widget_item(widget)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(widget = %id))]
    async fn widget(&self, id: &WidgetId) -> StoreResult<Option<Widget>> {
        let Some(item) = self
            .get(Self::key(keys::widget_pk(id), keys::WIDGET_SK))
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(widget_from(&item)?))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, widget = %id))]
    async fn set_widget_origins(
        &self,
        tenant: &TenantId,
        id: &WidgetId,
        origins: &[String],
    ) -> StoreResult<Option<Widget>> {
        let update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::widget_pk(id), keys::WIDGET_SK)))
            .condition_expression("tenant = :tenant")
            .expression_attribute_values(":tenant", s(tenant.as_str()))
            .return_values(ReturnValue::AllNew);
        let update = if origins.is_empty() {
            update.update_expression("REMOVE allowedOrigins")
        } else {
            update
                .update_expression("SET allowedOrigins = :origins")
                .expression_attribute_values(
                    ":origins",
                    AttributeValue::L(origins.iter().map(s).collect()),
                )
        };
        match update.send().await {
            Ok(out) => out.attributes.map(|i| widget_from(&i)).transpose(),
            Err(e) if is_conditional_failure(&e) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator(&self, tenant: &TenantId, id: &OperatorId) -> StoreResult<Option<Operator>> {
        self.get(Self::operator_key(tenant, id))
            .await?
            .map(|i| operator_from(&i))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn account(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Option<switchboard_domain::Account>> {
        self.account_record(tenant, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_connected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
        roles: &[Role],
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Operator> {
        self.connect_operator(tenant, id, name, roles, connection, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_seen(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        now: Timestamp,
    ) -> StoreResult<()> {
        // Never moves back: a late ping from a slow tab leaves a newer one.
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, id)))
            .update_expression("SET lastSeenAt = :now")
            .condition_expression(
                "attribute_exists(PK) AND (attribute_not_exists(lastSeenAt) OR lastSeenAt < :now)",
            )
            .expression_attribute_values(":now", n(now.millis()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn operator_disconnected(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>> {
        self.disconnect_operator(tenant, id, connection, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn set_operator_status(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        status: OperatorStatus,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>> {
        // Only a change is written (and logged); the same status again is none.
        let change = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, id)))
            .update_expression("SET #status = :status")
            .condition_expression("attribute_exists(PK) AND #status <> :status")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":status", s(status.as_str()));
        self.update_logging_status(change, tenant, id, status, now)
            .await?;
        self.operator(tenant, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn status_log(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Vec<StatusChange>> {
        self.read_status_log(tenant, id).await
    }
}
