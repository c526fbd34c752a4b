//! Sign-in with a tenant's own OpenID Connect provider (Cognito, Entra,
//! Google): the console gets an ID token from the provider and hands it
//! here; it is verified (RS256 or ES256) against the provider's published
//! keys, and the verified e-mail must belong to an enabled account of that
//! tenant. Keys are cached; a token signed with a key the cache does not
//! know makes it fetch the set again (the provider rotated), at most once a
//! minute per key id.

use crate::ports::{HttpCall, HttpTransport};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_domain::{Email, OidcProvider};

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the ID token is malformed or uses an algorithm other than RS256 and ES256")]
    Malformed,
    #[error("the ID token is signed with a key the provider does not publish")]
    UnknownKey,
    #[error("the ID token is invalid: {0}")]
    Invalid(String),
    #[error("the ID token carries no verified e-mail address")]
    NoEmail,
    #[error("the provider's keys could not be read: {0}")]
    Keys(String),
    #[error("the provider's discovery document could not be read: {0}")]
    Discovery(String),
}

#[derive(Deserialize)]
struct IdClaims {
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
}

struct CachedSet {
    fetched: Instant,
    keys: JwkSet,
}

#[derive(Default)]
struct KeyState {
    sets: HashMap<String, CachedSet>,
    /// When a key id unknown to a provider's set last made us fetch it.
    misses: HashMap<(String, String), Instant>,
}

/// Verifies ID tokens, keeping each provider's key set for an hour.
pub struct OidcVerifier {
    http: Arc<dyn HttpTransport>,
    state: tokio::sync::Mutex<KeyState>,
}

impl OidcVerifier {
    const MAX_AGE: Duration = Duration::from_secs(3600);
    const REFETCH_AFTER: Duration = Duration::from_secs(60);
    /// Clock skew allowed on `exp`, `nbf` and `iat`.
    const LEEWAY_SECONDS: u64 = 60;

    pub fn new(http: Arc<dyn HttpTransport>) -> Self {
        OidcVerifier {
            http,
            state: Default::default(),
        }
    }

    /// A provider's JSON document (its keys, its discovery document); the
    /// error says why, for the caller to wrap.
    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let reply = self
            .http
            .execute(HttpCall {
                method: "GET",
                url: url.to_string(),
                headers: vec![("accept".into(), "application/json".into())],
                body: Vec::new(),
            })
            .await
            .map_err(|e| crate::error::chain(&e))?;
        if reply.status != 200 {
            return Err(format!("status {}", reply.status));
        }
        serde_json::from_slice(&reply.body).map_err(|e| e.to_string())
    }

    async fn fetch(&self, uri: &str) -> Result<JwkSet, OidcError> {
        self.get_json(uri).await.map_err(OidcError::Keys)
    }

    /// Where the console sends an operator to sign in: the provider's
    /// `authorization_endpoint`, from its discovery document.
    pub async fn authorization_endpoint(
        &self,
        provider: &OidcProvider,
    ) -> Result<String, OidcError> {
        #[derive(Deserialize)]
        struct Discovery {
            authorization_endpoint: String,
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            provider.issuer.trim_end_matches('/')
        );
        let found: Discovery = self.get_json(&url).await.map_err(OidcError::Discovery)?;
        let endpoint = found.authorization_endpoint;
        // The console navigates there: only the schemes a provider may have.
        let allowed = endpoint.starts_with("https://")
            || endpoint.starts_with("http://127.0.0.1")
            || endpoint.starts_with("http://localhost");
        if !allowed {
            return Err(OidcError::Discovery(
                "authorization_endpoint is not an https URL".into(),
            ));
        }
        Ok(endpoint)
    }

    async fn key(&self, uri: &str, kid: &str) -> Result<DecodingKey, OidcError> {
        let mut state = self.state.lock().await;
        if let Some(set) = state
            .sets
            .get(uri)
            .filter(|s| s.fetched.elapsed() < Self::MAX_AGE)
        {
            if let Some(jwk) = set.keys.find(kid) {
                return DecodingKey::from_jwk(jwk).map_err(|_| OidcError::UnknownKey);
            }
            // A key we have not seen: the provider rotated, or someone made
            // it up. Fetch again, but not for every forged token.
            let miss = (uri.to_string(), kid.to_string());
            if state
                .misses
                .get(&miss)
                .is_some_and(|at| at.elapsed() < Self::REFETCH_AFTER)
            {
                return Err(OidcError::UnknownKey);
            }
            state.misses.insert(miss, Instant::now());
        }
        let keys = self.fetch(uri).await?;
        let found = keys.find(kid).map(DecodingKey::from_jwk);
        state.sets.insert(
            uri.to_string(),
            CachedSet {
                fetched: Instant::now(),
                keys,
            },
        );
        match found {
            Some(Ok(key)) => Ok(key),
            _ => Err(OidcError::UnknownKey),
        }
    }

    /// The verified e-mail of an ID token from `provider`.
    pub async fn verify(
        &self,
        provider: &OidcProvider,
        id_token: &str,
    ) -> Result<Email, OidcError> {
        let header = jsonwebtoken::decode_header(id_token).map_err(|_| OidcError::Malformed)?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(OidcError::Malformed);
        }
        let kid = header.kid.ok_or(OidcError::Malformed)?;
        let key = self.key(&provider.jwks_uri, &kid).await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&provider.issuer]);
        validation.set_audience(&[&provider.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.leeway = Self::LEEWAY_SECONDS;
        let data = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
            .map_err(|e| OidcError::Invalid(e.to_string()))?;
        // Providers send `email_verified` as a boolean or as "true".
        let verified = match &data.claims.email_verified {
            None => true,
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s == "true",
            Some(_) => false,
        };
        match data.claims.email {
            Some(email) if verified => Email::parse(&email).map_err(|_| OidcError::NoEmail),
            _ => Err(OidcError::NoEmail),
        }
    }
}
