//! Passwords: the policy a new one must meet, and argon2id hashing.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Why a new password is refused; the message is shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("is too common or too easy to guess")]
    Guessable,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes and checks passwords with argon2id.
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    /// A digest of no one's password, checked when an e-mail has no
    /// login, so an unknown address takes as long as a wrong password.
    /// Made on first need, not at a cold start.
    decoy: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("m_kib", &self.params.m_cost())
            .field("t", &self.params.t_cost())
            .field("p", &self.params.p_cost())
            .finish()
    }
}

impl Passwords {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;
    /// zxcvbn's score a password must reach (3: "safely unguessable",
    /// about 10^8 guesses and more).
    const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

    /// argon2id with 19 MiB, 5 passes, one lane: about 50 ms on one core
    /// (`cargo bench --bench admin_api`). OWASP's floor is 19 MiB with 2
    /// passes, about 19 ms here; more passes reach the sign-in budget, where
    /// more memory (46 MiB: 130 ms) outgrew the cache and cost far more time.
    pub fn recommended() -> Result<Self, HashError> {
        Self::with_params(19 * 1024, 5, 1)
    }

    pub fn with_params(m_kib: u32, t: u32, p: u32) -> Result<Self, HashError> {
        let params = Params::new(m_kib, t, p, None).map_err(|e| HashError(e.to_string()))?;
        Ok(Passwords {
            params,
            decoy: Default::default(),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Refuses a password that is short, long or guessable; `context` holds
    /// words a guesser would try first (the e-mail, the name).
    pub fn check_strength(password: &str, context: &[&str]) -> Result<(), WeakPassword> {
        let chars = password.chars().count();
        if chars < Self::MIN_LEN {
            return Err(WeakPassword::TooShort { min: Self::MIN_LEN });
        }
        if chars > Self::MAX_LEN {
            return Err(WeakPassword::TooLong { max: Self::MAX_LEN });
        }
        if zxcvbn::zxcvbn(password, context).score() < Self::MIN_SCORE {
            return Err(WeakPassword::Guessable);
        }
        Ok(())
    }

    /// A PHC string with a fresh salt.
    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    }

    /// Whether `password` matches `stored`; a None or unreadable digest
    /// never matches, after the same work as a real check.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let (digest, real) = match stored {
            Some(d) => (d, true),
            None => (
                self.decoy
                    .get_or_init(|| {
                        self.hash("decoy password for unknown e-mails")
                            .unwrap_or_default()
                    })
                    .as_str(),
                false,
            ),
        };
        let Ok(parsed) = PasswordHash::new(digest) else {
            return false;
        };
        // The digest's own parameters, so raising them later still
        // verifies the old ones.
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rules() {
        assert_eq!(
            Passwords::check_strength("short", &[]),
            Err(WeakPassword::TooShort { min: 10 })
        );
        for common in ["password1234", "qwertyuiop", "1234567890", "iloveyou123"] {
            assert_eq!(
                Passwords::check_strength(common, &[]),
                Err(WeakPassword::Guessable),
                "{common}"
            );
        }
        assert_eq!(
            Passwords::check_strength("ann.smith@example.com", &["ann.smith@example.com"]),
            Err(WeakPassword::Guessable)
        );
        assert!(Passwords::check_strength("correct horse battery staple", &[]).is_ok());
    }

    #[test]
    fn hashes_verify_and_decoys_never_match() {
        let p = Passwords::with_params(1024, 1, 1).unwrap();
        let h = p.hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse battery staple", Some(&h)));
        assert!(!p.verify("wrong horse battery staple", Some(&h)));
        assert!(!p.verify("decoy password for unknown e-mails", None));
    }
}
