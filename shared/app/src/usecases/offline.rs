//! The offline form. A client's `conversation.start` is answered "offline"
//! when the widget's group is closed or nobody of it is online; the client
//! may then leave a message, which is stored and mailed to the widget's
//! address by the mail function (`OfflineMail`), once however often its job
//! is delivered.

use super::frames::Frames;
use super::notify::Caller;
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{Clock, Email, MailError, Mailer, OfflineStore, RoutingSnapshot};
use crate::protocol::SubmitOffline;
use crate::views::{Event, OfflineFormView};
use std::sync::Arc;
use switchboard_domain::{
    EntryType, GroupId, MailJob, OfflineForm, OfflineReason, OfflineRequest, OperatorStatus,
    Timestamp,
};

/// Whether `group` can take a conversation at `now`: open by its hours, and
/// someone of it online with an open console.
pub(crate) fn availability(
    snapshot: &RoutingSnapshot,
    group: &GroupId,
    now: Timestamp,
) -> Option<OfflineReason> {
    // A group deleted since its widget was routed: the default group serves.
    let group = snapshot
        .group(group)
        .or_else(|| snapshot.group(&GroupId::default_group()))?;
    if group.hours.as_ref().is_some_and(|h| !h.is_open(now)) {
        return Some(OfflineReason::Closed);
    }
    let someone = snapshot.operators.iter().any(|o| {
        group.includes(&o.operator.id)
            && o.operator.status == OperatorStatus::Online
            && o.connection_count > 0
            && o.operator.is_live(now)
    });
    (!someone).then_some(OfflineReason::NoOperator)
}

impl Frames {
    /// The group a new conversation of the caller's waits in (their
    /// widget's, or the default group once that was deleted), or why it
    /// cannot take one now.
    pub(super) async fn serving_group(
        &self,
        caller: &Caller,
    ) -> Result<Result<GroupId, OfflineReason>, ActionError> {
        let snapshot = self.routing.routing(caller.tenant()).await?;
        let widget_group = caller.visitor_group();
        let group = match snapshot.group(&widget_group) {
            Some(_) => widget_group,
            None => GroupId::default_group(),
        };
        Ok(match availability(&snapshot, &group, self.now()) {
            Some(reason) => Err(reason),
            None => Ok(group),
        })
    }

    pub(super) async fn reply_offline(
        &self,
        caller: &Caller,
        reason: OfflineReason,
    ) -> Result<(), ActionError> {
        let event = Event::Offline {
            reason,
            form: OfflineFormView::standard(),
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn submit_offline(
        &self,
        caller: &Caller,
        action: SubmitOffline,
    ) -> Result<(), ActionError> {
        let (_, widget_id) = caller.visitor()?;
        let form = OfflineForm::parse(
            action.name.as_deref(),
            action.email.as_deref(),
            action.phone.as_deref(),
            action.message.as_deref(),
        )?;
        let widget = self
            .directory()
            .widget(widget_id)
            .await?
            .ok_or(ActionError::ConversationNotFound)?;
        let request = OfflineRequest {
            id: self.lifecycle.ids.new_id("offline"),
            tenant: caller.tenant().clone(),
            widget: widget.id.clone(),
            group: caller.visitor_group(),
            entry_type: action.entry_type.unwrap_or(EntryType::Chat),
            name: form.name,
            email: form.email,
            phone: form.phone,
            message: form.message,
            mail_to: widget.offline_email.clone().unwrap_or_default(),
            created_at: self.now(),
        };
        self.offline.put_offline_request(&request).await?;
        if widget.offline_email.is_some() {
            self.mail_bus
                .publish_mail(&MailJob {
                    tenant: request.tenant.clone(),
                    request: request.id.clone(),
                })
                .await?;
        } else {
            tracing::warn!(widget = %widget.id, "offline request stored; the widget has no address to mail it to");
        }
        self.notifier
            .reply(
                caller,
                &Event::OfflineReceived {
                    offline_request_id: request.id,
                },
            )
            .await
    }
}

/// The mail function's use case.
#[derive(Clone)]
pub struct OfflineMail {
    pub offline: Arc<dyn OfflineStore>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailJobError {
    #[error(transparent)]
    Store(#[from] crate::ports::StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl OfflineMail {
    pub fn build(adapters: &dyn Adapters) -> Self {
        OfflineMail {
            offline: adapters.offline(),
            mailer: adapters.mailer(),
            clock: adapters.clock(),
        }
    }

    /// Mails the request once. A job for a request claimed before (a
    /// redelivery) sends nothing; a failed send gives the claim back and
    /// fails, so the job comes again. A crash between sending and the end of
    /// the job leaves the claim: that mail is never sent twice, at the price
    /// of never, if the send itself was what was lost.
    #[tracing::instrument(skip_all, fields(tenant = %job.tenant, request = %job.request))]
    pub async fn deliver(&self, job: &MailJob) -> Result<bool, MailJobError> {
        let Some(request) = self
            .offline
            .offline_request(&job.tenant, &job.request)
            .await?
        else {
            tracing::warn!("mail job for a request that does not exist");
            return Ok(false);
        };
        if request.mail_to.is_empty() {
            return Ok(false);
        }
        if !self
            .offline
            .claim_mailing(&job.tenant, &job.request, self.clock.now())
            .await?
        {
            tracing::info!("offline request mailed before");
            return Ok(false);
        }
        match self.mailer.send(&email(&request)).await {
            Ok(()) => Ok(true),
            Err(e) => {
                self.offline
                    .release_mailing(&job.tenant, &job.request)
                    .await?;
                Err(e.into())
            }
        }
    }
}

fn email(r: &OfflineRequest) -> Email {
    let who = r
        .name
        .clone()
        .or_else(|| r.email.clone())
        .or_else(|| r.phone.clone())
        .unwrap_or_default();
    let mut text = format!(
        "A client left a message while nobody was available.\n\n\
         Name:    {}\nE-mail:  {}\nPhone:   {}\nWanted:  {:?}\nWidget:  {}\nGroup:   {}\n\n{}\n",
        r.name.as_deref().unwrap_or("-"),
        r.email.as_deref().unwrap_or("-"),
        r.phone.as_deref().unwrap_or("-"),
        r.entry_type,
        r.widget,
        r.group,
        r.message,
    );
    text.push_str(&format!("\nRequest {} for tenant {}.\n", r.id, r.tenant));
    Email {
        to: r.mail_to.clone(),
        reply_to: r.email.clone(),
        subject: format!("Offline message from {who}"),
        text,
        id: r.id.clone(),
    }
}
