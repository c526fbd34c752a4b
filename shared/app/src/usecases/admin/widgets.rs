//! Widgets: the chat boxes on a tenant's sites.

use super::{snapshot, Admin, AdminError, MAX_PAGE};
use crate::ports::Page;
use switchboard_domain::{Account, Email, Widget, WidgetEntry, WidgetId};

impl Admin {
    /// Checks and normalizes a widget as an admin wrote it.
    async fn checked_widget(&self, mut widget: Widget) -> Result<Widget, AdminError> {
        widget.name = widget.name.trim().to_string();
        let chars = widget.name.chars().count();
        if chars == 0 || chars > 120 {
            return Err(AdminError::invalid("name", "must be 1 to 120 characters"));
        }
        widget.allowed_origins = Widget::normalize_origins(&widget.allowed_origins)
            .map_err(|e| AdminError::invalid(format!("allowedOrigins[{}]", e.index), e.reason))?;
        WidgetEntry::check_list(&widget.entries)
            .map_err(|e| AdminError::invalid(e.field, e.reason))?;
        if let Some(email) = &widget.offline_email {
            let email = Email::parse(email).map_err(|e| AdminError::invalid("offlineEmail", e))?;
            widget.offline_email = Some(email.to_string());
        }
        if let Some(group) = &widget.group {
            let groups = self.routing.groups(&widget.tenant).await?;
            if !groups.iter().any(|g| &g.id == group) {
                return Err(AdminError::invalid("group", "no such group"));
            }
        }
        Ok(widget)
    }

    pub async fn create_widget(
        &self,
        caller: &Account,
        widget: Widget,
    ) -> Result<Widget, AdminError> {
        Self::require_admin(caller)?;
        let widget = self
            .checked_widget(Widget {
                tenant: caller.tenant.clone(),
                ..widget
            })
            .await?;
        if !self.widgets.create_widget(&widget).await? {
            return Err(AdminError::conflict("id", "this widget id is taken"));
        }
        self.audit(
            caller,
            "widget.create",
            widget.id.as_str(),
            None,
            snapshot(&widget),
        )
        .await?;
        Ok(widget)
    }

    pub async fn widget(&self, caller: &Account, id: &WidgetId) -> Result<Widget, AdminError> {
        Self::require_admin(caller)?;
        match self.directory.widget(id).await? {
            Some(w) if w.tenant == caller.tenant => Ok(w),
            _ => Err(AdminError::NotFound("widget")),
        }
    }

    pub async fn widget_list(
        &self,
        caller: &Account,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Page<Widget>, AdminError> {
        Self::require_admin(caller)?;
        Ok(self
            .widgets
            .widgets(&caller.tenant, after, limit.clamp(1, MAX_PAGE))
            .await?)
    }

    pub async fn update_widget(
        &self,
        caller: &Account,
        widget: Widget,
    ) -> Result<Widget, AdminError> {
        let before = self.widget(caller, &widget.id).await?;
        let widget = self
            .checked_widget(Widget {
                tenant: caller.tenant.clone(),
                ..widget
            })
            .await?;
        if !self.widgets.replace_widget(&widget).await? {
            return Err(AdminError::NotFound("widget"));
        }
        self.audit(
            caller,
            "widget.update",
            widget.id.as_str(),
            snapshot(&before),
            snapshot(&widget),
        )
        .await?;
        Ok(widget)
    }

    pub async fn delete_widget(&self, caller: &Account, id: &WidgetId) -> Result<(), AdminError> {
        Self::require_admin(caller)?;
        let Some(before) = self.widgets.delete_widget(&caller.tenant, id).await? else {
            return Err(AdminError::NotFound("widget"));
        };
        self.audit(
            caller,
            "widget.delete",
            id.as_str(),
            snapshot(&before),
            None,
        )
        .await
    }
}
