//! An operator's chat slots, as updates that ride in the accept and close
//! transactions. The capacity rule of `Operator::may_accept` is written here
//! as a condition on the operator item, so it holds under any concurrency.

use super::item::{n, s};
use super::keys;
use super::DynamoStore;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, Update};
use switchboard_domain::{Capacity, OperatorId, TenantId};

impl DynamoStore {
    /// Takes one slot: online, not in a video call, below `capacity`, and for
    /// a video call, no other chat at all.
    pub(crate) fn take_slot(
        &self,
        operator_key: super::item::Item,
        video: bool,
        capacity: Capacity,
    ) -> UpdateBuilder {
        let take = Update::builder()
            .table_name(&self.table)
            .set_key(Some(operator_key))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":online", s("online"))
            .expression_attribute_values(":false", AttributeValue::Bool(false))
            .expression_attribute_values(":one", n(1));
        if video {
            take.update_expression("ADD activeChats :one SET inVideo = :true")
                .condition_expression(
                    "#status = :online AND inVideo = :false AND activeChats = :zero",
                )
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":true", AttributeValue::Bool(true))
        } else {
            take.update_expression("ADD activeChats :one")
                .condition_expression(
                    "#status = :online AND inVideo = :false AND activeChats < :cap",
                )
                .expression_attribute_values(":cap", n(capacity.get() as u64))
        }
    }

    /// Gives a slot back, and the video flag with it.
    pub(crate) fn free_slot(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
        video: bool,
    ) -> UpdateBuilder {
        let free = Update::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::tenant_pk(tenant),
                keys::operator_sk(operator),
            )))
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":minus", AttributeValue::N("-1".into()));
        if video {
            free.update_expression("ADD activeChats :minus SET inVideo = :false")
                .expression_attribute_values(":false", AttributeValue::Bool(false))
        } else {
            free.update_expression("ADD activeChats :minus")
        }
    }
}
