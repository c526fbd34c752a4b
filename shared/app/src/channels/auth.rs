//! Webhook authentication, done on the raw bytes before anything is parsed.

use crate::jwt;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::io::Read;
use subtle::ConstantTimeEq;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("{0} does not verify")]
    Invalid(&'static str),
}

fn hex_decode(raw: &str) -> Option<Vec<u8>> {
    hex::decode(raw).ok()
}

/// Meta's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the exact bytes
/// received, keyed with the app secret, compared in constant time. The legacy
/// sha1 header is never accepted in its place.
pub fn verify_meta_signature(
    header: Option<&str>,
    body: &[u8],
    app_secret: &[u8],
) -> Result<(), AuthError> {
    let header = header.ok_or(AuthError::Missing("X-Hub-Signature-256"))?;
    let expected = header
        .trim()
        .strip_prefix("sha256=")
        .and_then(hex_decode)
        .ok_or(AuthError::Invalid("X-Hub-Signature-256"))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret)
        .map_err(|_| AuthError::Invalid("X-Hub-Signature-256"))?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| AuthError::Invalid("X-Hub-Signature-256"))
}

pub fn meta_signature(body: &[u8], app_secret: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(app_secret) {
        Ok(m) => m,
        // HMAC takes keys of any length; this arm is unreachable in practice.
        Err(_) => return String::new(),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", hex::encode(digest))
}

/// Constant-time equality for tokens and shared secrets.
pub fn secret_eq(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct AppleClaims {
    aud: Option<Audience>,
}

/// Apple → MSP: `Authorization: Bearer <JWT>`, HS256 keyed with the decoded MSP
/// secret, `aud` (a string or a list) naming our MSP id. Apple's tokens carry
/// no `exp`, and no `iat` tolerance is documented, so age is not checked.
pub fn verify_apple_token(
    authorization: Option<&str>,
    msp_id: &str,
    key: &[u8],
) -> Result<(), AuthError> {
    let header = authorization.ok_or(AuthError::Missing("Authorization"))?;
    let token = header
        .trim()
        .strip_prefix("Bearer ")
        .ok_or(AuthError::Invalid("Authorization"))?;
    let claims: AppleClaims =
        jwt::verify(token.trim(), key).map_err(|_| AuthError::Invalid("Authorization"))?;
    let ours = match claims.aud {
        Some(Audience::One(a)) => a == msp_id,
        Some(Audience::Many(list)) => list.iter().any(|a| a == msp_id),
        None => false,
    };
    if ours {
        Ok(())
    } else {
        Err(AuthError::Invalid("Authorization audience"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    #[error("body is not valid gzip")]
    Invalid,
    #[error("inflated body exceeds {0} bytes")]
    TooLarge(usize),
}

/// Inflates a gzip body, refusing to produce more than `cap` bytes (a small
/// compressed body can expand enormously).
pub fn gunzip(body: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(cap as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| InflateError::Invalid)?;
    if out.len() > cap {
        return Err(InflateError::TooLarge(cap));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn meta_signature_round_trip_and_tamper() {
        let sig = meta_signature(b"{}", b"secret");
        assert!(verify_meta_signature(Some(&sig), b"{}", b"secret").is_ok());
        assert!(verify_meta_signature(Some(&sig), b"{ }", b"secret").is_err());
        assert_eq!(
            verify_meta_signature(None, b"{}", b"secret"),
            Err(AuthError::Missing("X-Hub-Signature-256"))
        );
        assert!(verify_meta_signature(Some("sha256=zz"), b"{}", b"secret").is_err());
    }

    #[test]
    fn gzip_is_capped() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b'a'; 10_000]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(gunzip(&gz, 20_000).unwrap().len(), 10_000);
        assert_eq!(gunzip(&gz, 100), Err(InflateError::TooLarge(100)));
        assert_eq!(gunzip(b"not gzip", 100), Err(InflateError::Invalid));
    }

    #[test]
    fn apple_audience_may_be_a_list() {
        let key = b"0123456789abcdef0123456789abcdef";
        let t = jwt::sign(&serde_json::json!({"aud": ["x", "msp"], "iat": 1}), key).unwrap();
        assert!(verify_apple_token(Some(&format!("Bearer {t}")), "msp", key).is_ok());
        assert!(verify_apple_token(Some(&format!("Bearer {t}")), "other", key).is_err());
        assert!(verify_apple_token(Some(&t), "msp", key).is_err());
    }
}
