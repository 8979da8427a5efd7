//! The POST flavour's `hash`: lowercase hex SHA-1 of the API key followed by the command.
//!
//! This is the scheme of CartFreak's own receiver package
//! (`hashlib.sha1(key + command).hexdigest()`). Note what it does **not** cover: only the
//! command is hashed, so the hash proves the sender knew the key once, not that the other
//! fields are genuine, and a hash seen once is valid for every notification with that
//! command. Serve the receiver over HTTPS only, and treat the fields accordingly (look the
//! order up by `order_id` before shipping).
//!
//! The comparison is in constant time and length-checked (`cartwire-core`); upper-case hex is
//! accepted. A missing, empty, truncated, non-hex or wrong hash is a
//! [`VerifyError`] inside [`Error::Verify`].

use cartwire_core::{Error, Secret, VerifyError, verify_hex_digest};
use sha1::{Digest, Sha1};

use crate::decode::{Received, decode};
use crate::payload::Notification;

/// The hash of the POST flavour for `command`: lowercase hex SHA-1 of `api_key` + `command`.
///
/// ```
/// use cartfreak_notify::compute_hash;
/// use cartwire_core::Secret;
///
/// // python3 -c "import hashlib; print(hashlib.sha1(b'sk_cartfreak_demo' + b'CREATE').hexdigest())"
/// assert_eq!(
///     compute_hash(&Secret::new("sk_cartfreak_demo"), "CREATE"),
///     "1a6fdad0ec197c384a381bb29ca235c44c318684",
/// );
/// ```
pub fn compute_hash(api_key: &Secret, command: &str) -> String {
    cartwire_core::to_lower_hex(&digest(api_key, command))
}

fn digest(api_key: &Secret, command: &str) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(api_key.expose_bytes());
    hasher.update(command.as_bytes());
    hasher.finalize().into()
}

/// Checks a received `hash` (`None` when the field was absent) for `command`.
///
/// An empty `api_key` (an unset configuration value, usually) fails closed with
/// [`VerifyError::EmptyKey`]: the hash of an empty key is the SHA-1 of the command alone, which
/// anyone can compute.
pub fn verify_hash(api_key: &Secret, command: &str, hash: Option<&str>) -> Result<(), Error> {
    let hash = hash.ok_or_else(|| VerifyError::Missing {
        field: "hash".to_owned(),
    })?;
    if api_key.is_empty() {
        return Err(VerifyError::EmptyKey.into());
    }
    verify_hex_digest(hash, &digest(api_key, command))?;
    Ok(())
}

impl Received {
    /// Checks the `hash` field against `api_key`. A notification of the GET flavour has no
    /// hash, and fails with [`VerifyError::Missing`].
    pub fn verify(&self, api_key: &Secret) -> Result<(), Error> {
        verify_hash(
            api_key,
            self.notification.command_str(),
            self.hash.as_deref(),
        )
    }

    /// [`Received::verify`], then the notification.
    pub fn into_verified(self, api_key: &Secret) -> Result<Notification, Error> {
        self.verify(api_key)?;
        Ok(self.notification)
    }
}

/// Decodes a POST-flavour body and checks its hash: what a receiver does first.
pub fn decode_verified(input: &[u8], api_key: &Secret) -> Result<Notification, Error> {
    decode(input)?.into_verified(api_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_cartfreak_demo";

    #[test]
    fn vectors_computed_with_python() {
        // for c in CREATE REMOVE RENEW COMPLETE DECLINE; do
        //   python3 -c "import hashlib,sys; print(hashlib.sha1(b'sk_cartfreak_demo'+sys.argv[1].encode()).hexdigest())" $c
        // done
        let key = Secret::new(KEY);
        for (command, expected) in [
            ("CREATE", "1a6fdad0ec197c384a381bb29ca235c44c318684"),
            ("REMOVE", "4f5903323592304bcb55eb4783bcf19d158145a1"),
            ("RENEW", "697c09e745ca5d6e0b1080403822c0fa5b78ea40"),
            ("COMPLETE", "d292c0f66e8e0eece78ba40f9222ea0ff6ea6405"),
            ("DECLINE", "fdec6f5339a43f15504a175e8fa313249a4fadc3"),
        ] {
            assert_eq!(compute_hash(&key, command), expected);
            assert_eq!(verify_hash(&key, command, Some(expected)), Ok(()));
        }
    }

    #[test]
    fn every_bad_hash_is_a_typed_error() {
        let key = Secret::new(KEY);
        let good = "1a6fdad0ec197c384a381bb29ca235c44c318684";
        let check = |hash: Option<&str>| verify_hash(&key, "CREATE", hash);
        assert_eq!(
            check(None),
            Err(Error::Verify(VerifyError::Missing {
                field: "hash".into()
            }))
        );
        assert_eq!(check(Some("")), Err(Error::Verify(VerifyError::Empty)));
        assert_eq!(
            check(Some(&good[..39])),
            Err(Error::Verify(VerifyError::Length {
                expected: 40,
                found: 39
            }))
        );
        assert_eq!(
            check(Some(&good[..20])),
            Err(Error::Verify(VerifyError::Length {
                expected: 40,
                found: 20
            }))
        );
        assert_eq!(
            check(Some(&format!("{}z", &good[..39]))),
            Err(Error::Verify(VerifyError::NotHex))
        );
        assert_eq!(
            check(Some(&format!("{}5", &good[..39]))),
            Err(Error::Verify(VerifyError::Mismatch))
        );
        // The hash of another command, or of another key, does not pass.
        assert_eq!(
            verify_hash(&key, "REMOVE", Some(good)),
            Err(Error::Verify(VerifyError::Mismatch))
        );
        assert_eq!(
            verify_hash(&Secret::new("other"), "CREATE", Some(good)),
            Err(Error::Verify(VerifyError::Mismatch))
        );
        // Upper-case hex is the same digest.
        assert_eq!(check(Some(&good.to_uppercase())), Ok(()));
        // An empty key fails closed, even with the hash it would produce:
        // python3 -c "import hashlib; print(hashlib.sha1(b'CREATE').hexdigest())"
        let sha1_of_command = "cabc2219177d43a5c1d71e3003445f83b9a7195f";
        assert_eq!(compute_hash(&Secret::new(""), "CREATE"), sha1_of_command);
        assert_eq!(
            verify_hash(&Secret::new(""), "CREATE", Some(sha1_of_command)),
            Err(Error::Verify(VerifyError::EmptyKey))
        );
    }
}
