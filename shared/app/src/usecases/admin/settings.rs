//! The tenant's own settings and its groups.

use super::{snapshot, Admin, AdminError};
use switchboard_domain::{Account, Group, GroupId, OidcProvider, Tenant, TenantSettings};

impl Admin {
    pub async fn tenant(&self, caller: &Account) -> Result<Tenant, AdminError> {
        Self::require_admin(caller)?;
        self.directory
            .tenant(&caller.tenant)
            .await?
            .ok_or(AdminError::NotFound("tenant"))
    }

    pub async fn update_tenant(
        &self,
        caller: &Account,
        name: String,
        settings: TenantSettings,
    ) -> Result<Tenant, AdminError> {
        let before = self.tenant(caller).await?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(AdminError::invalid("name", "must be 1 to 120 characters"));
        }
        if !TenantSettings::TRANSFER_TIMEOUT_RANGE.contains(&settings.transfer_timeout_seconds) {
            return Err(AdminError::invalid(
                "transferTimeoutSeconds",
                format!(
                    "must be {} to {}",
                    TenantSettings::TRANSFER_TIMEOUT_RANGE.start(),
                    TenantSettings::TRANSFER_TIMEOUT_RANGE.end()
                ),
            ));
        }
        let after = Tenant {
            id: before.id.clone(),
            name,
            settings,
        };
        self.directory.put_tenant(&after).await?;
        self.audit(
            caller,
            "tenant.update",
            caller.tenant.as_str(),
            snapshot(&before),
            snapshot(&after),
        )
        .await?;
        Ok(after)
    }

    pub async fn group_list(&self, caller: &Account) -> Result<Vec<Group>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.routing.groups(&caller.tenant).await?)
    }

    pub async fn group(&self, caller: &Account, id: &GroupId) -> Result<Group, AdminError> {
        self.group_list(caller)
            .await?
            .into_iter()
            .find(|g| &g.id == id)
            .ok_or(AdminError::NotFound("group"))
    }

    /// Creates or replaces a group.
    pub async fn put_group(&self, caller: &Account, group: Group) -> Result<Group, AdminError> {
        Self::require_admin(caller)?;
        let mut group = Group {
            tenant: caller.tenant.clone(),
            ..group
        };
        group.name = group.name.trim().to_string();
        group
            .validate()
            .map_err(|e| AdminError::invalid("group", e))?;
        let before = self
            .routing
            .groups(&caller.tenant)
            .await?
            .into_iter()
            .find(|g| g.id == group.id);
        self.routing.put_group(&group).await.map_err(|e| match e {
            crate::ports::RoutingError::UnknownOperator(o) => {
                AdminError::invalid("members", format!("{o} is not an operator of this tenant"))
            }
            crate::ports::RoutingError::Store(e) => AdminError::Store(e),
            other => AdminError::invalid("group", other),
        })?;
        let action = if before.is_some() {
            "group.update"
        } else {
            "group.create"
        };
        self.audit(
            caller,
            action,
            group.id.as_str(),
            before.as_ref().and_then(snapshot),
            snapshot(&group),
        )
        .await?;
        Ok(group)
    }

    pub async fn oidc_provider(
        &self,
        caller: &Account,
    ) -> Result<Option<OidcProvider>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self.accounts.oidc_provider(&caller.tenant).await?)
    }

    /// Sets (or with None removes) the tenant's identity provider. Accounts
    /// still need to exist: the provider proves the e-mail, the account
    /// says what it may do.
    pub async fn put_oidc_provider(
        &self,
        caller: &Account,
        provider: Option<OidcProvider>,
    ) -> Result<Option<OidcProvider>, AdminError> {
        let before = self.oidc_provider(caller).await?;
        if let Some(p) = &provider {
            p.validate()
                .map_err(|(field, message)| AdminError::invalid(field, message))?;
        }
        self.accounts
            .put_oidc_provider(&caller.tenant, provider.as_ref())
            .await?;
        self.audit(
            caller,
            "oidc.update",
            caller.tenant.as_str(),
            before.as_ref().and_then(snapshot),
            provider.as_ref().and_then(snapshot),
        )
        .await?;
        Ok(provider)
    }
}
