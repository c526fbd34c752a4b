//! The inbound consumer's use case: each normalized channel event applied
//! once, however often SQS delivers it. Contacts are merged, messages stored
//! under a client id derived from the provider's id, receipts only move a
//! delivery forward, and typing and closes reach the operator.

use super::{contact_visitor_id, entry_for, message_text, millis_or, provider_client_id};
use crate::adapters::Adapters;
use crate::error::ActionError;
use crate::ports::{CardBus, ContactStore, ConversationError, DeliveryStore, RoutingStore};
use crate::usecases::lifecycle::Lifecycle;
use crate::usecases::notify::{Audience, Notifier};
use crate::views::{Event, Side};
use std::sync::Arc;
use switchboard_domain::cards::render::reply::{card_reply, CardReply};
use switchboard_domain::cards::CardSubmission;
use switchboard_domain::{
    Author, Channel, ChannelEvent, Contact, Content, Conversation, EchoMessage, GroupId,
    InboundEnvelope, InboundMessage, NewMessage, TenantId, Timestamp, TransitionError, TypingState,
};

/// The `channel-inbound` function's use cases.
#[derive(Clone)]
pub struct Ingest {
    pub notifier: Notifier,
    pub lifecycle: Lifecycle,
    pub contacts: Arc<dyn ContactStore>,
    pub delivery: Arc<dyn DeliveryStore>,
    /// Whether the group an account routes to exists, before a new
    /// conversation waits in its queue.
    pub routing: Arc<dyn RoutingStore>,
    /// A client's reply that answers a card goes on to the card function.
    pub cards: Arc<dyn CardBus>,
    /// Apple's large interactive replies are fetched and decoded with these.
    pub data_refs: Option<super::data_ref::DataRefs>,
    /// WhatsApp's Edit tap on a card is answered with its form's link.
    pub card_links: Option<super::card_links::CardLinks>,
}

impl Ingest {
    pub fn build(adapters: &dyn Adapters) -> Self {
        Ingest {
            notifier: Notifier::build(adapters),
            lifecycle: Lifecycle::build(adapters),
            contacts: adapters.contacts(),
            delivery: adapters.delivery(),
            routing: adapters.routing(),
            cards: adapters.card_bus(),
            data_refs: None,
            card_links: None,
        }
    }

    /// Lets the consumer answer a card's Edit tap with a link to its form
    /// on the HTTP API at `public_url`.
    pub fn with_card_links(
        mut self,
        adapters: &dyn Adapters,
        tokens: crate::auth::TokenService,
        public_url: String,
    ) -> Self {
        self.card_links = Some(super::card_links::CardLinks {
            tokens,
            public_url: public_url.trim_end_matches('/').to_string(),
            outbound: adapters.outbound_bus(),
        });
        self
    }

    /// Lets the consumer resolve Apple's `interactiveDataRef` replies.
    pub fn with_data_refs(
        mut self,
        channels: Arc<crate::channels::ChannelsSource>,
        http: Arc<dyn crate::ports::HttpTransport>,
    ) -> Self {
        self.data_refs = Some(super::data_ref::DataRefs { channels, http });
        self
    }

    pub(super) fn now(&self) -> Timestamp {
        self.lifecycle.clock.now()
    }

    /// One normalized event, applied once.
    #[tracing::instrument(skip_all, fields(tenant = %envelope.tenant, channel = ?envelope.event.channel()))]
    pub async fn ingest(&self, envelope: &InboundEnvelope) -> Result<(), ActionError> {
        let tenant = &envelope.tenant;
        let group = envelope.group.clone().unwrap_or_default();
        match &envelope.event {
            ChannelEvent::MessageReceived(m) | ChannelEvent::InteractiveReply(m) => {
                self.ingest_message(tenant, &group, m, envelope.received_at)
                    .await
            }
            ChannelEvent::Status(s) => self.ingest_status(tenant, s).await,
            ChannelEvent::Echo(e) => {
                self.ingest_echo(tenant, &group, e, envelope.received_at)
                    .await
            }
            ChannelEvent::Typing {
                channel,
                account_id,
                contact_id,
                state,
                ..
            } => {
                self.ingest_typing(tenant, *channel, account_id, contact_id, *state)
                    .await
            }
            ChannelEvent::Closed {
                channel,
                account_id,
                contact_id,
                ..
            } => {
                self.ingest_close(tenant, *channel, account_id, contact_id)
                    .await
            }
            ChannelEvent::Unhandled { channel, kind, .. } => {
                tracing::info!(?channel, kind, "channel event not handled");
                Ok(())
            }
        }
    }

    /// The contact's conversation: the current one (closed or not: a message
    /// reopens it when stored), or a new one.
    pub(super) async fn channel_conversation(
        &self,
        contact: &Contact,
        group: &GroupId,
    ) -> Result<Conversation, ActionError> {
        if let Some(current) = self
            .lifecycle
            .conversations
            .visitor_conversation(&contact.tenant, &contact.visitor)
            .await?
        {
            return Ok(current);
        }
        let group = self.queue_for(&contact.tenant, group).await?;
        let outcome = self
            .lifecycle
            .start(
                &contact.tenant,
                &contact.visitor,
                contact.channel,
                entry_for(contact),
                &group,
            )
            .await?;
        Ok(outcome.conversation().clone())
    }

    /// The account's group if the tenant has it; otherwise the default
    /// group, so a binding naming a group nobody defined (a typo in the
    /// channel configuration) strands no one in a queue nobody sees.
    async fn queue_for(&self, tenant: &TenantId, group: &GroupId) -> Result<GroupId, ActionError> {
        if group.is_default() {
            return Ok(group.clone());
        }
        if self
            .routing
            .groups(tenant)
            .await?
            .iter()
            .any(|g| g.id == *group)
        {
            return Ok(group.clone());
        }
        tracing::warn!(group = %group, "channel account routes to an undefined group; using the default group");
        Ok(GroupId::default_group())
    }

    async fn store_channel_message(
        &self,
        contact: &Contact,
        group: &GroupId,
        message: NewMessage,
    ) -> Result<(), ActionError> {
        let conversation = self.channel_conversation(contact, group).await?;
        let (conversation, appended) = self
            .lifecycle
            .append_or_reopen(conversation, message)
            .await?;
        if appended.duplicate {
            tracing::info!(conversation = %conversation.id, "provider retry of a stored message");
            return Ok(());
        }
        let event = Event::Message {
            message: appended.message,
        };
        self.notifier
            .push_to_participants(&conversation, &event, Audience::everyone())
            .await
    }

    async fn ingest_message(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        m: &InboundMessage,
        received_at: Timestamp,
    ) -> Result<(), ActionError> {
        let resolved = self.resolve_data_ref(m).await?;
        let m = resolved.as_ref().unwrap_or(m);
        let visitor = contact_visitor_id(m.channel, &m.account_id, &m.contact_id)?;
        let contact = self
            .contacts
            .save_contact(&Contact {
                tenant: tenant.clone(),
                visitor: visitor.clone(),
                channel: m.channel,
                account_id: m.account_id.clone(),
                contact_id: m.contact_id.clone(),
                profile: m.profile.clone(),
                last_inbound_at: Some(millis_or(m.timestamp, received_at)),
            })
            .await?;
        let mut message = NewMessage::new(
            provider_client_id(m.channel, &m.external_id)?,
            Author::Visitor(visitor),
            Content::inbound(
                message_text(m.text.as_deref()),
                m.attachments.clone(),
                m.reply.clone(),
                m.unsupported,
            ),
            self.now(),
        );
        message.external_id = Some(m.external_id.clone());
        self.store_channel_message(&contact, group, message).await?;
        // After the reply is stored, and again on every redelivery: the card
        // function lets the first answer win, so passing it on twice is
        // harmless and never passing it on is not.
        if let Some(answer) = m.reply.as_ref().and_then(card_reply) {
            match answer {
                CardReply::Answer {
                    instance,
                    outcome,
                    values,
                } => {
                    self.cards
                        .publish_card(&CardSubmission {
                            tenant: tenant.clone(),
                            instance,
                            visitor: contact.visitor.clone(),
                            outcome,
                            values,
                        })
                        .await?;
                }
                CardReply::Edit { instance } => {
                    self.send_card_link(&contact, group, &instance, &m.external_id)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// Messages the business sent from another app join the conversation on the
    /// business side; our own sends coming back are recognised and skipped.
    async fn ingest_echo(
        &self,
        tenant: &TenantId,
        group: &GroupId,
        e: &EchoMessage,
        received_at: Timestamp,
    ) -> Result<(), ActionError> {
        if e.metadata.as_deref().is_some_and(|m| m.starts_with("sb:")) {
            return Ok(());
        }
        let visitor = contact_visitor_id(e.channel, &e.account_id, &e.contact_id)?;
        let existing = self
            .lifecycle
            .conversations
            .visitor_conversation(tenant, &visitor)
            .await?;
        if let Some(c) = &existing {
            if self
                .delivery
                .message_by_external_id(tenant, &c.id, &e.external_id)
                .await?
                .is_some()
            {
                return Ok(());
            }
        }
        let contact = self
            .contacts
            .save_contact(&Contact {
                tenant: tenant.clone(),
                visitor,
                channel: e.channel,
                account_id: e.account_id.clone(),
                contact_id: e.contact_id.clone(),
                profile: Default::default(),
                // The business writing does not open WhatsApp's window; only the client does.
                last_inbound_at: None,
            })
            .await?;
        let mut message = NewMessage::new(
            provider_client_id(e.channel, &e.external_id)?,
            Author::Business(
                e.source_app_id
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "external".into()),
            ),
            Content::inbound(
                message_text(e.text.as_deref()),
                e.attachments.clone(),
                None,
                false,
            ),
            millis_or(e.timestamp, received_at),
        );
        message.external_id = Some(e.external_id.clone());
        self.store_channel_message(&contact, group, message).await
    }

    pub(super) async fn contact_conversation(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
    ) -> Result<Option<Conversation>, ActionError> {
        let visitor = contact_visitor_id(channel, account, contact)?;
        Ok(self
            .lifecycle
            .conversations
            .visitor_conversation(tenant, &visitor)
            .await?)
    }

    async fn ingest_typing(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
        state: TypingState,
    ) -> Result<(), ActionError> {
        let Some(conversation) = self
            .contact_conversation(tenant, channel, account, contact)
            .await?
        else {
            return Ok(());
        };
        if conversation.status != switchboard_domain::ConversationStatus::Active {
            return Ok(());
        }
        let event = Event::Typing {
            conversation_id: conversation.id.clone(),
            from: Side::Visitor,
            typing: state == TypingState::Start,
        };
        self.notifier
            .push_to_side(&conversation, Side::Operator, &event, Audience::everyone())
            .await
    }

    /// The client ended the conversation on their device (Apple's `close`).
    async fn ingest_close(
        &self,
        tenant: &TenantId,
        channel: Channel,
        account: &str,
        contact: &str,
    ) -> Result<(), ActionError> {
        let Some(conversation) = self
            .contact_conversation(tenant, channel, account, contact)
            .await?
        else {
            return Ok(());
        };
        match self
            .lifecycle
            .conversations
            .close(tenant, &conversation.id, None, self.now())
            .await
        {
            Ok(closed) => {
                self.lifecycle
                    .announce_close(&self.notifier, closed, Side::Visitor, Audience::everyone())
                    .await
            }
            Err(ConversationError::Transition(TransitionError::AlreadyClosed)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
