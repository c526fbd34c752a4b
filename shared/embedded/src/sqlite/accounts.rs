//! Operator accounts and their logins (one per e-mail address).

use super::{backend, bodies, body, to_json, widgets::page_of, Cached, SqliteStore};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use switchboard_app::ports::{
    AccountStore, AccountStoreError, Login, Page, StoreError, StoreResult,
};
use switchboard_domain::{Account, Email, OidcProvider, OperatorId, TenantId, Timestamp};

pub(super) fn load_account(
    tx: &Connection,
    tenant: &str,
    id: &str,
) -> StoreResult<Option<Account>> {
    body(
        tx,
        "SELECT body FROM accounts WHERE tenant = ?1 AND id = ?2",
        params![tenant, id],
    )
}

fn email_taken(tx: &Connection, email: &str) -> StoreResult<bool> {
    Ok(tx
        .query_row_cached("SELECT 1 FROM logins WHERE email = ?1", [email], |_| Ok(()))
        .optional()
        .map_err(backend)?
        .is_some())
}

#[async_trait]
impl AccountStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant, operator = %account.id))]
    async fn create_account(&self, account: &Account) -> Result<(), AccountStoreError> {
        let account = account.clone();
        let body = to_json(&account)?;
        let roles = to_json(&account.roles)?;
        self.tx(move |tx| {
            if email_taken(tx, account.email.as_str())? {
                return Err(AccountStoreError::DuplicateEmail);
            }
            let (t, o) = (account.tenant.as_str(), account.id.as_str());
            let id_taken = tx
                .query_row_cached(
                    "SELECT 1 FROM accounts WHERE tenant = ?1 AND id = ?2",
                    params![t, o],
                    |_| Ok(()),
                )
                .optional()
                .map_err(backend)?
                .is_some();
            if id_taken {
                return Err(AccountStoreError::DuplicateId);
            }
            tx.execute_cached(
                "INSERT INTO accounts (tenant, id, body) VALUES (?1, ?2, ?3)",
                params![t, o, body],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "INSERT INTO logins (email, tenant, operator) VALUES (?1, ?2, ?3)",
                params![account.email.as_str(), t, o],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "INSERT INTO operators (tenant, id, name, status, roles) VALUES (?1, ?2, ?3, 'offline', ?4)
                 ON CONFLICT (tenant, id) DO NOTHING",
                params![t, o, account.name, roles],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn accounts(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Account>> {
        let (t, after) = (tenant.to_string(), after.unwrap_or("").to_string());
        let rows = self
            .tx(move |tx| {
                bodies::<Account>(
                    tx,
                    "SELECT body FROM accounts WHERE tenant = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                    params![t, after, (limit + 1) as i64],
                )
            })
            .await?;
        Ok(page_of(rows, limit, |a| a.id.to_string()))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant, operator = %account.id))]
    async fn update_account(
        &self,
        seen: &Account,
        account: &Account,
    ) -> Result<(), AccountStoreError> {
        let (account, seen_email) = (account.clone(), seen.email.clone());
        let body = to_json(&account)?;
        let roles = to_json(&account.roles)?;
        self.tx(move |tx| {
            let (t, o) = (account.tenant.as_str(), account.id.as_str());
            let Some(before) = load_account(tx, t, o)?.filter(|b| b.email == seen_email) else {
                return Err(AccountStoreError::NotFound);
            };
            if before.email != account.email {
                if email_taken(tx, account.email.as_str())? {
                    return Err(AccountStoreError::DuplicateEmail);
                }
                tx.execute_cached(
                    "UPDATE logins SET email = ?2 WHERE email = ?1",
                    params![before.email.as_str(), account.email.as_str()],
                )
                .map_err(backend)?;
            }
            tx.execute_cached(
                "UPDATE accounts SET body = ?3 WHERE tenant = ?1 AND id = ?2",
                params![t, o, body],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "UPDATE operators SET name = ?3, roles = ?4 WHERE tenant = ?1 AND id = ?2",
                params![t, o, account.name, roles],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn delete_account(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> Result<Account, AccountStoreError> {
        let (t, o) = (tenant.to_string(), id.to_string());
        self.tx(move |tx| {
            let Some(account) = load_account(tx, &t, &o)? else {
                return Err(AccountStoreError::NotFound);
            };
            let active: i64 = tx
                .query_row_cached(
                    "SELECT active_chats FROM operators WHERE tenant = ?1 AND id = ?2",
                    params![t, o],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?
                .unwrap_or(0);
            if active > 0 {
                return Err(AccountStoreError::Busy);
            }
            tx.execute_cached(
                "DELETE FROM accounts WHERE tenant = ?1 AND id = ?2",
                params![t, o],
            )
            .map_err(backend)?;
            tx.execute_cached(
                "DELETE FROM logins WHERE email = ?1",
                [account.email.as_str()],
            )
            .map_err(backend)?;
            Ok(account)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn login(&self, email: &Email) -> StoreResult<Option<Login>> {
        let e = email.to_string();
        let row = self
            .tx(move |tx| {
                tx.query_row_cached(
                    "SELECT tenant, operator, password_hash, failures, locked_until
                     FROM logins WHERE email = ?1",
                    [&e],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<i64>>(4)?,
                        ))
                    },
                )
                .optional()
                .map_err(backend)
            })
            .await?;
        let Some((t, o, hash, failures, locked)) = row else {
            return Ok(None);
        };
        let corrupt = |e: switchboard_domain::ids::IdError| StoreError::Corrupt(e.to_string());
        Ok(Some(Login {
            tenant: TenantId::parse(t).map_err(corrupt)?,
            operator: OperatorId::parse(o).map_err(corrupt)?,
            email: email.clone(),
            password_hash: hash,
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
            locked_until: locked.map(|l| Timestamp(l as u64)),
        }))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(operator = %operator))]
    async fn set_password(
        &self,
        email: &Email,
        operator: &OperatorId,
        password_hash: &str,
    ) -> Result<(), AccountStoreError> {
        let (e, o, h) = (
            email.to_string(),
            operator.to_string(),
            password_hash.to_string(),
        );
        self.tx(move |tx| {
            let changed = tx
                .execute_cached(
                    "UPDATE logins SET password_hash = ?3, failures = 0, locked_until = NULL
                     WHERE email = ?1 AND operator = ?2",
                    params![e, o, h],
                )
                .map_err(backend)?;
            if changed == 0 {
                return Err(AccountStoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn sign_in_failed(
        &self,
        email: &Email,
        seen: u32,
        locked_until: Option<Timestamp>,
    ) -> StoreResult<bool> {
        let e = email.to_string();
        let locked = locked_until.map(|t| t.millis() as i64);
        self.tx(move |tx| {
            let changed = tx
                .execute_cached(
                    "UPDATE logins SET failures = ?2 + 1, locked_until = ?3
                     WHERE email = ?1 AND failures = ?2",
                    params![e, seen as i64, locked],
                )
                .map_err(backend)?;
            Ok(changed == 1)
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn sign_in_succeeded(&self, email: &Email) -> StoreResult<()> {
        let e = email.to_string();
        self.tx(move |tx| {
            tx.execute_cached(
                "UPDATE logins SET failures = 0, locked_until = NULL WHERE email = ?1",
                [&e],
            )
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn oidc_provider(&self, tenant: &TenantId) -> StoreResult<Option<OidcProvider>> {
        let t = tenant.to_string();
        self.tx(move |tx| {
            body(
                tx,
                "SELECT body FROM oidc_providers WHERE tenant = ?1",
                [&t],
            )
        })
        .await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn put_oidc_provider(
        &self,
        tenant: &TenantId,
        provider: Option<&OidcProvider>,
    ) -> StoreResult<()> {
        let t = tenant.to_string();
        let body = provider.map(to_json).transpose()?;
        self.tx(move |tx| {
            match body {
                Some(body) => tx.execute_cached(
                    "INSERT INTO oidc_providers (tenant, body) VALUES (?1, ?2)
                     ON CONFLICT (tenant) DO UPDATE SET body = excluded.body",
                    params![t, body],
                ),
                None => tx.execute_cached("DELETE FROM oidc_providers WHERE tenant = ?1", [&t]),
            }
            .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
