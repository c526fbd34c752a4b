//! WhatsApp templates: admins define them (as Meta approved them),
//! operators list them for the client's language, fill in the
//! placeholders, preview and send. A template is the only thing WhatsApp
//! delivers once the client has been silent for a day, so no window is
//! checked here; the client's answer (a quick reply) opens it again.

use crate::channels::outbound::correlation_of;
use crate::channels::{templates as graph_templates, ChannelsSource};
use crate::error::ActionError;
use crate::ports::HttpTransport;
use crate::protocol::{ListTemplates, PutTemplate, UseTemplate};
use crate::usecases::frames::Frames;
use crate::usecases::notify::Caller;
use crate::views::Event;
use std::sync::Arc;
use switchboard_domain::cards::{template, WhatsAppTemplate};
use switchboard_domain::{
    Author, Channel, ConversationStatus, Delivery, NewMessage, Role, Template,
};

/// The Graph API and the channel accounts `template.sync` reads from.
#[derive(Clone)]
pub struct TemplateSource {
    pub channels: Arc<ChannelsSource>,
    pub http: Arc<dyn HttpTransport>,
}

/// Pages read per account before giving up (Meta lists 100 a page).
const MAX_PAGES: usize = 20;

/// `en_US` and `en-GB` are both English.
fn primary(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

impl Frames {
    pub(crate) async fn put_template(
        &self,
        caller: &Caller,
        action: PutTemplate,
    ) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if !roles.contains(&Role::Admin) {
            return Err(ActionError::Forbidden("tenant admins"));
        }
        let template = WhatsAppTemplate {
            tenant: caller.tenant().clone(),
            name: action.name,
            language: action.language,
            category: action.category,
            status: action.status.unwrap_or_else(|| "APPROVED".into()),
            components: action.components,
            updated_at: self.now(),
        };
        template.validate().map_err(ActionError::InvalidTemplate)?;
        self.cards.put_template(&template).await?;
        self.notifier
            .reply(
                caller,
                &Event::TemplateSaved {
                    template: Box::new(template),
                },
            )
            .await
    }

    pub(crate) async fn list_templates(
        &self,
        caller: &Caller,
        action: ListTemplates,
    ) -> Result<(), ActionError> {
        caller.operator()?;
        let client = match &action.conversation_id {
            Some(id) => Some(
                self.conversation_for(caller, Some(id))
                    .await?
                    .entry
                    .language,
            ),
            None => None,
        };
        let language = action.language.or(client);
        let templates = self
            .cards
            .templates(caller.tenant())
            .await?
            .into_iter()
            .filter(|t| t.status.eq_ignore_ascii_case("APPROVED"))
            .filter(|t| {
                language
                    .as_deref()
                    .is_none_or(|l| primary(&t.language) == primary(l))
            })
            .collect();
        self.notifier
            .reply(
                caller,
                &Event::Templates {
                    language,
                    templates,
                },
            )
            .await
    }

    async fn approved_template(
        &self,
        caller: &Caller,
        action: &UseTemplate,
    ) -> Result<WhatsAppTemplate, ActionError> {
        let template = self
            .cards
            .templates(caller.tenant())
            .await?
            .into_iter()
            .find(|t| {
                t.name == action.name
                    && t.language == action.language
                    && t.status.eq_ignore_ascii_case("APPROVED")
            })
            .ok_or(ActionError::TemplateNotFound)?;
        template
            .check(&action.parameters)
            .map_err(ActionError::InvalidTemplate)?;
        Ok(template)
    }

    pub(crate) async fn preview_template(
        &self,
        caller: &Caller,
        action: UseTemplate,
    ) -> Result<(), ActionError> {
        caller.operator()?;
        let template = self.approved_template(caller, &action).await?;
        let (to, correlation) = match &action.conversation_id {
            Some(id) => {
                let conversation = self.conversation_for(caller, Some(id)).await?;
                let contact = self
                    .contacts
                    .contact(&conversation.tenant, &conversation.visitor)
                    .await?;
                (
                    contact.map_or("<client>".to_string(), |c| c.contact_id),
                    correlation_of(&conversation.id, conversation.last_seq + 1),
                )
            }
            None => ("<client>".to_string(), "<assigned when sent>".to_string()),
        };
        let payload = template::message(
            &template.name,
            &template.language,
            &action.parameters,
            &to,
            &correlation,
        );
        self.notifier
            .reply(
                caller,
                &Event::TemplatePreview {
                    text: template.text(&action.parameters),
                    payload,
                },
            )
            .await
    }

    pub(crate) async fn send_template(
        &self,
        caller: &Caller,
        action: UseTemplate,
    ) -> Result<(), ActionError> {
        let (me, _, _) = caller.operator()?;
        let missing = |field: &str| {
            ActionError::Protocol(crate::protocol::ProtocolError::InvalidField {
                field: field.into(),
                reason: "is required".into(),
            })
        };
        let id = action
            .conversation_id
            .clone()
            .ok_or_else(|| missing("conversationId"))?;
        let client_id = action
            .client_message_id
            .clone()
            .ok_or_else(|| missing("clientMessageId"))?;
        let conversation = self.conversation_for(caller, Some(&id)).await?;
        match (conversation.status, &conversation.operator) {
            (ConversationStatus::Active, Some(op)) if op == me => {}
            (ConversationStatus::Active, _) => return Err(ActionError::NotYours),
            (status, _) => return Err(ActionError::NotActive(status.as_str())),
        }
        if conversation.channel != Channel::WhatsApp {
            return Err(ActionError::CardsUnavailable);
        }
        let template = self.approved_template(caller, &action).await?;
        let now = self.now();
        let content = switchboard_domain::Content::Template {
            template: Template {
                name: template.name.clone(),
                language: template.language.clone(),
                parameters: action.parameters.body.clone(),
                header_parameters: action.parameters.header.clone(),
                text: template.text(&action.parameters),
            },
        };
        let mut message = NewMessage::new(client_id, Author::Operator(me.clone()), content, now);
        message.delivery = Some(Delivery::queued(now));
        let (conversation, appended) = self
            .lifecycle
            .append_or_reopen(conversation, message)
            .await?;
        self.deliver_sent(caller, &conversation, appended)
            .await
            .map(|_| ())
    }

    /// Reads the tenant's templates from each of its WhatsApp Business
    /// Accounts and stores them (replacing those with the same name and
    /// language).
    pub(crate) async fn sync_templates(&self, caller: &Caller) -> Result<(), ActionError> {
        let (_, _, roles) = caller.operator()?;
        if !roles.contains(&Role::Admin) {
            return Err(ActionError::Forbidden("tenant admins"));
        }
        let source = self
            .template_source
            .as_ref()
            .ok_or(ActionError::ChannelUnavailable)?;
        let synced = source
            .sync(self.cards.as_ref(), caller.tenant(), self.now())
            .await
            .map_err(|e| match e {
                TemplateSyncError::Store(e) => ActionError::from(e),
                TemplateSyncError::Unavailable => ActionError::ChannelUnavailable,
            })?;
        self.notifier
            .reply(caller, &Event::TemplatesSynced { templates: synced })
            .await
    }
}

/// Why templates could not be read from Meta.
#[derive(Debug, thiserror::Error)]
pub enum TemplateSyncError {
    #[error("the Graph API or the channel accounts are unavailable")]
    Unavailable,
    #[error(transparent)]
    Store(#[from] crate::ports::StoreError),
}

impl TemplateSource {
    /// Reads the approved templates of every WhatsApp account of `tenant`
    /// that names its Business Account, stores each, and returns them.
    pub async fn sync(
        &self,
        cards: &dyn crate::ports::CardStore,
        tenant: &switchboard_domain::TenantId,
        now: switchboard_domain::Timestamp,
    ) -> Result<Vec<WhatsAppTemplate>, TemplateSyncError> {
        let channels = self.channels.current().await.map_err(|e| {
            tracing::warn!(error = %crate::error::chain(&e), "channel accounts unreadable");
            TemplateSyncError::Unavailable
        })?;
        let mut synced = Vec::new();
        for account in channels.accounts_of(tenant, Channel::WhatsApp) {
            let Some(waba) = account.waba_id.as_deref() else {
                continue;
            };
            let mut after: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let call = graph_templates::list_call(&channels, account, waba, after.as_deref())
                    .map_err(|_| TemplateSyncError::Unavailable)?;
                let reply = self.http.execute(call).await.map_err(|e| {
                    tracing::warn!(error = %e, "template list call failed");
                    TemplateSyncError::Unavailable
                })?;
                if reply.status != 200 {
                    tracing::warn!(status = reply.status, "Graph refused the template list");
                    return Err(TemplateSyncError::Unavailable);
                }
                let (page, next) =
                    graph_templates::parse_page(&reply.body, tenant, now).map_err(|e| {
                        tracing::warn!(error = %e, "unreadable template list");
                        TemplateSyncError::Unavailable
                    })?;
                for template in page {
                    cards.put_template(&template).await?;
                    synced.push(template);
                }
                match next {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
        }
        Ok(synced)
    }
}
