//! The contact panel: a conversation's client as one view across every
//! channel they wrote from (their own conversation and those merged into
//! them), with merge suggestions for contacts sharing a phone or e-mail.

use super::access::{may_open_given, needs_groups};
use super::frames::Frames;
use super::notify::Caller;
use crate::error::ActionError;
use crate::protocol::ConversationRef;
use crate::views::{ClientChannel, ClientPreview, Event, PastSession};
use switchboard_domain::workspace::unite::{shared_identity, Suggestion};
use switchboard_domain::workspace::{PageView, SearchQuery};
use switchboard_domain::{Conversation, OperatorId, Role, TenantId, Visibility, VisitorId};

/// How many matches a suggestion search looks at.
const SUGGESTION_READ: usize = 20;

impl Frames {
    /// The conversations of `conversation`'s client: theirs first, then
    /// those merged into them.
    pub(super) async fn client_family(
        &self,
        tenant: &TenantId,
        conversation: &Conversation,
    ) -> Result<Vec<Conversation>, ActionError> {
        let client = conversation.client_id().clone();
        let mut family = Vec::new();
        if conversation.client.is_none() {
            family.push(conversation.clone());
        } else if let Some(main) = self
            .conversations()
            .visitor_conversation(tenant, &client)
            .await?
        {
            family.push(main);
        }
        for (_, id) in self.unite.merged_into(tenant, &client).await? {
            if id == conversation.id {
                family.push(conversation.clone());
            } else if let Some(c) = self.conversations().conversation(tenant, &id).await? {
                family.push(c);
            }
        }
        Ok(family)
    }

    /// The newest page views across every visitor id of the client.
    pub(super) async fn family_pages(
        &self,
        tenant: &TenantId,
        family: &[Conversation],
    ) -> Result<Vec<PageView>, ActionError> {
        let mut views = Vec::new();
        for c in family {
            views.extend(self.browsing.page_views(tenant, &c.visitor).await?);
        }
        views.sort_by_key(|v| std::cmp::Reverse(v.at));
        views.truncate(PageView::KEPT);
        Ok(views)
    }

    async fn suggestions(
        &self,
        (me, roles): (&OperatorId, &[Role]),
        tenant: &TenantId,
        family: &[Conversation],
    ) -> Result<Vec<Suggestion>, ActionError> {
        let Some(main) = family.first() else {
            return Ok(Vec::new());
        };
        let mut queries = Vec::new();
        if let Some(phone) = &main.entry.phone {
            queries.extend(SearchQuery::parse(phone).ok());
        }
        if let Some(email) = &main.entry.email {
            queries.extend(SearchQuery::parse(email).ok());
        }
        let ours: Vec<&VisitorId> = family.iter().map(|c| &c.visitor).collect();
        let mut found: Vec<Conversation> = Vec::new();
        for query in queries {
            for c in self
                .conversations()
                .search_conversations(tenant, &query, SUGGESTION_READ)
                .await?
            {
                let other = !ours.contains(&&c.visitor) && c.client.is_none();
                if other && !found.iter().any(|f| f.id == c.id) {
                    found.push(c);
                }
            }
        }
        let groups = match found.iter().any(|c| needs_groups(me, roles, c)) {
            true => self.routing.groups(tenant).await?,
            false => Vec::new(),
        };
        Ok(found
            .into_iter()
            .filter(|c| may_open_given(me, roles, c, &groups))
            .filter_map(|c| {
                let matched = shared_identity(&main.entry, &c.entry)?;
                Some(Suggestion {
                    visitor_id: c.visitor,
                    conversation_id: c.id,
                    channel: c.channel,
                    name: c.entry.name,
                    matched,
                })
            })
            .collect())
    }

    #[tracing::instrument(skip_all, fields(tenant = %caller.tenant(), conversation = %action.conversation_id))]
    pub(super) async fn client_preview(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let (me, _, roles) = caller.operator()?;
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let tenant = caller.tenant();
        let client = conversation.client_id().clone();
        let family = self.client_family(tenant, &conversation).await?;
        let page_views = self.family_pages(tenant, &family).await?;
        let tags = self
            .contacts
            .client_tags(tenant, std::slice::from_ref(&client))
            .await?
            .remove(&client)
            .unwrap_or_default();
        let fields = self.contact_info.info_fields(tenant).await?;
        let mut info = self.contact_info.contact_info(tenant, &client).await?;
        info.retain(|key, _| fields.iter().any(|f| &f.key == key));
        let page = match conversation.last_seq {
            0 => Default::default(),
            _ => {
                self.messages()
                    .messages(tenant, &conversation.id, None, 50)
                    .await?
            }
        };
        let suggestions = self.suggestions((me, roles), tenant, &family).await?;
        let mut sessions: Vec<PastSession> = family
            .iter()
            .flat_map(|c| {
                c.sessions.iter().map(|s| PastSession {
                    conversation_id: c.id.clone(),
                    channel: c.channel,
                    number: s.number,
                    enqueued_at: s.enqueued_at,
                    operator: s.operator.clone(),
                    accepted_at: s.accepted_at,
                    closed_at: s.closed_at,
                    outcome: s.outcome(),
                })
            })
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.enqueued_at));
        let identity = family.first().unwrap_or(&conversation).entry.clone();
        let preview = ClientPreview {
            conversation_id: conversation.id.clone(),
            visitor_id: client,
            name: identity.name,
            phone: identity.phone,
            email: identity.email,
            channels: family
                .iter()
                .map(|c| ClientChannel {
                    channel: c.channel,
                    visitor_id: c.visitor.clone(),
                    conversation_id: c.id.clone(),
                })
                .collect(),
            sessions,
            tags,
            fields,
            info,
            call_parameters: conversation.entry.clone(),
            page_views,
            notes: page
                .messages
                .iter()
                .filter(|m| m.visibility() == Visibility::Operators)
                .cloned()
                .collect(),
            messages: page.messages,
            has_more: page.has_more,
            suggestions,
        };
        self.notifier
            .reply(caller, &Event::ClientPreview(Box::new(preview)))
            .await
    }
}
