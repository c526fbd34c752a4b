use super::item::{get_n, get_s, json, n, s, to_json, Item};
use super::keys;
use super::{backend, DynamoStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use switchboard_app::ports::{
    Connection, ConnectionRegistry, Principal, PrincipalRef, StoreResult,
};
use switchboard_domain::{ConnectionId, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB (a person's and a tenant's connections are GSI queries). The functions' IAM
/// policies are the union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = true;

fn connection_from(item: &Item) -> StoreResult<Connection> {
    json(get_s(item, "body")?)
}

fn live(item: &Item, now: Timestamp) -> StoreResult<bool> {
    // TTL deletion lags by up to days, so expiry is checked on every read.
    Ok(get_n(item, "expiresAtMs")? > now.millis())
}

impl DynamoStore {
    async fn query_connections(
        &self,
        index: &str,
        pk_attr: &str,
        pk: String,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        let mut out = Vec::new();
        for item in self.query_index(index, pk_attr, pk, None).await? {
            if live(&item, now)? {
                out.push(connection_from(&item)?);
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl ConnectionRegistry for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn register(&self, c: &Connection) -> StoreResult<()> {
        let mut item = Self::key(keys::connection_pk(&c.id), keys::CONNECTION_SK);
        item.insert("body".into(), s(to_json(c)?));
        item.insert("tenant".into(), s(c.tenant.as_str()));
        item.insert("expiresAtMs".into(), n(c.expires_at.millis()));
        item.insert(keys::TTL.into(), n(c.expires_at.seconds()));
        item.insert(
            keys::GSI1PK.into(),
            s(keys::principal_gsi_pk(&c.tenant, &c.principal.key())),
        );
        item.insert(keys::GSI1SK.into(), s(keys::connection_gsi_sk(&c.id)));
        if matches!(c.principal, Principal::Operator { .. }) {
            item.insert(
                keys::GSI2PK.into(),
                s(keys::operator_connections_gsi_pk(&c.tenant)),
            );
            item.insert(keys::GSI2SK.into(), s(keys::connection_gsi_sk(&c.id)));
        }
        self.put(item).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(connection = %id))]
    async fn connection(
        &self,
        id: &ConnectionId,
        now: Timestamp,
    ) -> StoreResult<Option<Connection>> {
        match self
            .get(Self::key(keys::connection_pk(id), keys::CONNECTION_SK))
            .await?
        {
            Some(item) if live(&item, now)? => Ok(Some(connection_from(&item)?)),
            _ => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(connection = %id))]
    async fn remove_connection(&self, id: &ConnectionId) -> StoreResult<Option<Connection>> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::connection_pk(id),
                keys::CONNECTION_SK,
            )))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(backend)?;
        out.attributes.map(|i| connection_from(&i)).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn principal_connections(
        &self,
        tenant: &TenantId,
        principal: &PrincipalRef,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        self.query_connections(
            keys::GSI1,
            keys::GSI1PK,
            keys::principal_gsi_pk(tenant, principal),
            now,
        )
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn operator_connections(
        &self,
        tenant: &TenantId,
        now: Timestamp,
    ) -> StoreResult<Vec<Connection>> {
        self.query_connections(
            keys::GSI2,
            keys::GSI2PK,
            keys::operator_connections_gsi_pk(tenant),
            now,
        )
        .await
    }
}
