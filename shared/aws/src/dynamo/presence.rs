//! Operators coming and going: a connection counted on the operator's item
//! (their open tabs as a set), the first bringing them online and the last
//! taking them offline, each status change logged in the same write, and
//! the operator listed in GSI2 `PRESENT` while they hold a connection.

use super::codec::OPERATOR_CONNECTIONS;
use super::directory::{operator_from, role_str};
use super::item::{n, s};
use super::keys;
use super::watchers::SetChange;
use super::{backend, is_conditional_failure, DynamoStore, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, Update};
use switchboard_app::ports::{DirectoryStore, StoreError, StoreResult};
use switchboard_domain::{
    ConnectionId, Operator, OperatorId, OperatorStatus, Role, TenantId, Timestamp,
};

impl DynamoStore {
    /// [`switchboard_app::ports::DirectoryStore::operator_connected`].
    pub(super) async fn connect_operator(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        name: &str,
        roles: &[Role],
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Operator> {
        self.operator_present(tenant, connection, SetChange::Add)
            .await?;
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, id)))
            .update_expression(
                "SET #name = :name, tenant = :tenant, #op = :op, #roles = :roles, \
                 activeChats = if_not_exists(activeChats, :zero), \
                 inVideo = if_not_exists(inVideo, :false), \
                 #status = if_not_exists(#status, :offline), \
                 lastSeenAt = :now, GSI2PK = :present, GSI2SK = :presentSk \
                 ADD connections :one, #conns :conn",
            )
            .expression_attribute_names("#conns", OPERATOR_CONNECTIONS)
            .expression_attribute_values(":conn", AttributeValue::Ss(vec![connection.to_string()]))
            .expression_attribute_names("#name", "name")
            .expression_attribute_names("#roles", "roles")
            .expression_attribute_values(
                ":roles",
                AttributeValue::L(roles.iter().map(|r| s(role_str(*r))).collect()),
            )
            .expression_attribute_names("#op", "operator")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":name", s(name))
            .expression_attribute_values(":tenant", s(tenant.as_str()))
            .expression_attribute_values(":op", s(id.as_str()))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":offline", s("offline"))
            .expression_attribute_values(":now", n(now.millis()))
            .expression_attribute_values(":present", s(keys::PRESENT_GSI_PK))
            .expression_attribute_values(":presentSk", s(keys::present_gsi_sk(tenant, id)))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(backend)?;
        let item = out
            .attributes
            .ok_or_else(|| StoreError::backend_says("update returned no attributes"))?;
        let operator = operator_from(&item)?;
        if operator.status != OperatorStatus::Offline {
            return Ok(operator);
        }
        // Coming online (new operators start offline, so this is logged too);
        // an away operator opening a second tab stays away.
        let online = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, id)))
            .update_expression("SET #status = :online")
            .condition_expression("#status = :offline")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":online", s("online"))
            .expression_attribute_values(":offline", s("offline"));
        if self
            .update_logging_status(online, tenant, id, OperatorStatus::Online, now)
            .await?
        {
            return Ok(Operator {
                status: OperatorStatus::Online,
                ..operator
            });
        }
        self.operator(tenant, id)
            .await?
            .ok_or_else(|| StoreError::backend_says("operator vanished"))
    }

    /// [`switchboard_app::ports::DirectoryStore::operator_disconnected`].
    pub(super) async fn disconnect_operator(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
        connection: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Operator>> {
        self.operator_present(tenant, connection, SetChange::Delete)
            .await?;
        let conn = AttributeValue::Ss(vec![connection.to_string()]);
        for _ in 0..MAX_ATTEMPTS {
            // Not the last connection: just count down.
            let fewer = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(Self::operator_key(tenant, id)))
                .update_expression("ADD connections :minus DELETE #conns :conn")
                .condition_expression("connections > :one")
                .expression_attribute_names("#conns", OPERATOR_CONNECTIONS)
                .expression_attribute_values(":conn", conn.clone())
                .expression_attribute_values(":minus", AttributeValue::N("-1".into()))
                .expression_attribute_values(":one", n(1))
                .return_values(ReturnValue::AllNew)
                .send()
                .await;
            match fewer {
                Ok(out) => return out.attributes.map(|i| operator_from(&i)).transpose(),
                Err(e) if is_conditional_failure(&e) => {}
                Err(e) => return Err(backend(e)),
            }
            // The last one: go offline (logged), unless a new connection
            // arrived meanwhile.
            let last = Update::builder()
                .table_name(&self.table)
                .set_key(Some(Self::operator_key(tenant, id)))
                .update_expression(
                    "SET connections = :zero, #status = :offline REMOVE GSI2PK, GSI2SK \
                     DELETE #conns :conn",
                )
                .condition_expression("attribute_exists(PK) AND connections <= :one")
                .expression_attribute_names("#conns", OPERATOR_CONNECTIONS)
                .expression_attribute_values(":conn", conn.clone())
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":offline", s("offline"));
            if self
                .update_logging_status(last, tenant, id, OperatorStatus::Offline, now)
                .await?
            {
                return self.operator(tenant, id).await;
            }
            if self.operator(tenant, id).await?.is_none() {
                return Ok(None);
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }
}
