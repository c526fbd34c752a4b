//! A client's additional information in the console: read with the
//! tenant's fields, and changed field by field, each value checked against
//! its field and a required field never left empty.

use super::frames::Frames;
use super::notify::Caller;
use crate::error::ActionError;
use crate::protocol::{ClientInfo, ProtocolError};
use crate::views::Event;
use switchboard_domain::workspace::info::change;

impl Frames {
    pub(super) async fn client_info(
        &self,
        caller: &Caller,
        action: ClientInfo,
    ) -> Result<(), ActionError> {
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let (tenant, visitor) = (caller.tenant(), conversation.client_id());
        let fields = self.contact_info.info_fields(tenant).await?;
        let mut values = self.contact_info.contact_info(tenant, visitor).await?;
        if let Some(requested) = &action.values {
            let (set, remove) = change(&fields, &values, requested).map_err(|e| {
                ActionError::Protocol(ProtocolError::InvalidField {
                    field: e.field,
                    reason: e.reason,
                })
            })?;
            values = self
                .contact_info
                .change_contact_info(tenant, visitor, &set, &remove)
                .await?;
        }
        // Keys no field defines any more are kept, not shown.
        values.retain(|key, _| fields.iter().any(|f| &f.key == key));
        let event = Event::ClientInfo {
            visitor_id: visitor.clone(),
            fields,
            values,
        };
        self.notifier.reply(caller, &event).await
    }
}
