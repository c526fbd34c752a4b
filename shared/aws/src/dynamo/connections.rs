use super::codec::{OPERATOR_CONNECTIONS, VISITOR_CONNECTIONS};
use super::item::{get_n, get_s, json, n, opt_s, parse, s, to_json, Item};
use super::keys;
use super::watchers::{conversation_attr, SetChange, CONNECTION_CONVERSATION};
use super::{backend, tx_put, tx_update, DynamoStore, TxOutcome};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, Update};
use switchboard_app::ports::{
    Connection, ConnectionRegistry, Principal, PrincipalRef, StoreResult, VanishedOperator,
};
use switchboard_domain::{
    ConnectionId, Conversation, ConversationId, OperatorId, TenantId, Timestamp,
};

/// What this port's adapter asks of DynamoDB (a person's and a tenant's
/// connections are GSI queries; watching a conversation updates its META, and
/// an operator's tabs are found on GSI2). The functions' IAM policies are the
/// union of these over the ports they hold.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
];
/// Whether it queries a GSI (the policy then names `${Table.Arn}/index/*`).
pub const USES_INDEX: bool = true;

fn connection_from(item: &Item) -> StoreResult<Connection> {
    let mut connection: Connection = json(get_s(item, "body")?)?;
    // Set on its own when the visitor starts a conversation after connecting.
    if let Some(id) = opt_s(item, CONNECTION_CONVERSATION) {
        connection.conversation = Some(parse(id, |raw| ConversationId::parse(raw.to_string()))?);
    }
    Ok(connection)
}

fn vanished_from(item: &Item) -> StoreResult<VanishedOperator> {
    let connections = match item.get(OPERATOR_CONNECTIONS) {
        Some(AttributeValue::Ss(ids)) => ids
            .iter()
            .map(|id| parse(id, ConnectionId::parse))
            .collect::<StoreResult<Vec<_>>>()?,
        _ => Vec::new(),
    };
    Ok(VanishedOperator {
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        operator: parse(get_s(item, "operator")?, OperatorId::parse)?,
        connections,
    })
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

    /// A visitor's connection is registered with their current conversation,
    /// and watches it from the same transaction; an operator's watches every
    /// conversation assigned to them.
    async fn register_connection(&self, c: &Connection) -> StoreResult<Connection> {
        let mut c = c.clone();
        match &c.principal {
            Principal::Visitor { id, .. } => {
                c.conversation = self.current_conversation_id(&c.tenant, id).await?;
            }
            Principal::Operator { .. } => c.conversation = None,
        }
        let item = connection_item(&c)?;
        let Some(conversation) = &c.conversation else {
            self.put(item).await?;
            if let Principal::Operator { id, .. } = &c.principal {
                self.operator_watches(&c.tenant, id, &c.id, SetChange::Add)
                    .await?;
            }
            return Ok(c);
        };
        // The record and the watch land together.
        let watch = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::meta_key(&c.tenant, conversation)))
            .update_expression("ADD #watchers :c")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#watchers", VISITOR_CONNECTIONS)
            .expression_attribute_values(":c", AttributeValue::Ss(vec![c.id.to_string()]));
        let put = Put::builder().table_name(&self.table).set_item(Some(item));
        match self.transact(vec![tx_put(put)?, tx_update(watch)?]).await? {
            TxOutcome::Committed => Ok(c),
            // The pointer names a conversation that is not there: register
            // without it rather than refuse the visitor.
            TxOutcome::ConditionFailed(_) | TxOutcome::Conflict => {
                c.conversation = None;
                self.put(connection_item(&c)?).await?;
                Ok(c)
            }
        }
    }
}

fn connection_item(c: &Connection) -> StoreResult<Item> {
    let mut item = DynamoStore::key(keys::connection_pk(&c.id), keys::CONNECTION_SK);
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
    if let Some(conversation) = &c.conversation {
        item.insert(
            CONNECTION_CONVERSATION.into(),
            conversation_attr(conversation),
        );
    }
    Ok(item)
}

#[async_trait]
impl ConnectionRegistry for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %c.tenant, connection = %c.id))]
    async fn register(&self, c: &Connection) -> StoreResult<Connection> {
        self.register_connection(c).await
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
        let Some(connection) = out.attributes.map(|i| connection_from(&i)).transpose()? else {
            return Ok(None);
        };
        match (&connection.principal, &connection.conversation) {
            (Principal::Visitor { .. }, Some(conversation)) => {
                self.visitor_watches(&connection.tenant, conversation, id, SetChange::Delete)
                    .await?
            }
            (Principal::Operator { id: operator, .. }, _) => {
                self.operator_watches(&connection.tenant, operator, id, SetChange::Delete)
                    .await?
            }
            (Principal::Visitor { .. }, None) => {}
        }
        Ok(Some(connection))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, connection = %id))]
    async fn forget_gone(
        &self,
        tenant: &TenantId,
        id: &ConnectionId,
        conversation: Option<&Conversation>,
    ) -> StoreResult<()> {
        self.operator_present(tenant, id, SetChange::Delete).await?;
        let Some(c) = conversation else {
            return Ok(());
        };
        self.change_sets(
            Self::meta_key(tenant, &c.id),
            &[VISITOR_CONNECTIONS, OPERATOR_CONNECTIONS],
            SetChange::Delete,
            id,
        )
        .await?;
        if let Some(operator) = &c.operator {
            self.change_sets(
                Self::operator_key(tenant, operator),
                &[OPERATOR_CONNECTIONS],
                SetChange::Delete,
                id,
            )
            .await?;
        }
        Ok(())
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

    #[tracing::instrument(level = "debug", skip_all)]
    async fn vanished_operators(
        &self,
        quiet_since: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<VanishedOperator>> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            // The filter spares the transfer, not the read: every present
            // operator is read once per sweep (see docs/dynamodb.md).
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI2)
                .key_condition_expression("GSI2PK = :pk")
                .filter_expression("lastSeenAt < :quiet")
                .expression_attribute_values(":pk", s(keys::PRESENT_GSI_PK))
                .expression_attribute_values(":quiet", n(quiet_since.millis()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            for item in page.items.unwrap_or_default() {
                out.push(vanished_from(&item)?);
                if out.len() >= limit {
                    return Ok(out);
                }
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(out);
            }
        }
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
