//! One-time links by e-mail: an invitation to set a first password, or a
//! reset. The secret is random and stored only as a digest; the link is
//! taken once, even under a race.

use super::error::AdminError;
use super::passwords::Passwords;
use super::signin::{new_secret, secret_digest, SignIn, SignedIn};
use crate::ports::{Email as Mail, SessionStore};
use switchboard_domain::{Account, Email, LinkPurpose, OneTimeLink, Timestamp};

impl SignIn {
    /// Mails a reset link if the address has an enabled account; answers the
    /// same either way.
    #[tracing::instrument(skip_all)]
    pub async fn request_reset(&self, email: &str) -> Result<(), AdminError> {
        let email = Email::parse(email).map_err(|e| AdminError::invalid("email", e))?;
        let Some(login) = self.accounts.login(&email).await? else {
            return Ok(());
        };
        match self
            .directory
            .account(&login.tenant, &login.operator)
            .await?
        {
            Some(account) if account.enabled => {
                self.send_link(&account, LinkPurpose::PasswordReset).await
            }
            _ => Ok(()),
        }
    }

    /// Mails the account a one-time link: an invitation to set a first
    /// password, or a reset.
    pub async fn send_link(
        &self,
        account: &Account,
        purpose: LinkPurpose,
    ) -> Result<(), AdminError> {
        let url = issue_link(
            self.sessions.as_ref(),
            &self.console_url,
            account,
            purpose,
            self.clock.now(),
        )
        .await?;
        let (subject, text) = match purpose {
            LinkPurpose::Invitation => (
                "You are invited to Switchboard",
                "You have been invited to answer chats as",
            ),
            LinkPurpose::PasswordReset => (
                "Reset your Switchboard password",
                "Someone (hopefully you) asked to reset the password of",
            ),
        };
        let hours = purpose.lifetime_seconds() / 3600;
        self.mailer
            .send(&Mail {
                to: account.email.to_string(),
                reply_to: None,
                subject: subject.to_string(),
                text: format!(
                    "{text} {} ({}).\n\nSet your password here, within {hours} hours:\n{url}\n\n\
                     The link works once. If you did not expect this mail, ignore it.\n",
                    account.name, account.email
                ),
                id: self.ids.new_id("mail"),
            })
            .await?;
        Ok(())
    }

    /// Sets the password a one-time link was sent for. The link is checked
    /// and the password judged before the link is taken, so a weak password
    /// leaves the link usable; then it is taken once, even under a race.
    #[tracing::instrument(skip_all)]
    pub async fn complete_link(
        &self,
        purpose: LinkPurpose,
        token: &str,
        password: &str,
    ) -> Result<SignedIn, AdminError> {
        const USED: &str = "this link was already used, or never existed";
        let digest = secret_digest(token);
        let now = self.clock.now();
        let link = match self.sessions.peek_link(&digest).await? {
            Some(link) if link.purpose == purpose => link,
            _ => return Err(AdminError::gone("token", USED)),
        };
        if link.expires_at <= now {
            return Err(AdminError::gone(
                "token",
                "this link has expired; ask for a new one",
            ));
        }
        let Some(account) = self.directory.account(&link.tenant, &link.operator).await? else {
            return Err(AdminError::gone("token", USED));
        };
        Passwords::check_strength(password, &[account.email.as_str(), &account.name])
            .map_err(|e| AdminError::invalid("password", e))?;
        let hash = self.passwords.hash(password)?;
        if self.sessions.take_link(&digest).await?.is_none() {
            return Err(AdminError::gone("token", USED));
        }
        self.accounts
            .set_password(&account.email, &account.id, &hash)
            .await?;
        // A new password ends every session the old one started.
        self.sessions
            .end_sessions_of(&account.tenant, &account.id)
            .await?;
        if !account.enabled {
            return Err(AdminError::Unauthenticated("the account is disabled"));
        }
        self.start(account, now).await
    }
}

/// Stores a one-time link for the account and returns its address in the
/// console (`{console}#/accept-invitation?token=…`: the console's own
/// address, which every host of it routes, with the page in the fragment).
pub async fn issue_link(
    sessions: &dyn SessionStore,
    console_url: &str,
    account: &Account,
    purpose: LinkPurpose,
    now: Timestamp,
) -> Result<String, AdminError> {
    let (secret, digest) = new_secret();
    let link = OneTimeLink {
        purpose,
        tenant: account.tenant.clone(),
        operator: account.id.clone(),
        expires_at: now.plus_seconds(purpose.lifetime_seconds()),
    };
    sessions.put_link(&digest, &link).await?;
    let page = match purpose {
        LinkPurpose::Invitation => "accept-invitation",
        LinkPurpose::PasswordReset => "reset-password",
    };
    Ok(format!(
        "{}#/{page}?token={secret}",
        console_url.trim_end_matches('/')
    ))
}
