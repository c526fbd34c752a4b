//! Apple's `interactiveDataRef`: an interactive reply over 10 KB arrives as
//! a reference to an encrypted blob (reference §6.6). Resolving it is four
//! steps: `GET /v1/preDownload` for a download URL, the download, AES-256-CTR
//! decryption with the reference's key and a zero IV, and
//! `POST /v1/decodePayload`, which returns the `interactiveData` JSON.

use super::outbound::BuildError;
use super::{apple, ChannelsConfig, ParseError};
use crate::ports::{HttpCall, HttpReply};
use aes::cipher::{KeyIvInit, StreamCipher};
use secrecy::ExposeSecret;
use serde_json::Value;
use switchboard_domain::Timestamp;

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

/// What a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRef {
    pub bid: String,
    pub url: String,
    pub owner: String,
    /// `00` and 64 hex digits.
    pub key: String,
    pub signature: String,
}

impl DataRef {
    pub fn from_reply_data(data: &Value) -> Option<DataRef> {
        let s = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_string);
        Some(DataRef {
            bid: s("bid")?,
            url: s("url")?,
            owner: s("owner")?,
            key: s("key")?,
            signature: s("signature-base64").or_else(|| s("signature"))?,
        })
    }
}

fn bearer(config: &ChannelsConfig, now: Timestamp) -> Result<String, BuildError> {
    let (Some(cfg), Some(key)) = (
        config.apple.as_ref(),
        config.apple_key.as_ref().map(|k| k.expose_secret()),
    ) else {
        return Err(BuildError::NoCredentials("apple".into()));
    };
    apple::outbound_token(&cfg.msp_id, key, now).map_err(|e| BuildError::Signing(e.to_string()))
}

/// Step 1: asks the MSP gateway where to download the blob.
pub fn pre_download_call(
    config: &ChannelsConfig,
    business: &str,
    reference: &DataRef,
    now: Timestamp,
) -> Result<HttpCall, BuildError> {
    Ok(HttpCall {
        method: "GET",
        url: format!("{}/v1/preDownload", config.endpoints.apple),
        headers: vec![
            (
                "authorization".into(),
                format!("Bearer {}", bearer(config, now)?),
            ),
            ("source-id".into(), business.to_string()),
            ("url".into(), reference.url.clone()),
            ("owner".into(), reference.owner.clone()),
            ("signature".into(), reference.signature.clone()),
        ],
        body: Vec::new(),
    })
}

/// The answer to step 1: `{"download-url": ...}`.
pub fn download_url(reply: &HttpReply) -> Result<String, ParseError> {
    if reply.status != 200 {
        return Err(ParseError::new(
            "preDownload",
            &format!("status {}", reply.status),
        ));
    }
    let doc: Value = serde_json::from_slice(&reply.body)
        .map_err(|e| ParseError::new("preDownload", &e.to_string()))?;
    doc.get("download-url")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ParseError::new("download-url", "is missing"))
}

/// Step 2: the download itself (the URL carries its own authorization).
pub fn download_call(url: &str) -> HttpCall {
    HttpCall {
        method: "GET",
        url: url.to_string(),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// Step 3: AES-256-CTR with a zero IV; the key is the reference's hex after
/// its leading `00`. (Encrypting is the same operation.)
pub fn decrypt(key: &str, data: &[u8]) -> Result<Vec<u8>, ParseError> {
    let hex_key = key.strip_prefix("00").unwrap_or(key);
    let key = hex::decode(hex_key).map_err(|e| ParseError::new("key", &e.to_string()))?;
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| ParseError::new("key", "is not 32 bytes"))?;
    let mut out = data.to_vec();
    Aes256Ctr::new(&key.into(), &[0u8; 16].into()).apply_keystream(&mut out);
    Ok(out)
}

/// Step 4: the gateway decodes the decrypted bytes.
pub fn decode_call(
    config: &ChannelsConfig,
    business: &str,
    reference: &DataRef,
    payload: Vec<u8>,
    now: Timestamp,
) -> Result<HttpCall, BuildError> {
    Ok(HttpCall {
        method: "POST",
        url: format!("{}/v1/decodePayload", config.endpoints.apple),
        headers: vec![
            (
                "authorization".into(),
                format!("Bearer {}", bearer(config, now)?),
            ),
            ("source-id".into(), business.to_string()),
            ("bid".into(), reference.bid.clone()),
        ],
        body: payload,
    })
}

/// The answer to step 4, as the `interactiveData` of an inbound message.
pub fn interactive_data(reply: &HttpReply) -> Result<Value, ParseError> {
    if reply.status != 200 {
        return Err(ParseError::new(
            "decodePayload",
            &format!("status {}", reply.status),
        ));
    }
    let doc: Value = serde_json::from_slice(&reply.body)
        .map_err(|e| ParseError::new("decodePayload", &e.to_string()))?;
    Ok(doc.get("interactiveData").cloned().unwrap_or(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctr_decrypts_what_it_encrypts_with_the_reference_key() {
        let key = "005f7fe5e9941cf96c610076167a3c0f14971913bf0a4cb55fb7714cdd80dfcb15";
        let plain = br#"{"data":{"requestIdentifier":"ci_1"}}"#;
        let sealed = decrypt(key, plain).unwrap();
        assert_ne!(sealed.as_slice(), plain.as_slice());
        assert_eq!(decrypt(key, &sealed).unwrap(), plain);
        assert!(decrypt("00abcd", plain).is_err());
    }
}
