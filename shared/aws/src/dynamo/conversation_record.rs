//! How a conversation's nested parts are stored: the entry information and
//! the sessions in its `META` item, and each `EVT#` entry of its timeline.
//! They are records of their own rather than the domain's serde (which is
//! what clients are sent), so the protocol can change without a data
//! migration and the other way round. Entry and sessions are written as
//! DynamoDB maps and lists (serde_dynamo); items from before hold the same
//! shapes as JSON strings and still read.

use super::item::Item;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{
    ClosedBy, EntryInfo, EntryType, OperatorId, PendingTransfer, Session, Timestamp,
};

pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub(crate) fn operator(raw: String) -> StoreResult<OperatorId> {
    OperatorId::parse(raw).map_err(corrupt)
}

/// A record as a DynamoDB attribute.
pub(crate) fn to_attribute<T: Serialize>(record: &T) -> StoreResult<AttributeValue> {
    serde_dynamo::to_attribute_value(record).map_err(corrupt)
}

/// A record from an attribute: a map or list, or (items from before
/// records) the same shape as a JSON string. None if absent.
pub(crate) fn from_attribute<T: DeserializeOwned>(
    item: &Item,
    name: &str,
) -> StoreResult<Option<T>> {
    match item.get(name) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(AttributeValue::S(json)) => serde_json::from_str(json).map(Some).map_err(corrupt),
        Some(value) => serde_dynamo::from_attribute_value(value.clone())
            .map(Some)
            .map_err(corrupt),
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum EntryTypeRecord {
    Chat,
    Video,
    Callback,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EntryRecord {
    #[serde(rename = "type")]
    entry_type: EntryTypeRecord,
    language: String,
    browser: String,
    os: String,
    widget: String,
    page_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

impl From<&EntryInfo> for EntryRecord {
    fn from(e: &EntryInfo) -> Self {
        EntryRecord {
            entry_type: match e.entry_type {
                EntryType::Chat => EntryTypeRecord::Chat,
                EntryType::Video => EntryTypeRecord::Video,
                EntryType::Callback => EntryTypeRecord::Callback,
            },
            language: e.language.clone(),
            browser: e.browser.clone(),
            os: e.os.clone(),
            widget: e.widget.clone(),
            page_url: e.page_url.clone(),
            name: e.name.clone(),
            phone: e.phone.clone(),
            email: e.email.clone(),
        }
    }
}

impl From<EntryRecord> for EntryInfo {
    fn from(r: EntryRecord) -> Self {
        EntryInfo {
            entry_type: match r.entry_type {
                EntryTypeRecord::Chat => EntryType::Chat,
                EntryTypeRecord::Video => EntryType::Video,
                EntryTypeRecord::Callback => EntryType::Callback,
            },
            language: r.language,
            browser: r.browser,
            os: r.os,
            widget: r.widget,
            page_url: r.page_url,
            name: r.name,
            phone: r.phone,
            email: r.email,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub(crate) enum ClosedByRecord {
    Visitor,
    Operator(String),
}

impl From<&ClosedBy> for ClosedByRecord {
    fn from(c: &ClosedBy) -> Self {
        match c {
            ClosedBy::Visitor => ClosedByRecord::Visitor,
            ClosedBy::Operator(op) => ClosedByRecord::Operator(op.to_string()),
        }
    }
}

impl TryFrom<ClosedByRecord> for ClosedBy {
    type Error = StoreError;
    fn try_from(r: ClosedByRecord) -> StoreResult<Self> {
        Ok(match r {
            ClosedByRecord::Visitor => ClosedBy::Visitor,
            ClosedByRecord::Operator(op) => ClosedBy::Operator(operator(op)?),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionRecord {
    number: u32,
    enqueued_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accepted_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_by: Option<ClosedByRecord>,
    #[serde(default)]
    first_seq: u64,
}

pub(crate) fn session_records(sessions: &[Session]) -> Vec<SessionRecord> {
    sessions
        .iter()
        .map(|s| SessionRecord {
            number: s.number,
            enqueued_at: s.enqueued_at.millis(),
            operator: s.operator.as_ref().map(|o| o.to_string()),
            accepted_at: s.accepted_at.map(|t| t.millis()),
            closed_at: s.closed_at.map(|t| t.millis()),
            closed_by: s.closed_by.as_ref().map(ClosedByRecord::from),
            first_seq: s.first_seq,
        })
        .collect()
}

pub(crate) fn sessions_from(records: Vec<SessionRecord>) -> StoreResult<Vec<Session>> {
    records
        .into_iter()
        .map(|r| {
            Ok(Session {
                number: r.number,
                enqueued_at: Timestamp(r.enqueued_at),
                operator: r.operator.map(operator).transpose()?,
                accepted_at: r.accepted_at.map(Timestamp),
                closed_at: r.closed_at.map(Timestamp),
                closed_by: r.closed_by.map(ClosedBy::try_from).transpose()?,
                first_seq: r.first_seq,
                // Kept beside the list (`fr{number}`), read in by the codec.
                first_response_at: None,
            })
        })
        .collect()
}

/// A transfer to one operator awaiting their answer, in `META`'s
/// `pendingTransfer` (a map).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PendingTransferRecord {
    from: String,
    to: String,
    deadline: u64,
}

impl From<&PendingTransfer> for PendingTransferRecord {
    fn from(p: &PendingTransfer) -> Self {
        PendingTransferRecord {
            from: p.from.to_string(),
            to: p.to.to_string(),
            deadline: p.deadline.millis(),
        }
    }
}

impl TryFrom<PendingTransferRecord> for PendingTransfer {
    type Error = StoreError;
    fn try_from(r: PendingTransferRecord) -> StoreResult<Self> {
        Ok(PendingTransfer {
            from: OperatorId::parse(r.from).map_err(corrupt)?,
            to: OperatorId::parse(r.to).map_err(corrupt)?,
            deadline: Timestamp(r.deadline),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_sessions_written_before_records_still_read() {
        let mut item = Item::new();
        item.insert(
            "entry".into(),
            AttributeValue::S(
                r#"{"type":"video","language":"de","browser":"Firefox","os":"Linux","widget":"Shop","pageUrl":"https://x","name":"Grace"}"#.into(),
            ),
        );
        item.insert(
            "sessions".into(),
            AttributeValue::S(
                r#"[{"number":1,"enqueuedAt":5,"operator":"ann","acceptedAt":6,"closedAt":7,"closedBy":{"kind":"operator","id":"ann"}}]"#.into(),
            ),
        );
        let entry: EntryInfo = from_attribute::<EntryRecord>(&item, "entry")
            .unwrap()
            .unwrap()
            .into();
        assert_eq!(entry.entry_type, EntryType::Video);
        assert_eq!(entry.name.as_deref(), Some("Grace"));
        let sessions = sessions_from(from_attribute(&item, "sessions").unwrap().unwrap()).unwrap();
        assert_eq!(
            sessions[0].closed_by,
            Some(ClosedBy::Operator(OperatorId::parse("ann").unwrap()))
        );
        // Written now, they are maps and lists, and read back the same.
        item.insert(
            "entry".into(),
            to_attribute(&EntryRecord::from(&entry)).unwrap(),
        );
        item.insert(
            "sessions".into(),
            to_attribute(&session_records(&sessions)).unwrap(),
        );
        assert!(matches!(item["entry"], AttributeValue::M(_)));
        assert!(matches!(item["sessions"], AttributeValue::L(_)));
        let again: EntryInfo = from_attribute::<EntryRecord>(&item, "entry")
            .unwrap()
            .unwrap()
            .into();
        assert_eq!(again, entry);
        assert_eq!(
            sessions_from(from_attribute(&item, "sessions").unwrap().unwrap()).unwrap(),
            sessions
        );
    }
}
