//! The tenant's groups: who is in each, how it routes, its business hours.
//! A group is deleted only once nothing routes to it or waits in it, so no
//! conversation is stranded in a queue nobody sees.

use super::{snapshot, Admin, AdminError};
use switchboard_domain::{Account, Group, GroupId};

/// How many names a refusal lists before "and N more".
const NAMED: usize = 5;

impl Admin {
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

    /// Deletes a group nothing refers to any more: no widget or channel
    /// account routes to it, no SLA rule names it, and nobody waits in its
    /// queue. A visitor who connected before the deletion and starts later
    /// waits in the default group (see `Frames::start_conversation`).
    pub async fn delete_group(&self, caller: &Account, id: &GroupId) -> Result<Group, AdminError> {
        Self::require_admin(caller)?;
        if id.is_default() {
            return Err(AdminError::invalid(
                "id",
                "the default group cannot be deleted",
            ));
        }
        let tenant = &caller.tenant;
        let routing = self.routing.routing(tenant).await?;
        if routing.group(id).is_none() {
            return Err(AdminError::NotFound("group"));
        }
        let rules: Vec<String> = routing
            .sla_rules
            .iter()
            .filter(|r| r.when.group.as_ref() == Some(id))
            .map(|r| r.name.clone())
            .collect();
        refuse_if_used("slaRules", "SLA rules", &rules)?;
        let mut widgets = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .widgets
                .widgets(tenant, cursor.as_deref(), super::MAX_PAGE)
                .await?;
            widgets.extend(
                page.items
                    .into_iter()
                    .filter(|w| w.group.as_ref() == Some(id))
                    .map(|w| w.id.to_string()),
            );
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        refuse_if_used("widgets", "widgets", &widgets)?;
        let accounts: Vec<String> = self
            .channel_accounts
            .channel_accounts()
            .await?
            .into_iter()
            .filter(|a| &a.tenant == tenant && a.group.as_ref() == Some(id))
            .map(|a| format!("{} {}", a.channel.as_str(), a.account_id))
            .collect();
        refuse_if_used("channelAccounts", "channel accounts", &accounts)?;
        let waiting = self.conversations.group_queue(tenant, id, 1).await?;
        if !waiting.is_empty() {
            return Err(AdminError::conflict(
                "queue",
                "conversations still wait in this group; redirect them to another group first",
            ));
        }
        let deleted = self
            .routing
            .delete_group(tenant, id)
            .await?
            .ok_or(AdminError::NotFound("group"))?;
        self.audit(
            caller,
            "group.delete",
            id.as_str(),
            snapshot(&deleted),
            None,
        )
        .await?;
        Ok(deleted)
    }
}

fn refuse_if_used(field: &str, what: &str, names: &[String]) -> Result<(), AdminError> {
    if names.is_empty() {
        return Ok(());
    }
    let mut listed = names
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMED {
        listed.push_str(&format!(" and {} more", names.len() - NAMED));
    }
    Err(AdminError::conflict(
        field,
        format!("{what} still route to this group ({listed}); route them elsewhere first"),
    ))
}
