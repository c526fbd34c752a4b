//! The `MSG#` item as a storage record of its own, mapped by `serde_dynamo`.
//! The wire format of a message (`switchboard_domain::Message` as the
//! protocol shows it) can change without a data migration, and the record
//! can change without touching the protocol: `v` says which shape an item
//! has. Receipts update `delivery` in place instead of rewriting the message.
//!
//! Items written before records existed carry the whole message as a JSON
//! `body`; they are read as they are, with any `delivery` or `externalId`
//! written since laid over them.

use super::content_record::{AuthorRecord, ContentRecord};
use super::delivery_record::DeliveryRecord;
use super::item::{get_s, json, opt_n, Item};
use serde::{Deserialize, Serialize};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{
    Author, ClientMessageId, Content, ConversationId, Delivery, Message, Timestamp,
};

/// The shape written today.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct MessageRecord {
    v: u32,
    conversation: String,
    seq: u64,
    #[serde(rename = "clientId")]
    client_id: String,
    author: AuthorRecord,
    content: ContentRecord,
    #[serde(rename = "createdAt")]
    created_at: u64,
    #[serde(
        rename = "externalId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delivery: Option<DeliveryRecord>,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// The record's attributes for a new `MSG#` item (keys added by the caller).
pub(crate) fn message_item(message: &Message) -> StoreResult<Item> {
    serde_dynamo::to_item(MessageRecord {
        v: VERSION,
        conversation: message.conversation.to_string(),
        seq: message.seq,
        client_id: message.client_id.to_string(),
        author: AuthorRecord::from(&message.author),
        content: ContentRecord::from(&message.content),
        created_at: message.created_at.millis(),
        external_id: message.external_id.clone(),
        delivery: message.delivery.as_ref().map(DeliveryRecord::from),
    })
    .map_err(corrupt)
}

/// A `delivery` attribute value, for the receipt's in-place update.
pub(crate) fn delivery_value(
    delivery: &Delivery,
) -> StoreResult<aws_sdk_dynamodb::types::AttributeValue> {
    serde_dynamo::to_attribute_value(DeliveryRecord::from(delivery)).map_err(corrupt)
}

fn delivery_from(value: &aws_sdk_dynamodb::types::AttributeValue) -> StoreResult<Delivery> {
    let record: DeliveryRecord =
        serde_dynamo::from_attribute_value(value.clone()).map_err(corrupt)?;
    Delivery::try_from(record)
}

pub(crate) fn message_from(item: &Item) -> StoreResult<Message> {
    if item.contains_key("body") {
        let mut legacy: Message = json(get_s(item, "body")?)?;
        if let Some(value) = item.get("delivery") {
            legacy.delivery = Some(delivery_from(value)?);
        }
        if let Some(external) = super::item::opt_s(item, "externalId") {
            legacy.external_id = Some(external.to_string());
        }
        return Ok(legacy);
    }
    let record: MessageRecord = serde_dynamo::from_item(item.clone()).map_err(corrupt)?;
    if record.v > VERSION {
        return Err(StoreError::Corrupt(format!(
            "message record v{} is newer than this code (v{VERSION})",
            record.v
        )));
    }
    Ok(Message {
        conversation: ConversationId::parse(record.conversation).map_err(corrupt)?,
        seq: record.seq,
        client_id: ClientMessageId::parse(record.client_id).map_err(corrupt)?,
        author: Author::try_from(record.author)?,
        content: Content::try_from(record.content)?,
        created_at: Timestamp(record.created_at),
        external_id: record.external_id,
        delivery: record.delivery.map(Delivery::try_from).transpose()?,
    })
}

/// The optimistic version of an item's delivery, 0 before the first receipt.
pub(crate) fn delivery_version(item: &Item) -> StoreResult<u64> {
    Ok(opt_n(item, "deliveryVersion")?.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::AttributeValue;
    use switchboard_domain::{DeliveryState, MessageText, VisitorId};

    fn message() -> Message {
        Message {
            conversation: ConversationId::parse("c1").unwrap(),
            seq: 7,
            client_id: ClientMessageId::parse("m7").unwrap(),
            author: Author::Visitor(VisitorId::parse("v1").unwrap()),
            content: Content::text(MessageText::parse("hello").unwrap()),
            created_at: Timestamp(42),
            external_id: Some("wamid.7".into()),
            delivery: Some(Delivery::queued(Timestamp(43))),
        }
    }

    #[test]
    fn a_record_round_trips_with_named_attributes() {
        let item = message_item(&message()).unwrap();
        assert_eq!(item.get("v"), Some(&AttributeValue::N("1".into())));
        assert_eq!(item.get("clientId"), Some(&AttributeValue::S("m7".into())));
        assert!(matches!(item.get("delivery"), Some(AttributeValue::M(_))));
        assert!(!item.contains_key("body"));
        assert_eq!(message_from(&item).unwrap(), message());
    }

    #[test]
    fn an_item_from_before_records_reads_with_later_receipts_laid_over() {
        let legacy = serde_json::json!({
            "conversation": "c1", "seq": 7, "clientId": "m7",
            "author": {"kind": "visitor", "id": "v1"}, "text": "hello", "createdAt": 42
        });
        let mut item = Item::from([("body".to_string(), AttributeValue::S(legacy.to_string()))]);
        let read = message_from(&item).unwrap();
        assert_eq!(
            read.content,
            Content::text(MessageText::parse("hello").unwrap())
        );
        let mut receipt = Delivery::queued(Timestamp(50));
        receipt.state = DeliveryState::Read;
        item.insert("delivery".into(), delivery_value(&receipt).unwrap());
        item.insert("externalId".into(), AttributeValue::S("wamid.7".into()));
        let read = message_from(&item).unwrap();
        assert_eq!(read.delivery, Some(receipt));
        assert_eq!(read.external_id.as_deref(), Some("wamid.7"));
    }

    #[test]
    fn a_record_from_newer_code_is_refused_not_misread() {
        let mut item = message_item(&message()).unwrap();
        item.insert("v".into(), AttributeValue::N("2".into()));
        assert!(message_from(&item).is_err());
    }
}
