//! An operator's chat slots, as updates that ride in the accept and close
//! transactions. The capacity rule (`Operator::may_accept`) is decided on the
//! operator as read in the same round trip as the conversation, and each
//! update is conditioned on that read: if anything about the operator changed
//! in between, the transaction fails and the decision is made again. So the
//! rule holds under any concurrency, and the operator's state after a
//! committed change is known exactly without reading it back.

use super::item::{n, s, Item};
use super::DynamoStore;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Update};
use switchboard_domain::{Operator, Timestamp};

/// The operator as read, and their connection count (which changes when a tab
/// opens or closes, so a copy of their connections is never stale).
pub(crate) struct SeenOperator<'a> {
    pub operator: &'a Operator,
    pub connections: u64,
}

impl DynamoStore {
    fn slot_update(&self, key: Item, seen: &SeenOperator<'_>) -> UpdateBuilder {
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .condition_expression(
                "#status = :seen_status AND activeChats = :seen_active \
                 AND inVideo = :seen_video AND connections = :seen_conns",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":seen_status", s(seen.operator.status.as_str()))
            .expression_attribute_values(":seen_active", n(seen.operator.active_chats as u64))
            .expression_attribute_values(
                ":seen_video",
                AttributeValue::Bool(seen.operator.in_video_call),
            )
            .expression_attribute_values(":seen_conns", n(seen.connections))
    }

    /// Takes one slot (and for a video call, the operator's whole attention).
    /// The caller has checked `may_accept` on `seen`.
    pub(crate) fn take_slot(
        &self,
        key: Item,
        seen: &SeenOperator<'_>,
        video: bool,
        now: Timestamp,
    ) -> UpdateBuilder {
        self.slot_update(key, seen)
            .update_expression(
                "SET activeChats = :active, inVideo = :video, lastAssignedAt = :assigned_at",
            )
            .expression_attribute_values(":assigned_at", n(now.millis()))
            .expression_attribute_values(":active", n(seen.operator.active_chats as u64 + 1))
            .expression_attribute_values(":video", AttributeValue::Bool(video))
    }

    /// Gives a slot back, and the video flag with it.
    pub(crate) fn free_slot(
        &self,
        key: Item,
        seen: &SeenOperator<'_>,
        video: bool,
    ) -> UpdateBuilder {
        let in_video = seen.operator.in_video_call && !video;
        self.slot_update(key, seen)
            .update_expression("SET activeChats = :active, inVideo = :video")
            .expression_attribute_values(
                ":active",
                n(seen.operator.active_chats.saturating_sub(1) as u64),
            )
            .expression_attribute_values(":video", AttributeValue::Bool(in_video))
    }
}

/// The operator as a committed take or free left them.
pub(crate) fn after_take(seen: &Operator, video: bool, now: Timestamp) -> Operator {
    let mut after = seen.clone();
    after.active_chats += 1;
    after.in_video_call = video;
    after.last_assigned_at = Some(now);
    after
}

pub(crate) fn after_free(seen: &Operator, video: bool) -> Operator {
    let mut after = seen.clone();
    after.active_chats = after.active_chats.saturating_sub(1);
    after.in_video_call = seen.in_video_call && !video;
    after
}
