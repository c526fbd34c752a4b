//! Reading typed values out of DynamoDB items.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use switchboard_app::ports::StoreError;

pub type Item = HashMap<String, AttributeValue>;

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub fn get_s<'a>(item: &'a Item, name: &str) -> Result<&'a str, StoreError> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v),
        _ => Err(StoreError::Corrupt(format!(
            "attribute {name} missing or not a string"
        ))),
    }
}

pub fn opt_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Some(v),
        _ => None,
    }
}

pub fn get_n(item: &Item, name: &str) -> Result<u64, StoreError> {
    opt_n(item, name)?.ok_or_else(|| StoreError::Corrupt(format!("attribute {name} missing")))
}

pub fn opt_n(item: &Item, name: &str) -> Result<Option<u64>, StoreError> {
    match item.get(name) {
        Some(AttributeValue::N(v)) => {
            // ADD can take a counter below zero only through a bug; read it as 0.
            if let Ok(signed) = v.parse::<i64>() {
                return Ok(Some(signed.max(0) as u64));
            }
            Err(StoreError::Corrupt(format!(
                "attribute {name} is not an integer"
            )))
        }
        None | Some(AttributeValue::Null(_)) => Ok(None),
        _ => Err(StoreError::Corrupt(format!(
            "attribute {name} is not a number"
        ))),
    }
}

pub fn get_bool(item: &Item, name: &str) -> bool {
    matches!(item.get(name), Some(AttributeValue::Bool(true)))
}

pub fn parse<'a, T, E: std::fmt::Display>(
    raw: &'a str,
    f: impl FnOnce(&'a str) -> Result<T, E>,
) -> Result<T, StoreError> {
    f(raw).map_err(|e| StoreError::Corrupt(format!("{raw:?}: {e}")))
}

pub fn json<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, StoreError> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A string set, or nothing: DynamoDB has no empty sets.
pub fn string_set<I, T>(values: I) -> Option<AttributeValue>
where
    I: IntoIterator<Item = T>,
    T: Into<String>,
{
    let values: Vec<String> = values.into_iter().map(Into::into).collect();
    (!values.is_empty()).then_some(AttributeValue::Ss(values))
}

/// The members of a string set attribute (none when it is absent).
pub fn get_ss<'a>(item: &'a Item, name: &str) -> &'a [String] {
    match item.get(name) {
        Some(AttributeValue::Ss(v)) => v,
        _ => &[],
    }
}
