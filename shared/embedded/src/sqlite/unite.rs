//! Unite on SQLite: a merge and its undo, each one transaction that reads
//! what it checks in the same transaction that writes.

use super::lists::index_tokens;
use super::rows::{load_row, save_conversation};
use super::{backend, bodies, body, from_json, to_json, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_app::ports::{Page, StoreError, StoreResult, UniteError, UniteStore};
use switchboard_domain::workspace::unite::{ClientCard, Merge, Undone};
use switchboard_domain::{Conversation, ConversationId, TenantId, VisitorId};

fn conversation(tx: &Connection, t: &str, id: &ConversationId) -> Result<Conversation, UniteError> {
    load_row(tx, t, id.as_str())?.ok_or(UniteError::Changed)
}

fn with_identity(mut c: Conversation, card: &ClientCard) -> Conversation {
    c.entry = card.entry_of(&c.entry);
    c
}

fn info_value(tx: &Connection, t: &str, v: &str, key: &str) -> StoreResult<Option<String>> {
    tx.query_row(
        "SELECT value FROM info_values WHERE tenant = ?1 AND visitor = ?2 AND key = ?3",
        params![t, v, key],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map_err(backend)
}

fn set_info(
    tx: &Connection,
    t: &str,
    v: &str,
    key: &str,
    value: Option<String>,
) -> StoreResult<()> {
    match value {
        Some(value) => tx.execute(
            "INSERT INTO info_values (tenant, visitor, key, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (tenant, visitor, key) DO UPDATE SET value = excluded.value",
            params![t, v, key, value],
        ),
        None => tx.execute(
            "DELETE FROM info_values WHERE tenant = ?1 AND visitor = ?2 AND key = ?3",
            params![t, v, key],
        ),
    }
    .map(drop)
    .map_err(backend)
}

fn set_tag(tx: &Connection, t: &str, v: &str, tag: &str, present: bool) -> StoreResult<()> {
    let sql = if present {
        "INSERT OR IGNORE INTO client_tags (tenant, visitor, tag) VALUES (?1, ?2, ?3)"
    } else {
        "DELETE FROM client_tags WHERE tenant = ?1 AND visitor = ?2 AND tag = ?3"
    };
    tx.execute(sql, params![t, v, tag])
        .map(drop)
        .map_err(backend)
}

fn apply_merge(tx: &Connection, merge: &Merge) -> Result<(), UniteError> {
    let t = merge.tenant.as_str();
    let (a, b) = (&merge.into, &merge.from);
    let (into, from) = (
        conversation(tx, t, &a.conversation)?,
        conversation(tx, t, &b.conversation)?,
    );
    if into.client.is_some() || from.client.is_some() || from.absorbed > 0 {
        return Err(UniteError::Changed);
    }
    let taken = merge.taken();
    let (av, bv) = (a.visitor.as_str(), b.visitor.as_str());
    for (key, before, value) in &taken.info {
        let now = info_value(tx, t, av, key)?
            .map(|raw| from_json::<serde_json::Value>(&raw))
            .transpose()?;
        if now.as_ref() != before.as_ref() {
            return Err(UniteError::Changed);
        }
        set_info(tx, t, av, key, Some(to_json(value)?))?;
    }
    for tag in &taken.tags {
        set_tag(tx, t, av, tag, true)?;
    }
    tx.execute(
        "DELETE FROM client_tags WHERE tenant = ?1 AND visitor = ?2",
        params![t, bv],
    )
    .map_err(backend)?;
    tx.execute(
        "DELETE FROM info_values WHERE tenant = ?1 AND visitor = ?2",
        params![t, bv],
    )
    .map_err(backend)?;
    let result = merge.result();
    let mut into = with_identity(into, &result);
    into.absorbed += 1;
    let mut from = with_identity(from, &result);
    from.client = Some(a.visitor.clone());
    for c in [&into, &from] {
        save_conversation(tx, c)?;
        index_tokens(tx, &c.tenant, &c.id, result.search_tokens())?;
    }
    tx.execute(
        "INSERT INTO merges (tenant, id, body) VALUES (?1, ?2, ?3)",
        params![t, merge.id, to_json(merge)?],
    )
    .map_err(backend)?;
    tx.execute(
        "INSERT INTO merge_links (tenant, into_visitor, from_visitor, conversation, merge)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![t, av, bv, b.conversation.as_str(), merge.id],
    )
    .map_err(backend)?;
    Ok(())
}

fn apply_undo(
    tx: &Connection,
    tenant: &str,
    id: &str,
    undone: &Undone,
    into_identity: &ClientCard,
) -> Result<Merge, UniteError> {
    let merge: Merge = body(
        tx,
        "SELECT body FROM merges WHERE tenant = ?1 AND id = ?2",
        params![tenant, id],
    )?
    .ok_or(UniteError::NotFound)?;
    if merge.undone.is_some() {
        return Err(UniteError::AlreadyUndone);
    }
    let (a, b) = (&merge.into, &merge.from);
    let (av, bv) = (a.visitor.as_str(), b.visitor.as_str());
    let taken = merge.taken();
    for (key, before, _) in &taken.info {
        set_info(
            tx,
            tenant,
            av,
            key,
            before.as_ref().map(to_json).transpose()?,
        )?;
    }
    for tag in &taken.tags {
        set_tag(tx, tenant, av, tag, false)?;
    }
    for tag in &b.tags {
        set_tag(tx, tenant, bv, tag, true)?;
    }
    for (key, value) in &b.info {
        set_info(tx, tenant, bv, key, Some(to_json(value)?))?;
    }
    let mut into = with_identity(conversation(tx, tenant, &a.conversation)?, into_identity);
    into.absorbed = into.absorbed.saturating_sub(1);
    let mut from = with_identity(conversation(tx, tenant, &b.conversation)?, b);
    from.client = None;
    save_conversation(tx, &into)?;
    save_conversation(tx, &from)?;
    tx.execute(
        "DELETE FROM merge_links WHERE tenant = ?1 AND into_visitor = ?2 AND from_visitor = ?3",
        params![tenant, av, bv],
    )
    .map_err(backend)?;
    let after = Merge {
        undone: Some(undone.clone()),
        ..merge
    };
    tx.execute(
        "UPDATE merges SET undone = 1, body = ?3 WHERE tenant = ?1 AND id = ?2",
        params![tenant, id, to_json(&after)?],
    )
    .map_err(backend)?;
    Ok(after)
}

#[async_trait]
impl UniteStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %merge.tenant, merge = %merge.id))]
    async fn merge_contacts(&self, merge: &Merge) -> Result<(), UniteError> {
        let merge = merge.clone();
        self.tx(move |tx| apply_merge(tx, &merge)).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn merge_record(&self, tenant: &TenantId, id: &str) -> StoreResult<Option<Merge>> {
        let (t, id) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            body(
                tx,
                "SELECT body FROM merges WHERE tenant = ?1 AND id = ?2",
                params![t, id],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn merges(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Merge>> {
        let (t, after) = (tenant.to_string(), after.map(str::to_string));
        let limit = limit.clamp(1, 1000);
        let mut items: Vec<Merge> = self
            .tx(move |tx| {
                bodies(
                    tx,
                    "SELECT body FROM merges WHERE tenant = ?1 AND (?2 IS NULL OR id < ?2)
                     ORDER BY id DESC LIMIT ?3",
                    params![t, after, (limit + 1) as i64],
                )
            })
            .await?;
        let next = (items.len() > limit).then(|| {
            items.truncate(limit);
            items.last().map(|m| m.id.clone())
        });
        Ok(Page {
            items,
            next: next.flatten(),
        })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, visitor = %client))]
    async fn merged_into(
        &self,
        tenant: &TenantId,
        client: &VisitorId,
    ) -> StoreResult<Vec<(VisitorId, ConversationId)>> {
        let (t, v) = (tenant.to_string(), client.to_string());
        let rows: Vec<(String, String)> = self
            .tx(move |tx| {
                let mut stmt = tx
                    .prepare_cached(
                        "SELECT from_visitor, conversation FROM merge_links
                         WHERE tenant = ?1 AND into_visitor = ?2 ORDER BY from_visitor",
                    )
                    .map_err(backend)?;
                let rows = stmt
                    .query_map(params![t, v], |r| Ok((r.get(0)?, r.get(1)?)))
                    .map_err(backend)?;
                rows.collect::<Result<Vec<_>, _>>().map_err(backend)
            })
            .await?;
        rows.into_iter()
            .map(|(v, c)| {
                let corrupt = |e: switchboard_domain::IdError| StoreError::Corrupt(e.to_string());
                Ok((
                    VisitorId::parse(v).map_err(corrupt)?,
                    ConversationId::parse(c).map_err(corrupt)?,
                ))
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, merge = %id))]
    async fn undo_merge(
        &self,
        tenant: &TenantId,
        id: &str,
        undone: &Undone,
        into_identity: &ClientCard,
    ) -> Result<Merge, UniteError> {
        let (t, id, undone, identity) = (
            tenant.to_string(),
            id.to_string(),
            undone.clone(),
            into_identity.clone(),
        );
        self.tx(move |tx| apply_undo(tx, &t, &id, &undone, &identity))
            .await
    }
}
