//! The first tenant and its first admin, for a stack nobody can sign in to
//! yet: what `switchboard-local bootstrap` runs against the data directory
//! or a deployed stack's table.

use super::links::issue_link;
use super::{snapshot, AdminError};
use crate::ports::{
    AccountStore, AuditEntry, AuditLog, DirectoryStore, IdGen, SessionStore, Store,
};
use crate::{Clock, UlidIds};
use std::sync::Arc;
use switchboard_domain::{
    Account, Email, LinkPurpose, OperatorId, Role, Tenant, TenantId, TenantSettings,
};

pub struct Bootstrap {
    pub directory: Arc<dyn DirectoryStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub audit_log: Arc<dyn AuditLog>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
}

/// What was created, and the link that sets the admin's password.
#[derive(Debug)]
pub struct Bootstrapped {
    pub tenant: Tenant,
    pub admin: Account,
    pub tenant_created: bool,
    pub link: String,
}

impl Bootstrap {
    pub fn over(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Bootstrap {
            directory: store.clone(),
            accounts: store.clone(),
            sessions: store.clone(),
            audit_log: store,
            clock,
            ids: Arc::new(UlidIds),
        }
    }

    /// Creates the tenant unless it exists, and an admin account for
    /// `email` with an invitation link (valid seven days) into `console_url`.
    pub async fn run(
        &self,
        tenant: &str,
        tenant_name: &str,
        email: &str,
        name: &str,
        console_url: &str,
    ) -> Result<Bootstrapped, AdminError> {
        let tenant_id = TenantId::parse(tenant).map_err(|e| AdminError::invalid("tenant", e))?;
        let email = Email::parse(email).map_err(|e| AdminError::invalid("email", e))?;
        let now = self.clock.now();
        let (tenant, tenant_created) = match self.directory.tenant(&tenant_id).await? {
            Some(t) => (t, false),
            None => {
                let t = Tenant {
                    timezone: None,
                    id: tenant_id.clone(),
                    name: tenant_name.trim().to_string(),
                    settings: TenantSettings::default(),
                };
                if t.name.is_empty() {
                    return Err(AdminError::invalid(
                        "tenantName",
                        "a new tenant needs a name",
                    ));
                }
                self.directory.put_tenant(&t).await?;
                (t, true)
            }
        };
        let admin = Account {
            tenant: tenant_id.clone(),
            id: OperatorId::parse(self.ids.new_id("op"))
                .map_err(|e| AdminError::invalid("id", e))?,
            email,
            name: name.trim().to_string(),
            roles: vec![Role::Operator, Role::Admin],
            enabled: true,
            created_at: now,
        };
        admin
            .validate()
            .map_err(|(field, e)| AdminError::invalid(field, e))?;
        self.accounts.create_account(&admin).await?;
        for (action, target, after) in [
            ("tenant.create", tenant_id.to_string(), snapshot(&tenant)),
            ("operator.create", admin.id.to_string(), snapshot(&admin)),
        ] {
            if action == "tenant.create" && !tenant_created {
                continue;
            }
            self.audit_log
                .record(&AuditEntry {
                    tenant: tenant_id.clone(),
                    id: self.ids.new_id("audit"),
                    at: now,
                    actor: None,
                    action: action.into(),
                    target,
                    before: None,
                    after,
                })
                .await?;
        }
        let link = issue_link(
            self.sessions.as_ref(),
            console_url,
            &admin,
            LinkPurpose::Invitation,
            now,
        )
        .await?;
        Ok(Bootstrapped {
            tenant,
            admin,
            tenant_created,
            link,
        })
    }
}
