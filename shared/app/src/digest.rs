//! The one place Switchboard hashes with SHA-256 (HMACs aside): derived ids,
//! idempotency keys and storage keys. Derived values must never change for
//! the same input, or a retry stops being recognised as one.

use sha2::{Digest, Sha256};

/// SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// SHA-256 of several strings, each ended by a NUL so that ("ab", "c") and
/// ("a", "bc") differ.
pub fn sha256_parts(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

/// The first `bytes` bytes of a digest as lowercase hex.
pub fn hex_prefix(digest: &[u8; 32], bytes: usize) -> String {
    hex::encode(&digest[..bytes.min(32)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_separated_and_stable() {
        assert_ne!(sha256_parts(&["ab", "c"]), sha256_parts(&["a", "bc"]));
        // Stored keys and provider idempotency keys depend on these values.
        assert_eq!(
            hex_prefix(&sha256_parts(&["a", "b"]), 8),
            hex::encode(&sha256(b"a\0b\0")[..8])
        );
        assert_eq!(hex_prefix(&sha256(b"abc"), 4), "ba7816bf");
    }
}
