//! Channel contacts, merged under the transaction.

use super::{backend, from_json, to_json, Cached, Db, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
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

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %visitor))]
    async fn tag_client(
        &self,
        tenant: &TenantId,
        visitor: &VisitorId,
        tags: &[String],
        add: bool,
    ) -> StoreResult<Vec<String>> {
        let (t, v, tags) = (tenant.to_string(), visitor.to_string(), tags.to_vec());
        self.tx(move |tx| {
            for tag in &tags {
                let sql = if add {
                    "INSERT INTO client_tags (tenant, visitor, tag) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM client_tags WHERE tenant = ?1 AND visitor = ?2 AND tag = ?3"
                };
                tx.execute_cached(sql, params![t, v, tag])
                    .map_err(backend)?;
            }
            tags_of(tx, &t, &v)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn client_tags(
        &self,
        tenant: &TenantId,
        visitors: &[VisitorId],
    ) -> StoreResult<HashMap<VisitorId, Vec<String>>> {
        let (t, visitors) = (tenant.to_string(), visitors.to_vec());
        self.tx(move |tx| {
            let mut out = HashMap::new();
            for v in visitors {
                let tags = tags_of(tx, &t, v.as_str())?;
                if !tags.is_empty() {
                    out.insert(v, tags);
                }
            }
            Ok(out)
        })
        .await
    }
}

fn tags_of(tx: &Db, tenant: &str, visitor: &str) -> StoreResult<Vec<String>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT tag FROM client_tags WHERE tenant = ?1 AND visitor = ?2 ORDER BY tag",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![tenant, visitor], |r| r.get::<_, String>(0))
        .map_err(backend)?;
    rows.collect::<Result<_, _>>().map_err(backend)
}
