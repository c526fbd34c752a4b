//! Who watches what, kept where a push finds it without a lookup of its own:
//! a conversation's META lists its client's and its operator's connections,
//! an operator's item their own, and the tenant's item its operators' (who
//! are shown the queue). These are string sets changed with `ADD` and
//! `DELETE`, so concurrent connects and disconnects never overwrite each
//! other. A set may still name a connection whose `$disconnect` never came;
//! a push to it answers 410 Gone and the notifier removes it
//! ([`ConnectionRegistry::forget_gone`](switchboard_app::ports::ConnectionRegistry::forget_gone)).

use super::codec::{OPERATOR_CONNECTIONS, VISITOR_CONNECTIONS};
use super::item::{s, Item};
use super::keys::{self, conversation_pk};
use super::{backend, is_conditional_failure, DynamoStore};
use aws_sdk_dynamodb::types::AttributeValue;
use switchboard_app::ports::ConversationStore;
use switchboard_app::ports::StoreResult;
use switchboard_domain::{ConnectionId, ConversationId, OperatorId, TenantId};

/// The tenant item's set of operator connections (the queue's watchers).
pub(crate) const TENANT_OPERATOR_CONNECTIONS: &str = "operatorConnections";

/// `ADD` or `DELETE` one member of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetChange {
    Add,
    Delete,
}

impl SetChange {
    fn verb(self) -> &'static str {
        match self {
            SetChange::Add => "ADD",
            SetChange::Delete => "DELETE",
        }
    }
}

impl DynamoStore {
    /// Adds or removes `connection` in the sets `names` of an existing item;
    /// an item that is gone is left alone.
    pub(crate) async fn change_sets(
        &self,
        key: Item,
        names: &[&str],
        change: SetChange,
        connection: &ConnectionId,
    ) -> StoreResult<()> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(
                ":c",
                AttributeValue::Ss(vec![connection.as_str().to_string()]),
            );
        let mut clauses = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let placeholder = format!("#s{i}");
            clauses.push(format!("{placeholder} :c"));
            update = update.expression_attribute_names(placeholder, *name);
        }
        let expression = format!("{} {}", change.verb(), clauses.join(", "));
        match update.update_expression(expression).send().await {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    pub(crate) fn meta_key(tenant: &TenantId, id: &ConversationId) -> Item {
        Self::key(conversation_pk(tenant, id), keys::META_SK)
    }

    pub(crate) fn operator_key(tenant: &TenantId, id: &OperatorId) -> Item {
        Self::key(keys::tenant_pk(tenant), keys::operator_sk(id))
    }

    pub(crate) fn tenant_key(tenant: &TenantId) -> Item {
        Self::key(keys::tenant_pk(tenant), keys::TENANT_SK)
    }

    /// A visitor's connection starts or stops watching their conversation.
    pub(crate) async fn visitor_watches(
        &self,
        tenant: &TenantId,
        conversation: &ConversationId,
        connection: &ConnectionId,
        change: SetChange,
    ) -> StoreResult<()> {
        self.change_sets(
            Self::meta_key(tenant, conversation),
            &[VISITOR_CONNECTIONS],
            change,
            connection,
        )
        .await
    }

    /// An operator's connection starts or stops watching every conversation
    /// assigned to them (GSI2, then one update each).
    pub(crate) async fn operator_watches(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
        connection: &ConnectionId,
        change: SetChange,
    ) -> StoreResult<()> {
        for assigned in self.operator_conversations(tenant, operator).await? {
            self.change_sets(
                Self::meta_key(tenant, &assigned.id),
                &[OPERATOR_CONNECTIONS],
                change,
                connection,
            )
            .await?;
        }
        Ok(())
    }

    /// An operator's connection joins or leaves their item and the tenant's
    /// queue watchers.
    pub(crate) async fn operator_present(
        &self,
        tenant: &TenantId,
        connection: &ConnectionId,
        change: SetChange,
    ) -> StoreResult<()> {
        self.change_sets(
            Self::tenant_key(tenant),
            &[TENANT_OPERATOR_CONNECTIONS],
            change,
            connection,
        )
        .await
    }

    /// The visitor's current conversation, from their pointer item.
    pub(crate) async fn current_conversation_id(
        &self,
        tenant: &TenantId,
        visitor: &switchboard_domain::VisitorId,
    ) -> StoreResult<Option<ConversationId>> {
        let Some(current) = self
            .get(Self::key(
                keys::visitor_pk(tenant, visitor),
                keys::CURRENT_SK,
            ))
            .await?
        else {
            return Ok(None);
        };
        super::item::opt_s(&current, "conversation")
            .map(|id| super::item::parse(id, |raw| ConversationId::parse(raw.to_string())))
            .transpose()
    }
}

/// The `conversation` attribute a visitor's connection item carries.
pub(crate) const CONNECTION_CONVERSATION: &str = "conversation";

pub(crate) fn conversation_attr(id: &ConversationId) -> AttributeValue {
    s(id.as_str())
}
