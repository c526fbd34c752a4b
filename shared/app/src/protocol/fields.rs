//! Reading an action's fields: the offending field named on failure, so a
//! client developer can fix their frame.

use super::ProtocolError;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub(super) fn invalid(field: &str, reason: &str) -> ProtocolError {
    ProtocolError::InvalidField {
        field: field.into(),
        reason: reason.into(),
    }
}

/// A request body outside the socket (the card answer over HTTP), read the
/// way frames are: the offending field named.
pub fn parse_fields<T: DeserializeOwned>(value: &Value) -> Result<T, ProtocolError> {
    fields(value)
}

/// Deserialises an action's fields, naming the offending field on failure.
pub(super) fn fields<T: DeserializeOwned>(value: &Value) -> Result<T, ProtocolError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner().to_string();
        // serde reports a missing field against its parent, so lift the name out.
        if let Some(rest) = inner.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or_default();
            let field = if path == "." {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            return invalid(&field, "is required");
        }
        let reason = inner
            .split(" at line ")
            .next()
            .unwrap_or(&inner)
            .to_string();
        invalid(&path, &reason)
    })
}
