//! Compact HS256 JSON Web Tokens. Only HS256 is accepted: the header's `alg` is
//! checked before the signature, so `none` and algorithm-confusion tokens fail.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{de::DeserializeOwned, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("token is not three base64url parts")]
    Malformed,
    #[error("token algorithm must be HS256")]
    WrongAlgorithm,
    #[error("token signature does not match")]
    BadSignature,
    #[error("token claims are invalid: {0}")]
    BadClaims(String),
    #[error("signing key is empty")]
    EmptyKey,
}

fn mac(key: &[u8]) -> Result<HmacSha256, JwtError> {
    if key.is_empty() {
        return Err(JwtError::EmptyKey);
    }
    HmacSha256::new_from_slice(key).map_err(|_| JwtError::EmptyKey)
}

pub fn sign<C: Serialize>(claims: &C, key: &[u8]) -> Result<String, JwtError> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = serde_json::to_vec(claims).map_err(|e| JwtError::BadClaims(e.to_string()))?;
    let signing_input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(payload));
    let mut m = mac(key)?;
    m.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    Ok(format!("{signing_input}.{sig}"))
}

/// Verifies the signature (in constant time) and decodes the claims. Time-based
/// checks belong to the caller, who has the clock.
pub fn verify<C: DeserializeOwned>(token: &str, key: &[u8]) -> Result<C, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header = URL_SAFE_NO_PAD.decode(h).map_err(|_| JwtError::Malformed)?;
    let header: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| JwtError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::WrongAlgorithm);
    }
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut m = mac(key)?;
    m.update(h.as_bytes());
    m.update(b".");
    m.update(p.as_bytes());
    m.verify_slice(&sig).map_err(|_| JwtError::BadSignature)?;
    let payload = URL_SAFE_NO_PAD.decode(p).map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&payload).map_err(|e| JwtError::BadClaims(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct C {
        sub: String,
    }

    #[test]
    fn round_trip_and_tamper() {
        let t = sign(&C { sub: "a".into() }, b"k").unwrap();
        assert_eq!(verify::<C>(&t, b"k").unwrap(), C { sub: "a".into() });
        assert_eq!(verify::<C>(&t, b"other"), Err(JwtError::BadSignature));
        let mut parts: Vec<&str> = t.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"sub":"b"}"#);
        parts[1] = &forged;
        assert_eq!(
            verify::<C>(&parts.join("."), b"k"),
            Err(JwtError::BadSignature)
        );
    }

    #[test]
    fn refuses_alg_none() {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(br#"{"sub":"a"}"#);
        assert_eq!(
            verify::<C>(&format!("{h}.{p}."), b"k"),
            Err(JwtError::WrongAlgorithm)
        );
        assert_eq!(verify::<C>("abc", b"k"), Err(JwtError::Malformed));
    }
}
