//! People who write through messaging channels.

use super::StoreResult;
use async_trait::async_trait;
use std::collections::HashMap;
use switchboard_domain::{Contact, TenantId, VisitorId};

#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Creates the contact or merges what is new into it ([`Contact::merge`]),
    /// atomically, and returns the result. `last_inbound_at` only moves forward.
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact>;
    async fn contact(&self, tenant: &TenantId, visitor: &VisitorId)
        -> StoreResult<Option<Contact>>;
    /// Adds (or with `add` false, removes) tags on a client, in one write;
    /// answers the tags they carry now, sorted. Tags are normalized
    /// ([`switchboard_domain::normalize_tag`]) by the caller.
    async fn tag_client(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        tags: &[String],
        add: bool,
    ) -> StoreResult<Vec<String>>;
    /// The tags of each client asked for, sorted (none: not in the map).
    async fn client_tags(
        &self,
        tenant: &TenantId,
        visitors: &[VisitorId],
    ) -> StoreResult<HashMap<VisitorId, Vec<String>>>;
}
