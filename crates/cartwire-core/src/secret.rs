//! Secrets (API keys, hash keys, endpoint tokens) and constant-time digest checks.

use core::fmt;

use subtle::ConstantTimeEq;

use crate::error::VerifyError;

/// A secret string: an API key, a hash key, an endpoint token.
///
/// Its [`Debug`](fmt::Debug) and [`Display`](fmt::Display) output never shows the value, so a
/// secret can sit in a config struct that gets logged. Equality is constant-time.
///
/// ```
/// use cartwire_core::Secret;
///
/// let key = Secret::new("s3cr3t-api-key");
/// assert_eq!(format!("{key:?}"), "Secret(\"[redacted]\")");
/// assert_eq!(key.to_string(), "[redacted]");
/// assert_eq!(key.expose(), "s3cr3t-api-key");
/// assert!(key.matches("s3cr3t-api-key"));
/// assert!(!key.matches("s3cr3t"));
/// ```
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret's value, for computing a hash or setting a header. The name is long on
    /// purpose: every call site is a place where the secret leaves its wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret's bytes.
    pub fn expose_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Whether the secret is the empty string (an unset key, usually a configuration error).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compares a candidate (a token from a URL, a key from a header) with the secret in
    /// constant time. The lengths are not hidden; the contents are.
    pub fn matches(&self, candidate: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(candidate.as_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&"[redacted]").finish()
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.as_bytes().ct_eq(other.0.as_bytes()))
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Checks a received hex digest against the digest computed locally, in constant time.
///
/// The received digest may be upper- or lower-case hex. It must decode to exactly
/// `computed.len()` bytes: an empty, truncated, over-long or non-hex digest never matches, and
/// the error says which (svix once accepted an empty signature because its comparison skipped
/// the length check).
///
/// ```
/// use cartwire_core::{verify_hex_digest, VerifyError};
///
/// let computed = [0xde, 0xad, 0xbe, 0xef];
/// assert!(verify_hex_digest("deadbeef", &computed).is_ok());
/// assert!(verify_hex_digest("DEADBEEF", &computed).is_ok());
/// assert_eq!(verify_hex_digest("", &computed), Err(VerifyError::Empty));
/// assert!(matches!(verify_hex_digest("dead", &computed), Err(VerifyError::Length { .. })));
/// assert_eq!(verify_hex_digest("deadbeee", &computed), Err(VerifyError::Mismatch));
/// ```
pub fn verify_hex_digest(received: &str, computed: &[u8]) -> Result<(), VerifyError> {
    let received = received.trim();
    if received.is_empty() {
        return Err(VerifyError::Empty);
    }
    let expected_len = computed.len() * 2;
    if received.len() != expected_len {
        return Err(VerifyError::Length {
            expected: expected_len,
            found: received.len(),
        });
    }
    let mut decoded = vec![0u8; computed.len()];
    hex::decode_to_slice(received, &mut decoded).map_err(|_| VerifyError::NotHex)?;
    verify_digest_bytes(&decoded, computed)
}

/// Compares two raw digests in constant time, checking the length first.
///
/// Use this when the received digest was not hex (Cartfunnel's base64 HMAC header, say) and
/// you decoded it yourself.
pub fn verify_digest_bytes(received: &[u8], computed: &[u8]) -> Result<(), VerifyError> {
    if received.is_empty() {
        return Err(VerifyError::Empty);
    }
    if received.len() != computed.len() {
        return Err(VerifyError::Length {
            expected: computed.len(),
            found: received.len(),
        });
    }
    if bool::from(received.ct_eq(computed)) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// Lower-case hex of a digest: the form the vendors put on the wire.
pub fn to_lower_hex(digest: &[u8]) -> String {
    hex::encode(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{secret}").contains("hunter2"));
        assert!(!format!("{secret:#?}").contains("hunter2"));
    }

    #[test]
    fn equality_is_by_value() {
        assert_eq!(Secret::new("a"), Secret::from("a"));
        assert_ne!(Secret::new("a"), Secret::new("ab"));
        assert!(!Secret::new("abc").matches(""));
        assert!(Secret::new("").is_empty());
    }

    #[test]
    fn hex_digest_rejects_every_short_or_odd_form() {
        let computed = [0x01, 0xab, 0xff];
        assert_eq!(verify_hex_digest("01abff", &computed), Ok(()));
        assert_eq!(verify_hex_digest("01ABFF", &computed), Ok(()));
        assert_eq!(verify_hex_digest(" 01abff\n", &computed), Ok(()));
        assert_eq!(verify_hex_digest("", &computed), Err(VerifyError::Empty));
        assert_eq!(verify_hex_digest("   ", &computed), Err(VerifyError::Empty));
        assert_eq!(
            verify_hex_digest("01ab", &computed),
            Err(VerifyError::Length {
                expected: 6,
                found: 4
            })
        );
        assert_eq!(
            verify_hex_digest("01abff00", &computed),
            Err(VerifyError::Length {
                expected: 6,
                found: 8
            })
        );
        assert_eq!(
            verify_hex_digest("01abfg", &computed),
            Err(VerifyError::NotHex)
        );
        assert_eq!(
            verify_hex_digest("01abfe", &computed),
            Err(VerifyError::Mismatch)
        );
        // Multi-byte characters of the right byte length are not hex.
        assert_eq!(
            verify_hex_digest("01abé", &computed),
            Err(VerifyError::NotHex)
        );
    }

    #[test]
    fn raw_digest_checks_length_first() {
        assert_eq!(verify_digest_bytes(&[], &[1]), Err(VerifyError::Empty));
        assert_eq!(
            verify_digest_bytes(&[1], &[1, 2]),
            Err(VerifyError::Length {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(verify_digest_bytes(&[1, 2], &[1, 2]), Ok(()));
        assert_eq!(
            verify_digest_bytes(&[1, 3], &[1, 2]),
            Err(VerifyError::Mismatch)
        );
    }
}
