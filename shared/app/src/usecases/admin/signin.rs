//! Operator sign-in: e-mail and password or the tenant's identity provider,
//! short-lived access tokens with rotating refresh tokens, and sign-out.
//! Every secret handed out is random and stored only as a digest; the
//! one-time links of invitations and resets are in `links.rs`.

use super::error::AdminError;
use super::passwords::Passwords;
use crate::adapters::Adapters;
use crate::auth::TokenService;
use crate::digest::{hex_prefix, sha256};
use crate::ports::{AccountStore, Clock, DirectoryStore, IdGen, Mailer, Rotation, SessionStore};
use base64::Engine;
use std::sync::Arc;
use switchboard_domain::{Account, Email, Lockout, Timestamp};

/// An access token lives this long; a disabled operator's open sockets are
/// closed at once, and the API checks the account on every request.
pub const ACCESS_TOKEN_SECONDS: u64 = 15 * 60;
/// A refresh token not used for this long expires; each use rotates it.
pub const REFRESH_TOKEN_SECONDS: u64 = 30 * 24 * 3600;

/// What a sign-in or a refresh hands the console.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
    pub account: Account,
}

/// Where an operator signs in with their tenant's identity provider.
#[derive(Debug, Clone)]
pub struct OidcStart {
    pub issuer: String,
    pub client_id: String,
    pub authorization_endpoint: String,
}

/// The sign-in use cases and the ports they use: accounts, sessions, mail.
#[derive(Clone)]
pub struct SignIn {
    pub accounts: Arc<dyn AccountStore>,
    /// Accounts as tokens are checked against them.
    pub directory: Arc<dyn DirectoryStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub tokens: TokenService,
    pub passwords: Passwords,
    pub lockout: Lockout,
    /// Where the console's pages are: links in mails point there.
    pub console_url: String,
    /// ID tokens of tenants that sign in with their own provider.
    pub oidc: Arc<super::oidc::OidcVerifier>,
}

/// A random secret (256 bits, URL-safe) and the digest it is stored under.
pub(crate) fn new_secret() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let digest = secret_digest(&secret);
    (secret, digest)
}

pub(crate) fn secret_digest(secret: &str) -> String {
    hex_prefix(&sha256(secret.as_bytes()), 32)
}

impl SignIn {
    pub fn build(
        adapters: &dyn Adapters,
        tokens: TokenService,
        passwords: Passwords,
        console_url: String,
        http: Arc<dyn crate::ports::HttpTransport>,
    ) -> Self {
        SignIn {
            oidc: Arc::new(super::oidc::OidcVerifier::new(http)),
            accounts: adapters.accounts(),
            directory: adapters.directory(),
            sessions: adapters.sessions(),
            mailer: adapters.mailer(),
            clock: adapters.clock(),
            ids: adapters.ids(),
            tokens,
            passwords,
            lockout: Lockout::default(),
            console_url,
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, AdminError> {
        let email = Email::parse(email).map_err(|e| AdminError::invalid("email", e))?;
        let now = self.clock.now();
        let Some(mut login) = self.accounts.login(&email).await? else {
            self.passwords.verify(password, None);
            return Err(AdminError::BadCredentials);
        };
        if login.locked_until.is_some_and(|until| until > now) {
            return Err(AdminError::BadCredentials);
        }
        if !self
            .passwords
            .verify(password, login.password_hash.as_deref())
        {
            // Counted in a write conditioned on the count as read, so racing
            // guesses each count.
            for _ in 0..8 {
                let locked = self.lockout.locked_until(login.failures + 1, now);
                if self
                    .accounts
                    .sign_in_failed(&email, login.failures, locked)
                    .await?
                {
                    break;
                }
                match self.accounts.login(&email).await? {
                    Some(again) => login = again,
                    None => break,
                }
            }
            return Err(AdminError::BadCredentials);
        }
        let account = match self
            .directory
            .account(&login.tenant, &login.operator)
            .await?
        {
            Some(a) if a.enabled => a,
            _ => return Err(AdminError::BadCredentials),
        };
        if login.failures > 0 {
            self.accounts.sign_in_succeeded(&email).await?;
        }
        tracing::info!(tenant = %account.tenant, operator = %account.id, "signed in");
        self.start(account, now).await
    }

    /// Signs in with an ID token from the tenant's own identity provider:
    /// its verified e-mail must be an enabled account of that tenant.
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    pub async fn sign_in_oidc(&self, tenant: &str, id_token: &str) -> Result<SignedIn, AdminError> {
        let tenant = switchboard_domain::TenantId::parse(tenant)
            .map_err(|e| AdminError::invalid("tenant", e))?;
        let Some(provider) = self.accounts.oidc_provider(&tenant).await? else {
            return Err(AdminError::invalid(
                "tenant",
                "this tenant does not sign in with an identity provider",
            ));
        };
        let email = self.oidc.verify(&provider, id_token).await.map_err(|e| {
            tracing::warn!(error = %e, "ID token refused");
            AdminError::Unauthenticated("the ID token is not valid for this tenant")
        })?;
        let login = self
            .accounts
            .login(&email)
            .await?
            .filter(|l| l.tenant == tenant)
            .ok_or(AdminError::BadCredentials)?;
        let account = match self
            .directory
            .account(&login.tenant, &login.operator)
            .await?
        {
            Some(a) if a.enabled => a,
            _ => return Err(AdminError::BadCredentials),
        };
        tracing::info!(operator = %account.id, "signed in with the tenant's identity provider");
        self.start(account, self.clock.now()).await
    }

    /// What the console needs to send an operator of `tenant` to its
    /// identity provider: the provider, our client id there and where to go.
    #[tracing::instrument(skip_all, fields(tenant = %tenant))]
    pub async fn oidc_start(&self, tenant: &str) -> Result<OidcStart, AdminError> {
        let tenant = switchboard_domain::TenantId::parse(tenant)
            .map_err(|e| AdminError::invalid("tenant", e))?;
        let Some(provider) = self.accounts.oidc_provider(&tenant).await? else {
            return Err(AdminError::NotFound("identity provider"));
        };
        let authorization_endpoint =
            self.oidc
                .authorization_endpoint(&provider)
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "the provider's discovery failed");
                    AdminError::Unavailable(
                        "the identity provider's discovery document could not be read",
                    )
                })?;
        Ok(OidcStart {
            issuer: provider.issuer,
            client_id: provider.client_id,
            authorization_endpoint,
        })
    }

    pub(super) async fn start(
        &self,
        account: Account,
        now: Timestamp,
    ) -> Result<SignedIn, AdminError> {
        let (refresh, digest) = new_secret();
        let grant = crate::ports::Grant {
            tenant: account.tenant.clone(),
            operator: account.id.clone(),
            family: self.ids.new_id("fam"),
            expires_at: now.plus_seconds(REFRESH_TOKEN_SECONDS),
        };
        self.sessions.start_session(&digest, &grant).await?;
        self.signed_in(account, refresh, now)
    }

    fn signed_in(
        &self,
        account: Account,
        refresh_token: String,
        now: Timestamp,
    ) -> Result<SignedIn, AdminError> {
        let access_token = self
            .tokens
            .issue_signed_in(&account, now.plus_seconds(ACCESS_TOKEN_SECONDS))?;
        Ok(SignedIn {
            access_token,
            refresh_token,
            expires_in: ACCESS_TOKEN_SECONDS,
            account,
        })
    }

    /// Spends a refresh token for a new pair. A token spent before ends its
    /// whole family: whoever holds the other copy is signed out too.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> Result<SignedIn, AdminError> {
        const AGAIN: &str = "the refresh token is not valid; sign in again";
        let now = self.clock.now();
        let (next, next_digest) = new_secret();
        let rotation = self
            .sessions
            .rotate(
                &secret_digest(refresh_token),
                &next_digest,
                now.plus_seconds(REFRESH_TOKEN_SECONDS),
                now,
            )
            .await?;
        let grant = match rotation {
            Rotation::Rotated(grant) => grant,
            Rotation::Reused(grant) => {
                tracing::warn!(tenant = %grant.tenant, operator = %grant.operator,
                    "a spent refresh token was presented; its family is ended");
                return Err(AdminError::Unauthenticated(AGAIN));
            }
            Rotation::Unknown => return Err(AdminError::Unauthenticated(AGAIN)),
        };
        match self
            .directory
            .account(&grant.tenant, &grant.operator)
            .await?
        {
            Some(account) if account.enabled => self.signed_in(account, next, now),
            _ => {
                self.sessions.end_session(&next_digest).await?;
                Err(AdminError::Unauthenticated(AGAIN))
            }
        }
    }

    /// Ends the refresh token's family. Unknown tokens are no error: the
    /// console signs out either way.
    #[tracing::instrument(skip_all)]
    pub async fn sign_out(&self, refresh_token: &str) -> Result<(), AdminError> {
        self.sessions
            .end_session(&secret_digest(refresh_token))
            .await?;
        Ok(())
    }

    /// The account a bearer access token belongs to, as it is now.
    pub async fn authenticate(&self, bearer: Option<&str>) -> Result<Account, AdminError> {
        let token = bearer
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AdminError::Unauthenticated("an access token is required"))?;
        let claims = self
            .tokens
            .verify_operator(token, self.clock.now())
            .map_err(|_| AdminError::Unauthenticated("the access token is invalid or expired"))?;
        match self.directory.account(&claims.tenant, &claims.sub).await? {
            Some(account) if account.enabled => Ok(account),
            Some(_) => Err(AdminError::Unauthenticated("the account is disabled")),
            None => Err(AdminError::Unauthenticated("the account no longer exists")),
        }
    }
}
