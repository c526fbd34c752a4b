//! Operators' status changes, logged in the write that makes them:
//! `T#{t}#OPLOG#{op}` / `{at:015}#{status}`, read oldest first for the
//! time-in-status report.

use super::item::{get_n, get_s, s, Item};
use super::{build_err, tx_update, DynamoStore, TxOutcome, MAX_ATTEMPTS};
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{OperatorId, OperatorStatus, StatusChange, TenantId, Timestamp};

fn log_pk(tenant: &TenantId, operator: &OperatorId) -> String {
    format!("T#{tenant}#OPLOG#{operator}")
}

impl DynamoStore {
    /// Runs `update` (conditioned as its caller needs) with the put of the
    /// log entry for the status it sets, in one transaction: true if both
    /// happened, false if the update's condition failed and neither did.
    pub(crate) async fn update_logging_status(
        &self,
        update: UpdateBuilder,
        tenant: &TenantId,
        operator: &OperatorId,
        status: OperatorStatus,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut entry = Self::key(
            log_pk(tenant, operator),
            format!("{:015}#{}", now.millis(), status.as_str()),
        );
        entry.insert("status".into(), s(status.as_str()));
        entry.insert("at".into(), super::item::n(now.millis()));
        for attempt in 0..MAX_ATTEMPTS {
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(entry.clone()))
                .build()
                .map_err(build_err)?;
            let items = vec![
                tx_update(update.clone())?,
                TransactWriteItem::builder().put(put).build(),
            ];
            match self.transact(items).await? {
                TxOutcome::Committed => return Ok(true),
                TxOutcome::ConditionFailed(_) => return Ok(false),
                TxOutcome::Conflict => super::backoff(attempt).await,
            }
        }
        Err(StoreError::Contention(MAX_ATTEMPTS))
    }

    pub(crate) async fn read_status_log(
        &self,
        tenant: &TenantId,
        operator: &OperatorId,
    ) -> StoreResult<Vec<StatusChange>> {
        self.query_prefix(log_pk(tenant, operator), "")
            .await?
            .iter()
            .map(|item: &Item| {
                let raw = get_s(item, "status")?;
                Ok(StatusChange {
                    at: Timestamp(get_n(item, "at")?),
                    status: OperatorStatus::parse(raw)
                        .ok_or_else(|| StoreError::Corrupt(format!("operator status {raw:?}")))?,
                })
            })
            .collect()
    }
}
