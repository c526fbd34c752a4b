//! What admins prepare for operators' work: text blocks per language, and
//! the additional-information fields operators fill per client.

use super::{snapshot, Admin, AdminError, MAX_PAGE};
use crate::ports::Page;
use switchboard_domain::workspace::{InfoField, TextBlock};
use switchboard_domain::Account;

impl Admin {
    pub async fn text_block_list(
        &self,
        caller: &Account,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<TextBlock>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self
            .text_blocks
            .text_blocks(&caller.tenant, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    pub async fn text_block(&self, caller: &Account, id: &str) -> Result<TextBlock, AdminError> {
        Self::require_admin(caller)?;
        self.text_blocks
            .text_block(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("text block"))
    }

    /// Creates or replaces a block. Its placeholders must be known: the
    /// contact's and operator's names, the phone, or a field of the tenant.
    pub async fn put_text_block(
        &self,
        caller: &Account,
        block: TextBlock,
    ) -> Result<TextBlock, AdminError> {
        Self::require_admin(caller)?;
        let block = TextBlock {
            tenant: caller.tenant.clone(),
            name: block.name.trim().to_string(),
            updated_at: self.clock.now(),
            ..block
        };
        let keys: Vec<String> = self
            .contact_info
            .info_fields(&caller.tenant)
            .await?
            .into_iter()
            .map(|f| f.key)
            .collect();
        block
            .validate(&keys)
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        let before = self.text_blocks.put_text_block(&block).await?;
        let action = match before {
            Some(_) => "textBlock.update",
            None => "textBlock.create",
        };
        self.audit(
            caller,
            action,
            &block.id,
            before.as_ref().and_then(snapshot),
            snapshot(&block),
        )
        .await?;
        Ok(block)
    }

    pub async fn delete_text_block(&self, caller: &Account, id: &str) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        let deleted = self
            .text_blocks
            .delete_text_block(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("text block"))?;
        self.audit(caller, "textBlock.delete", id, snapshot(&deleted), None)
            .await
    }

    pub async fn info_field_list(&self, caller: &Account) -> Result<Vec<InfoField>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.contact_info.info_fields(&caller.tenant).await?)
    }

    /// Creates or replaces a field. Values stored under an earlier
    /// definition stay as they were; the next change is checked anew.
    pub async fn put_info_field(
        &self,
        caller: &Account,
        field: InfoField,
    ) -> Result<InfoField, AdminError> {
        Self::require_admin(caller)?;
        let field = InfoField {
            tenant: caller.tenant.clone(),
            label: field.label.trim().to_string(),
            updated_at: self.clock.now(),
            ..field
        };
        field
            .validate()
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        let existing = self.contact_info.info_fields(&caller.tenant).await?;
        if existing.len() >= InfoField::MAX_FIELDS && !existing.iter().any(|f| f.key == field.key) {
            return Err(AdminError::conflict(
                "key",
                format!("a tenant has at most {} fields", InfoField::MAX_FIELDS),
            ));
        }
        let before = self.contact_info.put_info_field(&field).await?;
        let action = match before {
            Some(_) => "infoField.update",
            None => "infoField.create",
        };
        self.audit(
            caller,
            action,
            &field.key,
            before.as_ref().and_then(snapshot),
            snapshot(&field),
        )
        .await?;
        Ok(field)
    }

    /// Deletes a field. Clients' values for it are kept but no longer
    /// shown; a text block naming it flags it as unfilled when inserted.
    pub async fn delete_info_field(&self, caller: &Account, key: &str) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        let deleted = self
            .contact_info
            .delete_info_field(&caller.tenant, key)
            .await?
            .ok_or(AdminError::NotFound("field"))?;
        self.audit(caller, "infoField.delete", key, snapshot(&deleted), None)
            .await
    }
}
