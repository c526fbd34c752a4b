//! What tenant admins do about routing: define groups (who is in them and
//! whether they are routed automatically) and route widgets to them.

use super::frames::Frames;
use super::notify::Audience;
use super::notify::Caller;
use crate::error::ActionError;
use crate::protocol::{AdminAssign, PutGroup, PutSlaRules, RouteWidget};
use crate::views::Event;
use switchboard_domain::{Group, Role};

impl Frames {
    fn admin(&self, caller: &Caller) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if roles.contains(&Role::Admin) {
            Ok(())
        } else {
            Err(ActionError::Forbidden("tenant admins"))
        }
    }

    pub(super) async fn put_group(
        &self,
        caller: &Caller,
        action: PutGroup,
    ) -> Result<(), ActionError> {
        self.admin(caller)?;
        let group = Group {
            id: action.group_id,
            tenant: caller.tenant().clone(),
            name: action.name.trim().to_string(),
            members: action.members,
            policy: action.policy,
            hours: action.hours,
        };
        group.validate().map_err(ActionError::InvalidGroup)?;
        self.routing.put_group(&group).await?;
        // Now auto-routed, or with new members: what waits may go at once,
        // and its estimates move.
        self.lifecycle.capacity_changed(caller.tenant()).await?;
        self.notifier
            .reply(caller, &Event::GroupSaved { group })
            .await
    }

    pub(super) async fn list_groups(&self, caller: &Caller) -> Result<(), ActionError> {
        caller.operator()?;
        let groups = self.routing.groups(caller.tenant()).await?;
        self.notifier.reply(caller, &Event::Groups { groups }).await
    }

    /// Replaces the tenant's SLA rules; conversations entering a queue from
    /// now on are ordered by them.
    pub(super) async fn put_sla_rules(
        &self,
        caller: &Caller,
        action: PutSlaRules,
    ) -> Result<(), ActionError> {
        self.admin(caller)?;
        let mut rules = action.rules;
        for rule in &mut rules {
            rule.name = rule.name.trim().to_string();
        }
        switchboard_domain::sla::validate(&rules).map_err(ActionError::InvalidSla)?;
        self.routing.put_sla_rules(caller.tenant(), &rules).await?;
        self.notifier
            .reply(caller, &Event::SlaSaved { rules })
            .await
    }

    pub(super) async fn list_sla_rules(&self, caller: &Caller) -> Result<(), ActionError> {
        caller.operator()?;
        let rules = self.routing.routing(caller.tenant()).await?.sla_rules;
        self.notifier
            .reply(caller, &Event::SlaRules { rules })
            .await
    }

    pub(super) async fn set_widget_origins(
        &self,
        caller: &Caller,
        action: crate::protocol::SetWidgetOrigins,
    ) -> Result<(), ActionError> {
        self.admin(caller)?;
        let origins = switchboard_domain::Widget::normalize_origins(&action.allowed_origins)
            .map_err(|e| {
                ActionError::Protocol(crate::protocol::ProtocolError::InvalidField {
                    field: format!("allowedOrigins[{}]", e.index),
                    reason: e.reason.to_string(),
                })
            })?;
        let widget = self
            .directory()
            .set_widget_origins(caller.tenant(), &action.widget_id, &origins)
            .await?
            .ok_or(ActionError::Routing(
                crate::ports::RoutingError::UnknownWidget,
            ))?;
        self.notifier
            .reply(caller, &Event::WidgetSaved { widget })
            .await
    }

    pub(super) async fn route_widget(
        &self,
        caller: &Caller,
        action: RouteWidget,
    ) -> Result<(), ActionError> {
        self.admin(caller)?;
        let offline_email = action
            .offline_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if offline_email.is_some_and(|e| !switchboard_domain::offline::is_email(e)) {
            return Err(ActionError::Offline(
                switchboard_domain::OfflineFormError::InvalidEmail {
                    field: "offlineEmail",
                },
            ));
        }
        let widget = self
            .routing
            .route_widget(
                caller.tenant(),
                &action.widget_id,
                &action.group_id,
                offline_email,
            )
            .await?;
        self.notifier
            .reply(caller, &Event::WidgetRouted { widget })
            .await
    }

    /// An admin gives a waiting conversation to an operator, who must be
    /// online with room; recorded in the timeline as the admin's doing.
    pub(super) async fn admin_assign(
        &self,
        caller: &Caller,
        action: AdminAssign,
    ) -> Result<(), ActionError> {
        self.admin(caller)?;
        let (me, _, _) = caller.operator()?;
        let accepted = self
            .conversations()
            .assign_by_admin(
                caller.tenant(),
                &action.conversation_id,
                &action.operator_id,
                me,
                self.now(),
            )
            .await?;
        self.notifier
            .reply(
                caller,
                &Event::Assigned {
                    conversation_id: accepted.conversation.id.clone(),
                    operator_id: action.operator_id,
                },
            )
            .await?;
        self.lifecycle
            .announce_assignment(&self.notifier, &accepted, Audience::everyone())
            .await
    }
}
