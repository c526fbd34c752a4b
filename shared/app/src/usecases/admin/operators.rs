//! Operator accounts as admins manage them. A new operator is invited by
//! e-mail; disabling one refuses their tokens at once and closes their
//! open consoles.

use super::{snapshot, Admin, AdminError, MAX_PAGE};
use crate::ports::{Page, PrincipalRef};
use switchboard_domain::{Account, Email, LinkPurpose, OperatorId, Role};

/// An operator to invite.
#[derive(Debug, Clone)]
pub struct NewOperator {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// An account as an update states it, whole.
#[derive(Debug, Clone)]
pub struct AccountChange {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub enabled: bool,
}

fn checked(mut account: Account) -> Result<Account, AdminError> {
    account.name = account.name.trim().to_string();
    account.roles.sort_by_key(|r| matches!(r, Role::Admin));
    account.roles.dedup();
    account
        .validate()
        .map_err(|(field, e)| AdminError::invalid(field, e))?;
    Ok(account)
}

impl Admin {
    pub async fn invite_operator(
        &self,
        caller: &Account,
        new: NewOperator,
    ) -> Result<Account, AdminError> {
        Self::require_admin(caller)?;
        let email = Email::parse(&new.email).map_err(|e| AdminError::invalid("email", e))?;
        let account = checked(Account {
            tenant: caller.tenant.clone(),
            id: OperatorId::parse(self.ids.new_id("op"))
                .map_err(|e| AdminError::invalid("id", e))?,
            email,
            name: new.name,
            roles: new.roles,
            enabled: true,
            created_at: self.clock.now(),
        })?;
        self.accounts.create_account(&account).await?;
        self.audit(
            caller,
            "operator.create",
            account.id.as_str(),
            None,
            snapshot(&account),
        )
        .await?;
        self.sign_in
            .send_link(&account, LinkPurpose::Invitation)
            .await?;
        Ok(account)
    }

    /// Sends a fresh invitation (the old link keeps working until it expires).
    pub async fn reinvite(&self, caller: &Account, id: &OperatorId) -> Result<(), AdminError> {
        let account = self.operator(caller, id).await?;
        self.sign_in
            .send_link(&account, LinkPurpose::Invitation)
            .await
    }

    pub async fn operator(&self, caller: &Account, id: &OperatorId) -> Result<Account, AdminError> {
        Self::require_admin(caller)?;
        self.directory
            .account(&caller.tenant, id)
            .await?
            .ok_or(AdminError::NotFound("operator"))
    }

    pub async fn operator_list(
        &self,
        caller: &Account,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Account>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self
            .accounts
            .accounts(&caller.tenant, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    pub async fn update_operator(
        &self,
        caller: &Account,
        id: &OperatorId,
        change: AccountChange,
    ) -> Result<Account, AdminError> {
        let before = self.operator(caller, id).await?;
        let email = Email::parse(&change.email).map_err(|e| AdminError::invalid("email", e))?;
        let after = checked(Account {
            email,
            name: change.name,
            roles: change.roles,
            enabled: change.enabled,
            ..before.clone()
        })?;
        if &caller.id == id {
            // An admin cannot lock themselves out (and so the tenant, if
            // they are its last admin).
            if !after.enabled {
                return Err(AdminError::invalid(
                    "enabled",
                    "you cannot disable yourself",
                ));
            }
            if !after.is_admin() {
                return Err(AdminError::invalid(
                    "roles",
                    "you cannot remove your own admin role",
                ));
            }
        }
        self.accounts.update_account(&before, &after).await?;
        self.audit(
            caller,
            "operator.update",
            id.as_str(),
            snapshot(&before),
            snapshot(&after),
        )
        .await?;
        if before.enabled && !after.enabled {
            self.sign_out_everywhere(&after).await?;
        }
        Ok(after)
    }

    pub async fn delete_operator(
        &self,
        caller: &Account,
        id: &OperatorId,
    ) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        if &caller.id == id {
            return Err(AdminError::invalid("id", "you cannot delete yourself"));
        }
        let before = self.accounts.delete_account(&caller.tenant, id).await?;
        self.audit(
            caller,
            "operator.delete",
            id.as_str(),
            snapshot(&before),
            None,
        )
        .await?;
        self.sign_out_everywhere(&before).await
    }

    /// Ends the operator's sessions and closes their consoles' sockets (the
    /// gateway then runs `$disconnect`, which takes them offline and
    /// announces the capacity change).
    async fn sign_out_everywhere(&self, account: &Account) -> Result<(), AdminError> {
        self.sessions
            .end_sessions_of(&account.tenant, &account.id)
            .await?;
        let open = self
            .connections
            .principal_connections(
                &account.tenant,
                &PrincipalRef::Operator(account.id.clone()),
                self.clock.now(),
            )
            .await?;
        for connection in open {
            if let Err(e) = self.push.close(&connection.id).await {
                tracing::warn!(connection = %connection.id, error = %crate::error::chain(&e),
                    "closing a disabled operator's socket failed");
            }
        }
        Ok(())
    }
}
