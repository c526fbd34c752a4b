//! Unite: one client who wrote from several channels becomes one. Contact B
//! is merged into contact A: B's conversation (its history, notes and
//! channel) becomes A's, and B's name, phone, e-mail, tags and additional
//! information move to A, the operator choosing wherever the two disagree.
//!
//! Messages are never moved. Each conversation stays on its channel,
//! because a reply must go back the way the client wrote; what changes is
//! whose client it is ([`crate::Conversation::client`]). That is what keeps
//! a merge safe against messages arriving on either side while it runs: it
//! writes nothing a message writes.
//!
//! A [`Merge`] keeps both sides as they were, so an admin can undo it and
//! give B back exactly what came from B.

use super::info::InfoValues;
use crate::ids::{ConversationId, OperatorId, TenantId, VisitorId};
use crate::time::Timestamp;
use crate::{Channel, EntryInfo};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// What a merge moves and an undo gives back: one contact as operators
/// know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientCard {
    pub visitor: VisitorId,
    pub conversation: ConversationId,
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub info: InfoValues,
}

impl ClientCard {
    /// The client of a conversation as stored: its entry's identity, and
    /// the tags and information kept for its visitor.
    pub fn of(conversation: &crate::Conversation, tags: Vec<String>, info: InfoValues) -> Self {
        ClientCard {
            visitor: conversation.visitor.clone(),
            conversation: conversation.id.clone(),
            channel: conversation.channel,
            name: conversation.entry.name.clone(),
            phone: conversation.entry.phone.clone(),
            email: conversation.entry.email.clone(),
            tags,
            info,
        }
    }

    /// A contact's identity fields by name, for conflicts and choices.
    fn identity(&self, field: Identity) -> Option<&String> {
        match field {
            Identity::Name => self.name.as_ref(),
            Identity::Phone => self.phone.as_ref(),
            Identity::Email => self.email.as_ref(),
        }
    }

    fn identity_mut(&mut self, field: Identity) -> &mut Option<String> {
        match field {
            Identity::Name => &mut self.name,
            Identity::Phone => &mut self.phone,
            Identity::Email => &mut self.email,
        }
    }

    /// What a conversation of this client is found by in search.
    pub fn search_tokens(&self) -> Vec<String> {
        super::search::identity_tokens(
            self.name.as_deref(),
            self.phone.as_deref(),
            self.email.as_deref(),
        )
    }

    /// The entry with this card's name, phone and e-mail: what the
    /// conversation shows and is searched by.
    pub fn entry_of(&self, entry: &EntryInfo) -> EntryInfo {
        EntryInfo {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            ..entry.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Identity {
    Name,
    Phone,
    Email,
}

const IDENTITIES: [(Identity, &str); 3] = [
    (Identity::Name, "name"),
    (Identity::Phone, "phone"),
    (Identity::Email, "email"),
];

/// Whose value wins a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The contact merged into (A), who stays.
    Into,
    /// The contact merged (B).
    From,
}

/// A field both contacts have, with different values: the operator
/// chooses. `field` is `name`, `phone`, `email` or `info.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub field: String,
    pub into: Value,
    pub from: Value,
}

/// Why a merge cannot be planned as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct MergeError {
    pub field: String,
    pub reason: String,
}

fn same_phone(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    digits(a) == digits(b)
}

fn same(field: Identity, a: &str, b: &str) -> bool {
    match field {
        Identity::Name => a.trim() == b.trim(),
        Identity::Phone => same_phone(a, b),
        Identity::Email => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// Where A and B disagree, in a stable order: identity first, then the
/// additional information by key.
pub fn conflicts(into: &ClientCard, from: &ClientCard) -> Vec<Conflict> {
    let mut out = Vec::new();
    for (field, name) in IDENTITIES {
        if let (Some(a), Some(b)) = (into.identity(field), from.identity(field)) {
            if !same(field, a, b) {
                out.push(Conflict {
                    field: name.into(),
                    into: Value::String(a.clone()),
                    from: Value::String(b.clone()),
                });
            }
        }
    }
    for (key, b) in &from.info {
        if let Some(a) = into.info.get(key) {
            if a != b {
                out.push(Conflict {
                    field: format!("info.{key}"),
                    into: a.clone(),
                    from: b.clone(),
                });
            }
        }
    }
    out
}

/// A merge as recorded: both contacts as they were, what was chosen, who
/// did it and when, and whether it was undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Merge {
    pub id: String,
    pub tenant: TenantId,
    pub into: ClientCard,
    pub from: ClientCard,
    #[serde(default)]
    pub choices: BTreeMap<String, Side>,
    pub by: OperatorId,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone: Option<Undone>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Undone {
    pub by: OperatorId,
    pub at: Timestamp,
}

/// What a merge writes on A, and what its undo takes back: every value A
/// got from B with the one it had before (None: it had none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Taken {
    /// Tags B had and A did not.
    pub tags: Vec<String>,
    /// `info` key, A's value before, B's value.
    pub info: Vec<(String, Option<Value>, Value)>,
}

impl Merge {
    /// Plans a merge of `from` into `into`: every conflict must be chosen,
    /// and a choice must name a conflict.
    ///
    /// # Errors
    /// [`MergeError`] naming `fromConversationId` (the same client) or
    /// `choose.<field>`.
    #[allow(clippy::too_many_arguments)]
    pub fn plan(
        id: String,
        tenant: TenantId,
        into: ClientCard,
        from: ClientCard,
        choices: BTreeMap<String, Side>,
        by: OperatorId,
        at: Timestamp,
    ) -> Result<Merge, MergeError> {
        if into.visitor == from.visitor || into.conversation == from.conversation {
            return Err(MergeError {
                field: "fromConversationId".into(),
                reason: "is the same client; a contact cannot be merged into itself".into(),
            });
        }
        let open = conflicts(&into, &from);
        if let Some(c) = open.iter().find(|c| !choices.contains_key(&c.field)) {
            return Err(MergeError {
                field: format!("choose.{}", c.field),
                reason: format!(
                    "the contacts disagree ({} or {}): choose \"into\" or \"from\"",
                    c.into, c.from
                ),
            });
        }
        if let Some(extra) = choices
            .keys()
            .find(|k| !open.iter().any(|c| &c.field == *k))
        {
            return Err(MergeError {
                field: format!("choose.{extra}"),
                reason: "is not a field the contacts disagree on".into(),
            });
        }
        Ok(Merge {
            id,
            tenant,
            into,
            from,
            choices,
            by,
            at,
            undone: None,
        })
    }

    fn wins_from(&self, field: &str) -> bool {
        self.choices.get(field) == Some(&Side::From)
    }

    /// A as the merge leaves them.
    pub fn result(&self) -> ClientCard {
        let mut out = self.into.clone();
        for (field, name) in IDENTITIES {
            let theirs = self.from.identity(field).cloned();
            let slot = out.identity_mut(field);
            if theirs.is_some() && (slot.is_none() || self.wins_from(name)) {
                *slot = theirs;
            }
        }
        let taken = self.taken();
        out.tags.extend(taken.tags);
        out.tags.sort();
        out.tags.dedup();
        for (key, _, value) in taken.info {
            out.info.insert(key, value);
        }
        out
    }

    /// What A gets from B.
    pub fn taken(&self) -> Taken {
        let tags = self
            .from
            .tags
            .iter()
            .filter(|t| !self.into.tags.contains(t))
            .take(crate::MAX_TAGS.saturating_sub(self.into.tags.len()))
            .cloned()
            .collect();
        let info = self
            .from
            .info
            .iter()
            .filter_map(|(key, value)| match self.into.info.get(key) {
                None => Some((key.clone(), None, value.clone())),
                Some(mine) if mine != value && self.wins_from(&format!("info.{key}")) => {
                    Some((key.clone(), Some(mine.clone()), value.clone()))
                }
                Some(_) => None,
            })
            .collect();
        Taken { tags, info }
    }

    /// A's identity after an undo: each field the merge took from B goes
    /// back to what A had.
    pub fn identity_after_undo(&self, current: &ClientCard) -> ClientCard {
        let result = self.result();
        let mut out = current.clone();
        for (field, _) in IDENTITIES {
            if result.identity(field) != self.into.identity(field)
                && current.identity(field) == result.identity(field)
            {
                *out.identity_mut(field) = self.into.identity(field).cloned();
            }
        }
        out
    }
}

/// Two contacts of a tenant share a phone number or an e-mail address:
/// operators are offered to merge them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub visitor_id: VisitorId,
    pub conversation_id: ConversationId,
    pub channel: Channel,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `phone` or `email`.
    pub matched: &'static str,
}

/// Whether another contact's entry shares `entry`'s phone (digits) or
/// e-mail (case ignored), and which.
pub fn shared_identity(entry: &EntryInfo, other: &EntryInfo) -> Option<&'static str> {
    let phones = entry.phone.as_deref().zip(other.phone.as_deref());
    if phones.is_some_and(|(a, b)| {
        same_phone(a, b) && a.chars().filter(char::is_ascii_digit).count() >= 6
    }) {
        return Some("phone");
    }
    let emails = entry.email.as_deref().zip(other.email.as_deref());
    if emails.is_some_and(|(a, b)| same(Identity::Email, a, b)) {
        return Some("email");
    }
    None
}

#[cfg(test)]
#[path = "unite_tests.rs"]
mod tests;
