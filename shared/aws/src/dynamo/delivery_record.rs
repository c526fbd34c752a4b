//! A message's delivery as stored: a record of its own, in the shape version 1
//! items already hold. Receipts condition on its `state`
//! (`dynamo/delivery.rs`), so that name is part of the storage format.

use serde::{Deserialize, Serialize};
use switchboard_app::ports::{StoreError, StoreResult};
use switchboard_domain::{Delivery, DeliveryError, DeliveryState, ErrorCode, Timestamp};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A delivery as stored; receipts condition on its `state`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeliveryRecord {
    state: String,
    updated_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<DeliveryErrorRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DeliveryErrorRecord {
    /// A provider's number or one of our words.
    code: serde_json::Value,
    retryable: bool,
    action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl From<&Delivery> for DeliveryRecord {
    fn from(d: &Delivery) -> Self {
        DeliveryRecord {
            state: d.state.as_str().into(),
            updated_at: d.updated_at.millis(),
            error: d.error.as_ref().map(|e| DeliveryErrorRecord {
                code: match &e.code {
                    ErrorCode::Provider(n) => serde_json::Value::from(*n),
                    ErrorCode::Ours(s) => serde_json::Value::from(s.clone()),
                },
                retryable: e.retryable,
                action: e.action.clone(),
                message: e.message.clone(),
            }),
        }
    }
}

impl TryFrom<DeliveryRecord> for Delivery {
    type Error = StoreError;
    fn try_from(r: DeliveryRecord) -> StoreResult<Self> {
        let state = DeliveryState::ALL
            .into_iter()
            .find(|s| s.as_str() == r.state)
            .ok_or_else(|| corrupt(format!("delivery state {:?}", r.state)))?;
        let error = r
            .error
            .map(|e| {
                let code = match e.code {
                    serde_json::Value::Number(n) => ErrorCode::Provider(
                        n.as_i64()
                            .ok_or_else(|| corrupt("error code out of range"))?,
                    ),
                    serde_json::Value::String(s) => ErrorCode::Ours(s),
                    other => return Err(corrupt(format!("error code {other}"))),
                };
                Ok(DeliveryError {
                    code,
                    retryable: e.retryable,
                    action: e.action,
                    message: e.message,
                })
            })
            .transpose()?;
        Ok(Delivery {
            state,
            updated_at: Timestamp(r.updated_at),
            error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_write_what_version_1_items_hold_and_read_it_back() {
        let delivery = Delivery {
            state: DeliveryState::Failed,
            updated_at: Timestamp(7),
            error: Some(DeliveryError {
                code: ErrorCode::Provider(131047),
                retryable: false,
                action: "send_approved_template_to_reengage".into(),
                message: None,
            }),
        };
        assert_eq!(
            serde_json::to_value(DeliveryRecord::from(&delivery)).unwrap(),
            serde_json::to_value(&delivery).unwrap()
        );
        let read: DeliveryRecord =
            serde_json::from_value(serde_json::to_value(&delivery).unwrap()).unwrap();
        assert_eq!(Delivery::try_from(read).unwrap(), delivery);
    }
}
