//! Hero Cards. Definitions share one partition per tenant,
//! `T#{t}#CARDS` / `CARD#{id}`, read whole to list them (a tenant has tens,
//! not thousands). A sent card is its own item, `T#{t}#CARDI#{id}` /
//! `CARDI`, with its `state` beside the body so that answering is one
//! PutItem conditioned on `state = open`.

use super::conversation_record::{from_attribute, to_attribute};
use super::item::{s, Item};
use super::keys;
use super::{backend, is_conditional_failure, DynamoStore};
use async_trait::async_trait;
use switchboard_app::ports::{CardStore, CardStoreError, StoreError, StoreResult};
use switchboard_domain::cards::{
    CardAnswer, CardDefinition, CardInstance, CardState, WhatsAppTemplate,
};
use switchboard_domain::{TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB: items by key, and one Query
/// of the tenant's definitions.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
];
/// The sweep queries GSI2 for cards past their expiry.
pub const USES_INDEX: bool = true;

fn definitions_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#CARDS")
}

fn definition_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(definitions_pk(tenant), format!("CARD#{id}"))
}

fn templates_pk(tenant: &TenantId) -> String {
    format!("T#{tenant}#WATPL")
}

fn instance_key(tenant: &TenantId, id: &str) -> Item {
    DynamoStore::key(format!("T#{tenant}#CARDI#{id}"), "CARDI")
}

fn state_of(instance: &CardInstance) -> &'static str {
    match instance.state {
        CardState::Open => "open",
        CardState::Resolved { .. } => "resolved",
        CardState::Expired { .. } => "expired",
    }
}

fn body<T: serde::de::DeserializeOwned>(item: &Item, what: &str) -> StoreResult<T> {
    from_attribute(item, "body")?.ok_or_else(|| StoreError::Corrupt(format!("{what} without body")))
}

impl DynamoStore {
    /// An open card is also listed in GSI2 `CARDDUE` by its expiry, for the
    /// sweep; answered or expired, the put that ends it unlists it.
    fn instance_item(&self, instance: &CardInstance) -> StoreResult<Item> {
        let mut item = instance_key(&instance.tenant, &instance.id);
        item.insert("body".into(), to_attribute(instance)?);
        item.insert("state".into(), s(state_of(instance)));
        if instance.is_open() {
            item.insert(keys::GSI2PK.into(), s(CARDS_DUE));
            item.insert(
                keys::GSI2SK.into(),
                s(format!(
                    "{:015}#{}#{}",
                    instance.expires_at.millis(),
                    instance.tenant,
                    instance.id
                )),
            );
        }
        Ok(item)
    }

    /// Writes `card` (ended) under the condition that it is still open.
    async fn put_if_open(&self, card: &CardInstance) -> StoreResult<bool> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(self.instance_item(card)?))
            .condition_expression("#state = :open")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":open", s("open"))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }
}

/// GSI2: open cards across tenants, by expiry.
const CARDS_DUE: &str = "CARDDUE";

#[async_trait]
impl CardStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %card.tenant))]
    async fn put_card(&self, card: &CardDefinition) -> StoreResult<()> {
        let mut item = definition_key(&card.tenant, &card.id);
        item.insert("body".into(), to_attribute(card)?);
        self.put(item).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn card(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardDefinition>> {
        self.get(definition_key(tenant, id))
            .await?
            .map(|item| body(&item, "card definition"))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_card(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<CardDefinition>> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(definition_key(tenant, id)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(backend)?;
        out.attributes
            .map(|item| body(&item, "card definition"))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn cards(&self, tenant: &TenantId) -> StoreResult<Vec<CardDefinition>> {
        let mut cards: Vec<CardDefinition> = self
            .query_prefix(definitions_pk(tenant), "CARD#")
            .await?
            .iter()
            .map(|item| body(item, "card definition"))
            .collect::<StoreResult<_>>()?;
        cards.sort_by(|a, b| {
            (a.channel, &a.language, &a.name, &a.id).cmp(&(b.channel, &b.language, &b.name, &b.id))
        });
        Ok(cards)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %instance.tenant, conversation = %instance.conversation))]
    async fn put_instance(&self, instance: &CardInstance) -> StoreResult<CardInstance> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(self.instance_item(instance)?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(instance.clone()),
            Err(e) if is_conditional_failure(&e) => self
                .instance(&instance.tenant, &instance.id)
                .await?
                .ok_or_else(|| StoreError::backend_says("card vanished after its put")),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn instance(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardInstance>> {
        self.get(instance_key(tenant, id))
            .await?
            .map(|item| body(&item, "card"))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant, conversation = %seen.conversation))]
    async fn answer_card(
        &self,
        seen: &CardInstance,
        answer: &CardAnswer,
    ) -> Result<CardInstance, CardStoreError> {
        let mut card = seen.clone();
        card.answer(answer)?;
        if self.put_if_open(&card).await? {
            return Ok(card);
        }
        // Answered or expired since it was read (an open card changes only
        // so): the card as stored says how.
        let mut winner = self
            .instance(&seen.tenant, &seen.id)
            .await?
            .ok_or(CardStoreError::NotFound)?;
        Err(winner.answer(answer).err().map_or_else(
            || StoreError::backend_says("a card changed while still open").into(),
            CardStoreError::Card,
        ))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn due_cards(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<CardInstance>> {
        let page = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI2)
            .key_condition_expression("GSI2PK = :pk AND GSI2SK < :until")
            .expression_attribute_values(":pk", s(CARDS_DUE))
            // Every key of an expiry at or before now sorts below this.
            .expression_attribute_values(":until", s(format!("{:015}$", now.millis())))
            .limit(limit.clamp(1, 1000) as i32)
            .send()
            .await
            .map_err(backend)?;
        page.items
            .unwrap_or_default()
            .iter()
            .map(|item| body(item, "card"))
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant))]
    async fn expire_card(
        &self,
        seen: &CardInstance,
        now: Timestamp,
    ) -> StoreResult<Option<CardInstance>> {
        let mut card = seen.clone();
        if !card.expire(now) {
            return Ok(None);
        }
        Ok(self.put_if_open(&card).await?.then_some(card))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %template.tenant))]
    async fn put_template(&self, template: &WhatsAppTemplate) -> StoreResult<()> {
        let mut item = DynamoStore::key(
            templates_pk(&template.tenant),
            format!("TPL#{}#{}", template.name, template.language),
        );
        item.insert("body".into(), to_attribute(template)?);
        self.put(item).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn templates(&self, tenant: &TenantId) -> StoreResult<Vec<WhatsAppTemplate>> {
        // The sort key orders them by name, then language.
        self.query_prefix(templates_pk(tenant), "TPL#")
            .await?
            .iter()
            .map(|item| body(item, "template"))
            .collect()
    }
}
