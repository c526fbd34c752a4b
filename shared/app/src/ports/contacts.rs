//! People who write through messaging channels.

use super::StoreResult;
use async_trait::async_trait;
use switchboard_domain::{Contact, TenantId, VisitorId};

#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Creates the contact or merges what is new into it ([`Contact::merge`]),
    /// atomically, and returns the result. `last_inbound_at` only moves forward.
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact>;
    async fn contact(&self, tenant: &TenantId, visitor: &VisitorId)
        -> StoreResult<Option<Contact>>;
}
