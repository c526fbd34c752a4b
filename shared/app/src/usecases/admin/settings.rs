//! The tenant's own settings and its identity provider.

use super::{snapshot, Admin, AdminError};
use switchboard_domain::{Account, OidcProvider, Tenant, TenantSettings};

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
        timezone: Option<String>,
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
        if let Some(zone) = &timezone {
            jiff::tz::TimeZone::get(zone).map_err(|_| {
                AdminError::invalid("timezone", "an IANA time zone such as Europe/Prague")
            })?;
        }
        let after = Tenant {
            timezone,
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
