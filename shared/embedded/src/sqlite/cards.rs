//! Hero Cards: definitions and sent cards, each a JSON body; a sent card's
//! `state` column is what an answer is conditioned on.

use super::{backend, from_json, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{CardStore, CardStoreError, StoreResult};
use switchboard_domain::cards::{
    CardAnswer, CardDefinition, CardInstance, CardState, WhatsAppTemplate,
};
use switchboard_domain::{TenantId, Timestamp};

fn state_of(instance: &CardInstance) -> &'static str {
    match instance.state {
        CardState::Open => "open",
        CardState::Resolved { .. } => "resolved",
        CardState::Expired { .. } => "expired",
    }
}

fn load_instance(tx: &Db, tenant: &str, id: &str) -> StoreResult<Option<CardInstance>> {
    tx.query_row_cached(
        "SELECT body FROM card_instances WHERE tenant = ?1 AND id = ?2",
        params![tenant, id],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

#[async_trait]
impl CardStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %card.tenant))]
    async fn put_card(&self, card: &CardDefinition) -> StoreResult<()> {
        let (t, id, body) = (card.tenant.to_string(), card.id.clone(), to_json(card)?);
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO card_definitions (tenant, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, id) DO UPDATE SET body = excluded.body",
                params![t, id, body],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn delete_card(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> StoreResult<Option<CardDefinition>> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            super::body(
                tx,
                "DELETE FROM card_definitions WHERE tenant = ?1 AND id = ?2 RETURNING body",
                params![t, id],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn card(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardDefinition>> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            tx.query_row_cached(
                "SELECT body FROM card_definitions WHERE tenant = ?1 AND id = ?2",
                params![t, id],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(backend)?
            .map(|b| from_json(&b))
            .transpose()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn cards(&self, tenant: &TenantId) -> StoreResult<Vec<CardDefinition>> {
        let t = tenant.to_string();
        let mut cards: Vec<CardDefinition> = self
            .tx(move |tx| {
                let mut stmt = tx
                    .prepare_cached("SELECT body FROM card_definitions WHERE tenant = ?1")
                    .map_err(backend)?;
                let rows = stmt
                    .query_map(params![t], |r| r.get::<_, String>(0))
                    .map_err(backend)?;
                rows.map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
                    .collect()
            })
            .await?;
        cards.sort_by(|a, b| {
            (a.channel, &a.language, &a.name, &a.id).cmp(&(b.channel, &b.language, &b.name, &b.id))
        });
        Ok(cards)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %instance.tenant, conversation = %instance.conversation))]
    async fn put_instance(&self, instance: &CardInstance) -> StoreResult<CardInstance> {
        let instance = instance.clone();
        self.tx(move |tx| {
            let t = instance.tenant.to_string();
            if let Some(stored) = load_instance(tx, &t, &instance.id)? {
                return Ok(stored);
            }
            tx.execute_cached(
                "INSERT INTO card_instances (tenant, id, state, body) VALUES (?1, ?2, ?3, ?4)",
                params![t, instance.id, state_of(&instance), to_json(&instance)?],
            )
            .map_err(backend)?;
            Ok(instance)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn instance(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<CardInstance>> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| load_instance(tx, &t, &id)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant, conversation = %seen.conversation))]
    async fn answer_card(
        &self,
        seen: &CardInstance,
        answer: &CardAnswer,
    ) -> Result<CardInstance, CardStoreError> {
        // The transaction reads the card afresh: what it holds is what the
        // answer is decided on, so `seen` only names it.
        let (t, id, answer) = (seen.tenant.to_string(), seen.id.clone(), answer.clone());
        self.tx(move |tx| {
            let mut card = load_instance(tx, &t, &id)?.ok_or(CardStoreError::NotFound)?;
            card.answer(&answer)?;
            tx.execute_cached(
                "UPDATE card_instances SET state = ?3, body = ?4 WHERE tenant = ?1 AND id = ?2 AND state = 'open'",
                params![t, id, state_of(&card), to_json(&card)?],
            )
            .map_err(backend)?;
            Ok(card)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn due_cards(&self, now: Timestamp, limit: usize) -> StoreResult<Vec<CardInstance>> {
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM card_instances
                     WHERE state = 'open' AND json_extract(body, '$.expiresAt') <= ?1
                     ORDER BY json_extract(body, '$.expiresAt') LIMIT ?2",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![now.millis() as i64, limit as i64], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(backend)?;
            rows.map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
                .collect()
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %seen.tenant))]
    async fn expire_card(
        &self,
        seen: &CardInstance,
        now: Timestamp,
    ) -> StoreResult<Option<CardInstance>> {
        let (t, id) = (seen.tenant.to_string(), seen.id.clone());
        self.tx(move |tx| {
            let Some(mut card) = load_instance(tx, &t, &id)? else {
                return Ok(None);
            };
            if !card.expire(now) {
                return Ok(None);
            }
            tx.execute_cached(
                "UPDATE card_instances SET state = ?3, body = ?4 WHERE tenant = ?1 AND id = ?2 AND state = 'open'",
                params![t, id, state_of(&card), to_json(&card)?],
            )
            .map_err(backend)?;
            Ok(Some(card))
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %template.tenant))]
    async fn put_template(&self, template: &WhatsAppTemplate) -> StoreResult<()> {
        let (t, name, language, body) = (
            template.tenant.to_string(),
            template.name.clone(),
            template.language.clone(),
            to_json(template)?,
        );
        self.tx(move |tx| {
            tx.execute_cached(
                "INSERT INTO whatsapp_templates (tenant, name, language, body) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant, name, language) DO UPDATE SET body = excluded.body",
                params![t, name, language, body],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn templates(&self, tenant: &TenantId) -> StoreResult<Vec<WhatsAppTemplate>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT body FROM whatsapp_templates WHERE tenant = ?1 ORDER BY name, language",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![t], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| r.map_err(backend).and_then(|b| from_json(&b)))
                .collect()
        })
        .await
    }
}
