//! Operator accounts (`T#{t}#ACCOUNTS` / `ACCT#{id}`, the account as a JSON
//! body) and logins (`LOGIN#{email}`: the password digest and failures).
//! An account and its login change together, in one transaction.

use super::item::{get_s, json, n, opt_n, opt_s, parse, s, to_json, Item};
use super::keys;
use super::page::Listing;
use super::{backend, is_conditional_failure, tx_put, tx_update, DynamoStore, TxOutcome};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
use switchboard_app::ports::{
    AccountStore, AccountStoreError, Login, Page, StoreError, StoreResult,
};
use switchboard_domain::{Account, Email, OidcProvider, OperatorId, TenantId, Timestamp};

/// What this port's adapter asks of DynamoDB.
pub const IAM_ACTIONS: &[&str] = &[
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
    "dynamodb:TransactWriteItems",
];
pub const USES_INDEX: bool = false;

fn account_item(a: &Account) -> StoreResult<Item> {
    let mut item = DynamoStore::key(keys::accounts_pk(&a.tenant), keys::account_sk(&a.id));
    item.insert("email".into(), s(a.email.as_str()));
    item.insert("body".into(), s(to_json(a)?));
    Ok(item)
}

fn operator_profile(store: &DynamoStore, a: &Account) -> UpdateBuilder {
    // The presence record, created offline if the operator was never seen
    // (groups name operators by it); name and roles follow the account.
    let roles = AttributeValue::L(
        a.roles
            .iter()
            .map(|r| s(super::directory::role_str(*r)))
            .collect(),
    );
    Update::builder()
        .table_name(&store.table)
        .set_key(Some(DynamoStore::operator_key(&a.tenant, &a.id)))
        .update_expression(
            "SET #name = :name, tenant = :tenant, #op = :op, #roles = :roles, \
             activeChats = if_not_exists(activeChats, :zero), \
             inVideo = if_not_exists(inVideo, :false), \
             #status = if_not_exists(#status, :offline)",
        )
        .expression_attribute_names("#name", "name")
        .expression_attribute_names("#op", "operator")
        .expression_attribute_names("#roles", "roles")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":name", s(&a.name))
        .expression_attribute_values(":tenant", s(a.tenant.as_str()))
        .expression_attribute_values(":op", s(a.id.as_str()))
        .expression_attribute_values(":roles", roles)
        .expression_attribute_values(":zero", n(0))
        .expression_attribute_values(":false", AttributeValue::Bool(false))
        .expression_attribute_values(":offline", s("offline"))
}

fn login_from(item: &Item) -> StoreResult<Login> {
    Ok(Login {
        tenant: parse(get_s(item, "tenant")?, TenantId::parse)?,
        operator: parse(get_s(item, "operator")?, OperatorId::parse)?,
        email: parse(get_s(item, "email")?, Email::parse)?,
        password_hash: opt_s(item, "passwordHash").map(str::to_string),
        failures: u32::try_from(opt_n(item, "failures")?.unwrap_or(0)).unwrap_or(u32::MAX),
        locked_until: opt_n(item, "lockedUntil")?.map(Timestamp),
    })
}

impl DynamoStore {
    pub(super) async fn account_record(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> StoreResult<Option<Account>> {
        self.get(Self::key(keys::accounts_pk(tenant), keys::account_sk(id)))
            .await?
            .map(|i| json(get_s(&i, "body")?))
            .transpose()
    }

    fn login_key(email: &Email) -> Item {
        Self::key(keys::login_pk(email.as_str()), keys::LOGIN_SK)
    }
}

#[async_trait]
impl AccountStore for DynamoStore {
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant, operator = %account.id))]
    async fn create_account(&self, account: &Account) -> Result<(), AccountStoreError> {
        let put_account = Put::builder()
            .table_name(&self.table)
            .set_item(Some(account_item(account)?))
            .condition_expression("attribute_not_exists(PK)");
        let mut login = Self::login_key(&account.email);
        login.insert("tenant".into(), s(account.tenant.as_str()));
        login.insert("operator".into(), s(account.id.as_str()));
        login.insert("email".into(), s(account.email.as_str()));
        login.insert("failures".into(), n(0));
        let put_login = Put::builder()
            .table_name(&self.table)
            .set_item(Some(login))
            .condition_expression("attribute_not_exists(PK)");
        let items = vec![
            tx_put(put_account)?,
            tx_put(put_login)?,
            tx_update(operator_profile(self, account))?,
        ];
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(()),
            TxOutcome::ConditionFailed(failed) if failed.get(1) == Some(&true) => {
                Err(AccountStoreError::DuplicateEmail)
            }
            TxOutcome::ConditionFailed(failed) if failed.first() == Some(&true) => {
                Err(AccountStoreError::DuplicateId)
            }
            TxOutcome::ConditionFailed(_) => {
                Err(StoreError::backend_says("account transaction refused").into())
            }
            TxOutcome::Conflict => Err(StoreError::Contention(1).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn accounts(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Account>> {
        let listing = Listing::Partition {
            pk: keys::accounts_pk(tenant),
            prefix: keys::ACCOUNT_PREFIX,
        };
        let (items, next) = self.query_page(listing, after, limit, false).await?;
        let items = items
            .iter()
            .map(|i| json(get_s(i, "body")?))
            .collect::<StoreResult<Vec<Account>>>()?;
        Ok(Page { items, next })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %account.tenant, operator = %account.id))]
    async fn update_account(
        &self,
        before: &Account,
        account: &Account,
    ) -> Result<(), AccountStoreError> {
        // Conditioned on the e-mail as read, so a racing change of it makes
        // this one fail rather than strand a login.
        let put_account = Put::builder()
            .table_name(&self.table)
            .set_item(Some(account_item(account)?))
            .condition_expression("attribute_exists(PK) AND email = :seen")
            .expression_attribute_values(":seen", s(before.email.as_str()));
        let mut items = vec![
            tx_put(put_account)?,
            tx_update(operator_profile(self, account))?,
        ];
        if before.email != account.email {
            let Some(old) = self.get(Self::login_key(&before.email)).await? else {
                return Err(AccountStoreError::NotFound);
            };
            let mut moved = old.clone();
            moved.extend(Self::login_key(&account.email));
            moved.insert("email".into(), s(account.email.as_str()));
            items.push(tx_put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(moved))
                    .condition_expression("attribute_not_exists(PK)"),
            )?);
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(Self::login_key(&before.email)))
                .condition_expression("failures = :failures AND #op = :op")
                .expression_attribute_names("#op", "operator")
                .expression_attribute_values(":op", s(account.id.as_str()))
                .expression_attribute_values(
                    ":failures",
                    old.get("failures").cloned().unwrap_or(n(0)),
                )
                .build()
                .map_err(super::build_err)?;
            items.push(TransactWriteItem::builder().delete(delete).build());
        }
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(()),
            TxOutcome::ConditionFailed(failed) if failed.get(2) == Some(&true) => {
                Err(AccountStoreError::DuplicateEmail)
            }
            TxOutcome::ConditionFailed(_) => Err(AccountStoreError::NotFound),
            TxOutcome::Conflict => Err(StoreError::Contention(1).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, operator = %id))]
    async fn delete_account(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> Result<Account, AccountStoreError> {
        let Some(account) = self.account_record(tenant, id).await? else {
            return Err(AccountStoreError::NotFound);
        };
        let delete_account = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::accounts_pk(tenant),
                keys::account_sk(id),
            )))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(super::build_err)?;
        let delete_login = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(Self::login_key(&account.email)))
            .build()
            .map_err(super::build_err)?;
        let idle = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(Self::operator_key(tenant, id)))
            .condition_expression("attribute_not_exists(activeChats) OR activeChats = :zero")
            .expression_attribute_values(":zero", n(0))
            .build()
            .map_err(super::build_err)?;
        let items = vec![
            TransactWriteItem::builder().delete(delete_account).build(),
            TransactWriteItem::builder().delete(delete_login).build(),
            TransactWriteItem::builder().condition_check(idle).build(),
        ];
        match self.transact(items).await? {
            TxOutcome::Committed => Ok(account),
            TxOutcome::ConditionFailed(failed) if failed.get(2) == Some(&true) => {
                Err(AccountStoreError::Busy)
            }
            TxOutcome::ConditionFailed(_) => Err(AccountStoreError::NotFound),
            TxOutcome::Conflict => Err(StoreError::Contention(1).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn login(&self, email: &Email) -> StoreResult<Option<Login>> {
        self.get(Self::login_key(email))
            .await?
            .map(|i| login_from(&i))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(operator = %operator))]
    async fn set_password(
        &self,
        email: &Email,
        operator: &OperatorId,
        password_hash: &str,
    ) -> Result<(), AccountStoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::login_key(email)))
            .update_expression("SET passwordHash = :hash, failures = :zero REMOVE lockedUntil")
            .condition_expression("#op = :op")
            .expression_attribute_names("#op", "operator")
            .expression_attribute_values(":op", s(operator.as_str()))
            .expression_attribute_values(":hash", s(password_hash))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Err(AccountStoreError::NotFound),
            Err(e) => Err(backend(e).into()),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn sign_in_failed(
        &self,
        email: &Email,
        seen: u32,
        locked_until: Option<Timestamp>,
    ) -> StoreResult<bool> {
        let update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::login_key(email)))
            .condition_expression("failures = :seen")
            .expression_attribute_values(":seen", n(seen as u64))
            .expression_attribute_values(":next", n(seen as u64 + 1));
        let update = match locked_until {
            Some(t) => update
                .update_expression("SET failures = :next, lockedUntil = :locked")
                .expression_attribute_values(":locked", n(t.millis())),
            None => update.update_expression("SET failures = :next REMOVE lockedUntil"),
        };
        match update.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_conditional_failure(&e) => Ok(false),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn sign_in_succeeded(&self, email: &Email) -> StoreResult<()> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::login_key(email)))
            .update_expression("SET failures = :zero REMOVE lockedUntil")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if is_conditional_failure(&e) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn oidc_provider(&self, tenant: &TenantId) -> StoreResult<Option<OidcProvider>> {
        self.get(Self::key(keys::accounts_pk(tenant), keys::OIDC_SK))
            .await?
            .map(|i| json(get_s(&i, "body")?))
            .transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    async fn put_oidc_provider(
        &self,
        tenant: &TenantId,
        provider: Option<&OidcProvider>,
    ) -> StoreResult<()> {
        let key = Self::key(keys::accounts_pk(tenant), keys::OIDC_SK);
        match provider {
            Some(p) => {
                let mut item = key;
                item.insert("body".into(), s(to_json(p)?));
                self.put(item).await
            }
            None => {
                self.client
                    .delete_item()
                    .table_name(&self.table)
                    .set_key(Some(key))
                    .send()
                    .await
                    .map_err(backend)?;
                Ok(())
            }
        }
    }
}
