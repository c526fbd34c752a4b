//! Browsing history: the widget reports each page the visitor opens; the
//! operator of their active chat sees it at once, and any operator who may
//! open the chat reads the latest pages in the client preview.

use super::frames::Frames;
use super::notify::{Audience, Caller};
use crate::error::ActionError;
use crate::protocol::{ConversationRef, ProtocolError, ViewPage};
use crate::views::{Event, Side};
use switchboard_domain::workspace::PageView;
use switchboard_domain::ConversationStatus;

impl Frames {
    /// Stored without an answer (a page view is frequent and needs none);
    /// a view that cannot be kept is answered with an error naming the
    /// field.
    pub(super) async fn view_page(
        &self,
        caller: &Caller,
        action: ViewPage,
    ) -> Result<(), ActionError> {
        let (visitor, _) = caller.visitor()?;
        let view =
            PageView::parse(&action.url, action.title.as_deref(), self.now()).map_err(|e| {
                ActionError::Protocol(ProtocolError::InvalidField {
                    field: e.field.into(),
                    reason: e.reason,
                })
            })?;
        self.browsing
            .record_page_view(caller.tenant(), visitor, &view)
            .await?;
        if caller.connection.conversation.is_none() {
            return Ok(());
        }
        let conversation = match self.conversation_for(caller, None).await {
            Ok(c) => c,
            Err(ActionError::NoConversation | ActionError::ConversationNotFound) => return Ok(()),
            Err(e) => return Err(e),
        };
        if conversation.status != ConversationStatus::Active {
            return Ok(());
        }
        let event = Event::ClientPage {
            conversation_id: conversation.id.clone(),
            page_view: view,
        };
        self.notifier
            .push_to_side(&conversation, Side::Operator, &event, Audience::everyone())
            .await
    }

    pub(super) async fn client_pages(
        &self,
        caller: &Caller,
        action: ConversationRef,
    ) -> Result<(), ActionError> {
        let conversation = self.openable(caller, &action.conversation_id).await?;
        // A client merged from several web visits browsed as all of them.
        let family = self.client_family(caller.tenant(), &conversation).await?;
        let page_views = self.family_pages(caller.tenant(), &family).await?;
        let event = Event::ClientPages {
            visitor_id: conversation.client_id().clone(),
            page_views,
        };
        self.notifier.reply(caller, &event).await
    }
}
