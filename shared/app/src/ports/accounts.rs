//! Operator accounts and the credentials they sign in with.

use super::{StoreError, StoreResult};
use async_trait::async_trait;
use switchboard_domain::{Account, Email, OidcProvider, OperatorId, TenantId, Timestamp};

/// What a sign-in checks: the account an e-mail belongs to, its password
/// digest (None until an invitation is accepted) and its failure count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub tenant: TenantId,
    pub operator: OperatorId,
    pub email: Email,
    /// A PHC string (`$argon2id$…`).
    pub password_hash: Option<String>,
    /// Consecutive failed sign-ins since the last success.
    pub failures: u32,
    pub locked_until: Option<Timestamp>,
}

/// One page of a listing, and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque to callers: hand it back to get the next page. None: the last page.
    pub next: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountStoreError {
    #[error("another account has this e-mail address")]
    DuplicateEmail,
    #[error("the tenant already has an account with this id")]
    DuplicateId,
    #[error("no such account")]
    NotFound,
    #[error("the operator still has open conversations")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Accounts, by tenant and by e-mail. An e-mail address belongs to one
/// account in the whole deployment, so sign-in needs nothing but it.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates the account, its login (no password yet) and, if the operator
    /// was never seen, their offline operator record (so groups can name
    /// them at once), all or nothing.
    ///
    /// # Errors
    /// `DuplicateEmail` if the address is taken; nothing is written then.
    async fn create_account(&self, account: &Account) -> Result<(), AccountStoreError>;
    /// The tenant's accounts by id, `limit` at a time from `after` (a
    /// page's `next`).
    async fn accounts(
        &self,
        tenant: &TenantId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Page<Account>>;
    /// Replaces name, e-mail, roles and enabled of the account as `before`
    /// (the caller's read), conditioned on its e-mail being still
    /// `before`'s. A new e-mail moves the login (password and failures with
    /// it) in the same write.
    ///
    /// # Errors
    /// `NotFound` (also when the e-mail changed meanwhile), `DuplicateEmail`;
    /// nothing is written then.
    async fn update_account(
        &self,
        before: &Account,
        after: &Account,
    ) -> Result<(), AccountStoreError>;
    /// Deletes the account and its login; the operator record stays for the
    /// history that names them.
    ///
    /// # Errors
    /// `NotFound`; `Busy` while conversations are assigned to them.
    async fn delete_account(
        &self,
        tenant: &TenantId,
        id: &OperatorId,
    ) -> Result<Account, AccountStoreError>;

    async fn login(&self, email: &Email) -> StoreResult<Option<Login>>;
    /// Sets the password digest and clears failures and any lock.
    ///
    /// # Errors
    /// `NotFound` if the e-mail has no login (or it is another account's).
    async fn set_password(
        &self,
        email: &Email,
        operator: &OperatorId,
        password_hash: &str,
    ) -> Result<(), AccountStoreError>;
    /// Records one more failure, only if the count is still `seen` (so two
    /// racing failures both count); false if it moved, and the caller reads
    /// again.
    async fn sign_in_failed(
        &self,
        email: &Email,
        seen: u32,
        locked_until: Option<Timestamp>,
    ) -> StoreResult<bool>;
    /// A correct password: failures back to zero.
    async fn sign_in_succeeded(&self, email: &Email) -> StoreResult<()>;

    /// The tenant's identity provider, if it signs in with one.
    async fn oidc_provider(&self, tenant: &TenantId) -> StoreResult<Option<OidcProvider>>;
    /// Sets (or with None removes) the tenant's identity provider.
    async fn put_oidc_provider(
        &self,
        tenant: &TenantId,
        provider: Option<&OidcProvider>,
    ) -> StoreResult<()>;
}
