//! Additional information: the fields a tenant's admins define, and each
//! contact's values, kept apart from the contact's profile so an operator's
//! edit and an inbound message never write the same item.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::workspace::{InfoField, InfoValues};
use switchboard_domain::{TenantId, VisitorId};

#[async_trait]
pub trait ContactInfoStore: Send + Sync {
    /// Creates or replaces a field definition; returns the one it replaced.
    async fn put_info_field(&self, field: &InfoField) -> StoreResult<Option<InfoField>>;
    /// Deletes a definition and returns it. Values already stored stay, and
    /// reads leave out keys no field defines.
    async fn delete_info_field(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> StoreResult<Option<InfoField>>;
    /// The tenant's fields by key.
    async fn info_fields(&self, tenant: &TenantId) -> StoreResult<Vec<InfoField>>;
    /// The contact's values, as stored (every key, defined or not).
    async fn contact_info(&self, tenant: &TenantId, visitor: &VisitorId)
        -> StoreResult<InfoValues>;
    /// Sets `set` and removes `remove` on the contact's values in one write,
    /// other keys untouched (two operators editing different fields both
    /// win); returns the values after it.
    async fn change_contact_info(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        set: &InfoValues,
        remove: &[String],
    ) -> StoreResult<InfoValues>;
}
