//! JSON Web Tokens through `jsonwebtoken`, the crate the identity-provider
//! sign-in of later issues needs for RS256/ES256 (JWKS), on the aws-lc-rs
//! backend the AWS SDK already links. Our own tokens and Apple's are HS256,
//! and only HS256 is accepted here: `none` and algorithm-confusion tokens
//! fail before any signature check. Time-based checks (`exp`, `iat`) belong
//! to the caller, who holds the injected clock.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::HashSet;

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

impl From<jsonwebtoken::errors::Error> for JwtError {
    fn from(e: jsonwebtoken::errors::Error) -> Self {
        match e.kind() {
            ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                JwtError::WrongAlgorithm
            }
            ErrorKind::InvalidSignature => JwtError::BadSignature,
            ErrorKind::Json(err) => JwtError::BadClaims(err.to_string()),
            ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
                JwtError::Malformed
            }
            other => JwtError::BadClaims(format!("{other:?}")),
        }
    }
}

pub fn sign<C: Serialize>(claims: &C, key: &[u8]) -> Result<String, JwtError> {
    if key.is_empty() {
        return Err(JwtError::EmptyKey);
    }
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key),
    )?)
}

/// Verifies the signature (in constant time) and decodes the claims.
pub fn verify<C: DeserializeOwned>(token: &str, key: &[u8]) -> Result<C, JwtError> {
    if key.is_empty() {
        return Err(JwtError::EmptyKey);
    }
    // jsonwebtoken refuses an unknown `alg` (such as `none`) as a JSON error;
    // read the header first so the refusal is filed as what it is.
    let header = token
        .split('.')
        .next()
        .and_then(|h| URL_SAFE_NO_PAD.decode(h).ok())
        .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(JwtError::WrongAlgorithm);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    Ok(jsonwebtoken::decode::<C>(token, &DecodingKey::from_secret(key), &validation)?.claims)
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
        let rs = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        assert_eq!(
            verify::<C>(&format!("{rs}.{p}.c2ln"), b"k"),
            Err(JwtError::WrongAlgorithm)
        );
    }

    #[test]
    fn tokens_signed_before_the_switch_still_verify() {
        // Made by the hand-written HS256 this module replaced, key "k".
        let old = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhIn0.";
        let mac = {
            use hmac::{Hmac, Mac};
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(b"k").unwrap();
            m.update(old.trim_end_matches('.').as_bytes());
            URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
        };
        let token = format!("{old}{mac}");
        assert_eq!(verify::<C>(&token, b"k").unwrap(), C { sub: "a".into() });
    }
}
