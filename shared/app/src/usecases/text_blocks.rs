//! `#` in the console: the tenant's text blocks searched as the operator
//! types, and a chosen block's text with its placeholders filled for the
//! conversation at hand.
//!
//! A function keeps each tenant's blocks folded in memory and checks the
//! tenant's version before every search (one read), so a search costs no
//! more than that read until an admin changes a block.

use super::frames::Frames;
use super::notify::Caller;
use crate::error::ActionError;
use crate::ports::{StoreResult, TextBlockStore};
use crate::protocol::{InsertTextBlock, ProtocolError, SearchTextBlocks};
use crate::views::Event;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use switchboard_domain::workspace::{text_blocks::fill, InfoField, Placeholder, TextBlockIndex};
use switchboard_domain::{Channel, TenantId};

const DEFAULT_RESULTS: u64 = 10;
const MAX_RESULTS: u64 = 20;
const MAX_QUERY: usize = 100;

/// A tenant's folded blocks and the version they were read under.
type Cached = (u64, Arc<TextBlockIndex>);

/// Each tenant's blocks as last read, with the version they were read at.
#[derive(Clone, Default)]
pub struct TextBlockCache {
    tenants: Arc<Mutex<HashMap<TenantId, Cached>>>,
}

impl TextBlockCache {
    /// The tenant's index, read again only when their version moved.
    pub async fn index(
        &self,
        store: &dyn TextBlockStore,
        tenant: &TenantId,
    ) -> StoreResult<Arc<TextBlockIndex>> {
        let version = store.text_blocks_version(tenant).await?;
        if let Some((seen, index)) = self.lock().get(tenant) {
            if *seen == version {
                return Ok(index.clone());
            }
        }
        let blocks = store.all_text_blocks(tenant).await?;
        let index = Arc::new(TextBlockIndex::new(blocks));
        self.lock().insert(tenant.clone(), (version, index.clone()));
        Ok(index)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TenantId, Cached>> {
        // A panic elsewhere while holding it leaves a map still worth using.
        self.tenants.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn invalid(field: &str, reason: impl Into<String>) -> ActionError {
    ActionError::Protocol(ProtocolError::InvalidField {
        field: field.into(),
        reason: reason.into(),
    })
}

impl Frames {
    pub(super) async fn search_text_blocks(
        &self,
        caller: &Caller,
        action: SearchTextBlocks,
    ) -> Result<(), ActionError> {
        caller.operator()?;
        if action.query.chars().count() > MAX_QUERY {
            return Err(invalid("query", format!("at most {MAX_QUERY} characters")));
        }
        let limit = action.limit.unwrap_or(DEFAULT_RESULTS);
        if !(1..=MAX_RESULTS).contains(&limit) {
            return Err(invalid("limit", format!("must be 1 to {MAX_RESULTS}")));
        }
        let language = match (&action.language, &action.conversation_id) {
            (Some(language), _) => Some(language.clone()),
            (None, Some(id)) => {
                let conversation = self.openable(caller, id).await?;
                Some(conversation.entry.language.clone()).filter(|l| !l.is_empty())
            }
            (None, None) => None,
        };
        let index = self
            .text_block_cache
            .index(self.text_blocks.as_ref(), caller.tenant())
            .await?;
        let blocks = index
            .search(&action.query, language.as_deref(), limit as usize)
            .into_iter()
            .cloned()
            .collect();
        let event = Event::TextBlocks {
            query: action.query,
            language,
            blocks,
        };
        self.notifier.reply(caller, &event).await
    }

    pub(super) async fn insert_text_block(
        &self,
        caller: &Caller,
        action: InsertTextBlock,
    ) -> Result<(), ActionError> {
        let (_, my_name, _) = caller.operator()?;
        let conversation = self.openable(caller, &action.conversation_id).await?;
        let tenant = caller.tenant();
        let block = self
            .text_blocks
            .text_block(tenant, &action.block_id)
            .await?
            .ok_or_else(|| invalid("blockId", "no such text block"))?;
        let wants_contact = block.text.contains("{contact.");
        let wants_info = block.text.contains("{info.");
        let contact = match wants_contact && conversation.channel != Channel::WebChat {
            true => self.contacts.contact(tenant, &conversation.visitor).await?,
            false => None,
        };
        let (fields, info) = match wants_info {
            true => (
                self.contact_info.info_fields(tenant).await?,
                self.contact_info
                    .contact_info(tenant, conversation.client_id())
                    .await?,
            ),
            false => Default::default(),
        };
        let profile = contact.as_ref().map(|c| &c.profile);
        let filled = fill(&block.text, |placeholder| match placeholder {
            Placeholder::ContactName => conversation
                .entry
                .name
                .clone()
                .or_else(|| profile.and_then(|p| p.contact_name.clone())),
            Placeholder::ContactPhone => conversation
                .entry
                .phone
                .clone()
                .or_else(|| profile.and_then(|p| p.contact_phone.clone())),
            Placeholder::OperatorName => Some(my_name.to_string()),
            // Only a field still defined: a deleted one is flagged.
            Placeholder::Info(key) => fields
                .iter()
                .any(|f: &InfoField| &f.key == key)
                .then(|| info.get(key).map(InfoField::display))
                .flatten(),
        });
        let event = Event::TextBlockFilled {
            block_id: block.id,
            conversation_id: conversation.id,
            text: filled.text,
            unfilled: filled.unfilled,
        };
        self.notifier.reply(caller, &event).await
    }
}
