//! Channel contacts, merged under the transaction.

use super::{backend, from_json, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use switchboard_app::ports::{ContactStore, StoreResult};
use switchboard_domain::{Contact, TenantId, VisitorId};

pub(super) fn load_contact(tx: &Db, tenant: &str, visitor: &str) -> StoreResult<Option<Contact>> {
    tx.query_row_cached(
        "SELECT body FROM contacts WHERE tenant = ?1 AND visitor = ?2",
        params![tenant, visitor],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)?
    .map(|b| from_json(&b))
    .transpose()
}

#[async_trait]
impl ContactStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %contact.tenant, visitor = %contact.visitor))]
    async fn save_contact(&self, contact: &Contact) -> StoreResult<Contact> {
        let contact = contact.clone();
        self.tx(move |tx| {
            let (t, v) = (contact.tenant.to_string(), contact.visitor.to_string());
            let merged = match load_contact(tx, &t, &v)? {
                Some(mut known) => {
                    known.merge(&contact);
                    known
                }
                None => contact,
            };
            tx.execute_cached(
                "INSERT INTO contacts (tenant, visitor, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tenant, visitor) DO UPDATE SET body = excluded.body",
                params![t, v, to_json(&merged)?],
            )
            .map_err(backend)?;
            Ok(merged)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn contact(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
    ) -> StoreResult<Option<Contact>> {
        let (t, v) = (tenant.to_string(), visitor.to_string());
        self.tx(move |tx| load_contact(tx, &t, &v)).await
    }
}
