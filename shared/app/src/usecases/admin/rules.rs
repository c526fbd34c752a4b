//! What shapes conversations once they arrive: SLA rules, Hero Card
//! definitions, and the WhatsApp templates synced from Meta.

use super::{snapshot, Admin, AdminError};
use switchboard_domain::cards::{CardDefinition, WhatsAppTemplate};
use switchboard_domain::{Account, SlaRule};

impl Admin {
    pub async fn sla_rules(&self, caller: &Account) -> Result<Vec<SlaRule>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.routing.routing(&caller.tenant).await?.sla_rules)
    }

    /// Replaces the tenant's SLA rules; conversations entering a queue from
    /// now on are ordered by them.
    pub async fn put_sla_rules(
        &self,
        caller: &Account,
        mut rules: Vec<SlaRule>,
    ) -> Result<Vec<SlaRule>, AdminError> {
        let before = self.sla_rules(caller).await?;
        for rule in &mut rules {
            rule.name = rule.name.trim().to_string();
        }
        switchboard_domain::sla::validate(&rules)
            .map_err(|e| AdminError::invalid(e.field.clone(), e.reason))?;
        self.routing.put_sla_rules(&caller.tenant, &rules).await?;
        self.audit(
            caller,
            "sla.update",
            "sla",
            snapshot(&before),
            snapshot(&rules),
        )
        .await?;
        Ok(rules)
    }

    pub async fn card_list(&self, caller: &Account) -> Result<Vec<CardDefinition>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.cards.cards(&caller.tenant).await?)
    }

    pub async fn card(&self, caller: &Account, id: &str) -> Result<CardDefinition, AdminError> {
        Self::require_admin(caller)?;
        self.cards
            .card(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("card"))
    }

    /// Creates or replaces a card definition (cards already sent keep theirs).
    pub async fn put_card(
        &self,
        caller: &Account,
        card: CardDefinition,
    ) -> Result<CardDefinition, AdminError> {
        Self::require_admin(caller)?;
        let card = CardDefinition {
            tenant: caller.tenant.clone(),
            updated_at: self.clock.now(),
            ..card
        };
        let id_ok = !card.id.is_empty()
            && card.id.len() <= 64
            && card
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !id_ok {
            return Err(AdminError::invalid(
                "id",
                "1 to 64 of letters, digits, '-', '_', '.'",
            ));
        }
        card.validate()
            .map_err(|e| AdminError::invalid(e.field.clone(), e.reason))?;
        let before = self.cards.card(&caller.tenant, &card.id).await?;
        self.cards.put_card(&card).await?;
        let action = if before.is_some() {
            "card.update"
        } else {
            "card.create"
        };
        self.audit(
            caller,
            action,
            &card.id,
            before.as_ref().and_then(snapshot),
            snapshot(&card),
        )
        .await?;
        Ok(card)
    }

    /// Deletes a card definition; cards already sent keep their own copy
    /// and can still be answered.
    pub async fn delete_card(&self, caller: &Account, id: &str) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        let Some(before) = self.cards.delete_card(&caller.tenant, id).await? else {
            return Err(AdminError::NotFound("card"));
        };
        self.audit(caller, "card.delete", id, snapshot(&before), None)
            .await
    }

    pub async fn template_list(
        &self,
        caller: &Account,
    ) -> Result<Vec<WhatsAppTemplate>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.cards.templates(&caller.tenant).await?)
    }

    /// Reads the approved templates of the tenant's WhatsApp accounts from
    /// Meta and stores them (what `template.send` offers).
    pub async fn sync_templates(
        &self,
        caller: &Account,
    ) -> Result<Vec<WhatsAppTemplate>, AdminError> {
        Self::require_admin(caller)?;
        let synced = self
            .templates
            .sync(self.cards.as_ref(), &caller.tenant, self.clock.now())
            .await
            .map_err(|e| match e {
                crate::usecases::cards::TemplateSyncError::Store(e) => AdminError::Store(e),
                crate::usecases::cards::TemplateSyncError::Unavailable => {
                    AdminError::Unavailable("Meta's Graph API could not be read; try again")
                }
            })?;
        self.audit(
            caller,
            "templates.sync",
            "whatsapp",
            None,
            Some(serde_json::json!({"templates": synced.len()})),
        )
        .await?;
        Ok(synced)
    }
}
