//! Every frame after `$connect`: parsed once, dispatched on `action`, and
//! every outcome, errors included, pushed back to the sending connection.

use super::lifecycle::Lifecycle;
use super::notify::{Caller, Notifier};
use crate::adapters::Adapters;
use crate::auth::TokenService;
use crate::error::ActionError;
use crate::ports::{BrowsingHistory, ContactInfoStore, TextBlockStore, UniteStore};
use crate::ports::{
    CardStore, ConnectionRegistry, ContactStore, ConversationStore, DirectoryStore,
    InvitationStore, MailBus, MessageStore, OfflineStore, OutboundBus, Principal, RoutingStore,
};
use crate::protocol::{parse_request, Action, Request};
use crate::views::Event;
use std::sync::Arc;
use switchboard_domain::{ConnectionId, Timestamp};

/// The visitor's and operator's actions (the `ws-message` function).
#[derive(Clone)]
pub struct Frames {
    pub notifier: Notifier,
    pub lifecycle: Lifecycle,
    /// The WhatsApp window is checked before an operator's reply is accepted.
    pub contacts: Arc<dyn ContactStore>,
    pub outbound: Arc<dyn OutboundBus>,
    /// Groups and widget routes (admin actions).
    pub routing: Arc<dyn RoutingStore>,
    pub invitations: Arc<dyn InvitationStore>,
    pub offline: Arc<dyn OfflineStore>,
    pub mail_bus: Arc<dyn MailBus>,
    pub tokens: TokenService,
    /// Card definitions and sent cards; answers go through `card_answers`.
    pub cards: Arc<dyn CardStore>,
    pub card_answers: super::cards::CardAnswers,
    /// Where `template.sync` reads the tenant's WhatsApp templates; None
    /// where no channel is configured.
    pub template_source: Option<super::cards::TemplateSource>,
    /// Text blocks for `#`, searched in a folded copy checked against the
    /// tenant's version.
    pub text_blocks: Arc<dyn TextBlockStore>,
    pub text_block_cache: super::text_blocks::TextBlockCache,
    /// Additional-information fields and each client's values.
    pub contact_info: Arc<dyn ContactInfoStore>,
    /// Pages visitors viewed.
    pub browsing: Arc<dyn BrowsingHistory>,
    /// Contact merges.
    pub unite: Arc<dyn UniteStore>,
}

impl Frames {
    pub fn build(adapters: &dyn Adapters, tokens: TokenService) -> Self {
        Frames {
            notifier: Notifier::build(adapters),
            lifecycle: Lifecycle::build(adapters),
            contacts: adapters.contacts(),
            outbound: adapters.outbound_bus(),
            routing: adapters.routing(),
            invitations: adapters.invitations(),
            offline: adapters.offline(),
            mail_bus: adapters.mail_bus(),
            tokens,
            cards: adapters.cards(),
            card_answers: super::cards::CardAnswers::build(adapters),
            template_source: None,
            text_blocks: adapters.text_blocks(),
            text_block_cache: Default::default(),
            contact_info: adapters.contact_info(),
            browsing: adapters.browsing(),
            unite: adapters.unite(),
        }
    }

    /// Lets `template.sync` read templates from the Graph API.
    pub fn with_template_source(
        mut self,
        channels: Arc<crate::channels::ChannelsSource>,
        http: Arc<dyn crate::ports::HttpTransport>,
    ) -> Self {
        self.template_source = Some(super::cards::TemplateSource { channels, http });
        self
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.lifecycle.clock.now()
    }

    pub(crate) fn directory(&self) -> &dyn DirectoryStore {
        self.notifier.directory()
    }

    pub(crate) fn conversations(&self) -> &dyn ConversationStore {
        self.lifecycle.conversations.as_ref()
    }

    pub(crate) fn messages(&self) -> &dyn MessageStore {
        self.lifecycle.messages.as_ref()
    }

    pub(crate) fn connections(&self) -> &dyn ConnectionRegistry {
        self.notifier.connections()
    }

    /// One frame from a client. Every outcome, errors included, is pushed back to
    /// the sending connection; `Err` is returned only for failures worth retrying.
    #[tracing::instrument(skip_all, fields(connection = %connection_id, tenant, action))]
    pub async fn handle_frame(&self, connection_id: &str, body: &str) -> Result<(), ActionError> {
        let now = self.now();
        let Ok(id) = ConnectionId::parse(connection_id) else {
            return Ok(());
        };
        let Some(connection) = self.connections().connection(&id, now).await? else {
            tracing::warn!("frame from an unregistered connection");
            return Ok(());
        };
        let span = tracing::Span::current();
        span.record("tenant", tracing::field::display(&connection.tenant));
        let (request, request_id) = match parse_request(body) {
            Ok(Request { action, request_id }) => (action, request_id),
            Err((err, request_id)) => {
                let caller = Caller {
                    connection,
                    request_id,
                };
                return self.notifier.reply_error(&caller, &err.into()).await;
            }
        };
        let caller = Caller {
            connection,
            request_id,
        };
        let action = request.name();
        span.record("action", action);
        match self.dispatch(&caller, request).await {
            Ok(()) => Ok(()),
            Err(err) => {
                if err.is_internal() {
                    tracing::error!(error = %crate::error::chain(&err), "action failed");
                } else {
                    tracing::info!(code = err.code(), "action refused");
                }
                self.notifier.reply_error(&caller, &err).await?;
                if err.is_internal() {
                    return Err(err);
                }
                Ok(())
            }
        }
    }

    async fn dispatch(&self, caller: &Caller, action: Action) -> Result<(), ActionError> {
        match action {
            Action::Hello => self.hello(caller).await,
            Action::Ping => {
                // An operator's console is alive: routing keeps counting them.
                if let Principal::Operator { id, .. } = &caller.connection.principal {
                    self.directory()
                        .operator_seen(caller.tenant(), id, self.now())
                        .await?;
                }
                self.notifier.reply(caller, &Event::Pong).await
            }
            Action::StartConversation(a) => self.start_conversation(caller, a).await,
            Action::SendMessage(a) => self.send_message(caller, a).await,
            Action::AddNote(a) => self.add_note(caller, a).await,
            Action::Typing(a) => self.typing(caller, a).await,
            Action::History(a) => self.history(caller, a).await,
            Action::ListQueue => self.list_queue(caller).await,
            Action::Preview(a) => self.preview(caller, a).await,
            Action::Accept(a) => self.accept(caller, a).await,
            Action::Close(a) => self.close(caller, a).await,
            Action::SetStatus(a) => self.set_status(caller, a).await,
            Action::UpdateSettings(a) => self.update_settings(caller, a).await,
            Action::PutGroup(a) => self.put_group(caller, a).await,
            Action::ListGroups => self.list_groups(caller).await,
            Action::PutSlaRules(a) => self.put_sla_rules(caller, a).await,
            Action::ListSlaRules => self.list_sla_rules(caller).await,
            Action::Transfer(a) => self.transfer(caller, a).await,
            Action::Redirect(a) => self.redirect(caller, a).await,
            Action::DeclineTransfer(a) => self.decline_transfer(caller, a).await,
            Action::AdminAssign(a) => self.admin_assign(caller, a).await,
            Action::CreateInvitation(a) => self.create_invitation(caller, a).await,
            Action::SubmitOffline(a) => self.submit_offline(caller, a).await,
            Action::OthersConversations(a) => self.others_conversations(caller, a).await,
            Action::RouteWidget(a) => self.route_widget(caller, a).await,
            Action::SetWidgetOrigins(a) => self.set_widget_origins(caller, a).await,
            Action::TagClient(a) => self.tag_client(caller, a).await,
            Action::SearchTextBlocks(a) => self.search_text_blocks(caller, a).await,
            Action::InsertTextBlock(a) => self.insert_text_block(caller, a).await,
            Action::ClientInfo(a) => self.client_info(caller, a).await,
            Action::ViewPage(a) => self.view_page(caller, a).await,
            Action::ClientPages(a) => self.client_pages(caller, a).await,
            Action::SetProgress(a) => self.set_progress(caller, a).await,
            Action::ListConversations(a) => self.list_conversations(caller, a).await,
            Action::SearchConversations(a) => self.search_conversations(caller, a).await,
            Action::TagConversation(a) => self.tag_conversation(caller, a).await,
            Action::ClientPreview(a) => self.client_preview(caller, a).await,
            Action::PlanMerge(a) => self.plan_merge(caller, a).await,
            Action::MergeClients(a) => self.merge_clients(caller, a).await,
            Action::PutCard(a) => self.put_card(caller, *a).await,
            Action::ListCards(a) => self.list_cards(caller, a).await,
            Action::PreviewCard(a) => self.preview_card(caller, a).await,
            Action::SendCard(a) => self.send_card(caller, a).await,
            Action::ResolveCard(a) => self.resolve_card(caller, a).await,
            Action::GetCard(a) => self.get_card(caller, a).await,
            Action::PutTemplate(a) => self.put_template(caller, a).await,
            Action::ListTemplates(a) => self.list_templates(caller, a).await,
            Action::PreviewTemplate(a) => self.preview_template(caller, a).await,
            Action::SendTemplate(a) => self.send_template(caller, a).await,
            Action::SyncTemplates => self.sync_templates(caller).await,
        }
    }

    async fn hello(&self, caller: &Caller) -> Result<(), ActionError> {
        match &caller.connection.principal {
            Principal::Visitor { .. } => self.welcome_visitor(caller).await,
            Principal::Operator { .. } => self.welcome_operator(caller).await,
        }
    }
}
