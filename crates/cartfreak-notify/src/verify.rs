//! The POST flavour's `hash`: lowercase hex SHA-1 of the API key followed by the command.
//!
//! This is the scheme of CartFreak's own receiver package
//! (`hashlib.sha1(key + command).hexdigest()`). Note what it does **not** cover: only the
//! command is hashed, so the hash proves the sender knew the key once, not that the other
//! fields are genuine, and a hash seen once is valid for every notification with that
//! command. Serve the receiver over HTTPS only, and treat the fields accordingly (look the
//! order up by `order_id` before shipping).
//!
//! # How a delivery is checked
//!
//! [`CartFreakKey::receive`](crate::Receiver::receive) checks the hash **before** anything
//! else is judged: it reads the raw pairs of the GET's query or the POST's body, takes
//! `command` and `hash` from them, and compares. Only a delivery whose hash checks out is
//! decoded, so a forged body is refused as forged (401) even when it is also malformed (a
//! missing `amount`, a repeated `email`): a sender without the key learns nothing about what
//! the decoder would accept. Some things are refused before the comparison, because they leave
//! nothing to compare: a `command` or `hash` that arrives twice with two values (which one
//! would the hash cover?), input that is not a form (invalid UTF-8, past the limits), and a
//! method that carries no notification (`DELETE`).
//!
//! The comparison is in constant time and length-checked; upper-case hex is accepted. A
//! missing, empty, truncated, non-hex or wrong hash is an [`Error::Verify`] naming the field
//! `hash` ([`Credential::Hash`]).
//!
//! The documented GET flavour carries no hash: with a key it is refused (`hash` is missing).
//! A receiver that must accept it decodes it with
//! [`CartFreakKey::receive_unverified`](crate::Receiver::receive_unverified), and protects its
//! API URL some other way: a long random token of its own in the URL's query, compared in
//! constant time ([`Secret::matches`]).

use std::borrow::Cow;

use cartwire_core::form::{Duplicates, Options, Pair, parse_pairs};
use cartwire_core::{Credential, Error, Secret, VerifyError, verify_hex_digest};
use sha1::{Digest, Sha1};

/// The hash of the POST flavour for `command`: lowercase hex SHA-1 of `api_key` + `command`.
///
/// Low-level: signing goes through [`Notification::to_form`](crate::Notification::to_form)
/// with a [`CartFreakKey`](crate::CartFreakKey), which cannot be empty.
///
/// ```
/// use cartfreak_notify::{compute_hash, Secret};
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

/// Checks a received `hash` (`None` when the field was absent) for the raw `command`.
///
/// Low-level, for a receiver that already holds the two raw values; a receiver of deliveries
/// calls [`CartFreakKey::receive`](crate::Receiver::receive), which reads them itself.
///
/// # Errors
///
/// [`Error::Verify`] naming the field `hash` ([`Credential::Hash`]): missing, empty, of the
/// wrong length, not hexadecimal, or not matching. An empty `api_key` fails closed with
/// [`VerifyError::EmptyKey`]: the hash of an empty key is the SHA-1 of the command alone,
/// which anyone can compute.
///
/// ```
/// use cartfreak_notify::{verify_hash, ErrorKind, Secret};
///
/// let key = Secret::new("sk_cartfreak_demo");
/// assert!(verify_hash(&key, "CREATE", Some("1a6fdad0ec197c384a381bb29ca235c44c318684")).is_ok());
/// let err = verify_hash(&key, "REMOVE", Some("1a6fdad0ec197c384a381bb29ca235c44c318684")).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::VerificationFailed);
/// assert_eq!(err.field(), Some("hash"));
/// ```
pub fn verify_hash(api_key: &Secret, command: &str, hash: Option<&str>) -> Result<(), Error> {
    let at = |reason: VerifyError| reason.at(Credential::Hash, "hash");
    if api_key.is_empty() {
        return Err(at(VerifyError::EmptyKey));
    }
    let hash = hash.ok_or_else(|| at(VerifyError::Missing))?;
    verify_hex_digest(hash, &digest(api_key, command)).map_err(at)
}

/// Checks the hash of a query string or form body (already through
/// [`form_text`](crate::decode::form_text)), reading nothing but the raw `command` and `hash`
/// (see the [module docs](self)). A missing `command` is hashed as the empty string: the
/// comparison fails for anyone without the key, and the decoder names the field afterwards.
pub(crate) fn verify_form(api_key: &Secret, input: &[u8]) -> Result<(), Error> {
    let RawCredential { command, hash } = credential(input)?;
    verify_hash(api_key, command.as_deref().unwrap_or(""), hash.as_deref())
}

/// [`verify_form`] on pairs already parsed with the default options (repeated keys refused).
pub(crate) fn verify_pairs(api_key: &Secret, pairs: &[Pair<'_>]) -> Result<(), Error> {
    let value_of = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_ref())
    };
    verify_hash(api_key, value_of("command").unwrap_or(""), value_of("hash"))
}

/// The raw `command` and `hash` of a form, each `None` when absent.
#[derive(PartialEq)]
struct RawCredential<'a> {
    command: Option<Cow<'a, str>>,
    hash: Option<Cow<'a, str>>,
}

impl<'a> RawCredential<'a> {
    fn of(pairs: Vec<Pair<'a>>) -> Self {
        let mut credential = Self {
            command: None,
            hash: None,
        };
        for (name, value) in pairs {
            match name.as_ref() {
                "command" => credential.command = Some(value),
                "hash" => credential.hash = Some(value),
                _ => {}
            }
        }
        credential
    }
}

/// Reads the credential of a form (see the [module docs](self)).
fn credential(input: &[u8]) -> Result<RawCredential<'_>, Error> {
    match parse_pairs(input, &Options::default()) {
        Ok(pairs) => Ok(RawCredential::of(pairs)),
        Err(Error::Malformed { .. }) => {
            // A repeated key (or input that is no form). A repeat is the decoder's business,
            // once the hash checks out, but the credential must be unambiguous: read the form
            // keeping the first and then the last value of each repeated key; the two
            // readings agree unless `command` or `hash` came twice with two values. Input
            // that is no form fails the first reading, with the same error.
            let first = Options::default().duplicates(Duplicates::FirstWins);
            let last = Options::default().duplicates(Duplicates::LastWins);
            let first = RawCredential::of(parse_pairs(input, &first)?);
            let last = RawCredential::of(parse_pairs(input, &last)?);
            if first.command != last.command {
                return Err(Error::malformed("command", "the key is repeated"));
            }
            if first.hash != last.hash {
                return Err(Error::malformed("hash", "the key is repeated"));
            }
            Ok(first)
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwire_core::ErrorKind;

    const KEY: &str = "sk_cartfreak_demo";

    fn at(reason: VerifyError) -> Error {
        reason.at(Credential::Hash, "hash")
    }

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
    fn every_bad_hash_is_a_typed_error_naming_the_field() {
        let key = Secret::new(KEY);
        let good = "1a6fdad0ec197c384a381bb29ca235c44c318684";
        let check = |hash: Option<&str>| verify_hash(&key, "CREATE", hash);
        assert_eq!(check(None), Err(at(VerifyError::Missing)));
        assert_eq!(check(Some("")), Err(at(VerifyError::Empty)));
        assert_eq!(
            check(Some(&good[..39])),
            Err(at(VerifyError::Length {
                expected: 40,
                found: 39
            }))
        );
        assert_eq!(
            check(Some(&good[..20])),
            Err(at(VerifyError::Length {
                expected: 40,
                found: 20
            }))
        );
        assert_eq!(
            check(Some(&format!("{}z", &good[..39]))),
            Err(at(VerifyError::NotHex))
        );
        assert_eq!(
            check(Some(&format!("{}5", &good[..39]))),
            Err(at(VerifyError::Mismatch))
        );
        // The hash of another command, or of another key, does not pass.
        assert_eq!(
            verify_hash(&key, "REMOVE", Some(good)),
            Err(at(VerifyError::Mismatch))
        );
        assert_eq!(
            verify_hash(&Secret::new("other"), "CREATE", Some(good)),
            Err(at(VerifyError::Mismatch))
        );
        // Upper-case hex is the same digest.
        assert_eq!(check(Some(&good.to_uppercase())), Ok(()));
        // An empty key fails closed, even with the hash it would produce:
        // python3 -c "import hashlib; print(hashlib.sha1(b'CREATE').hexdigest())"
        let sha1_of_command = "cabc2219177d43a5c1d71e3003445f83b9a7195f";
        assert_eq!(compute_hash(&Secret::new(""), "CREATE"), sha1_of_command);
        let err = verify_hash(&Secret::new(""), "CREATE", Some(sha1_of_command)).unwrap_err();
        assert_eq!(err, at(VerifyError::EmptyKey));
        assert_eq!(err.field(), Some("hash"));
        assert_eq!(
            err.to_string(),
            "verification failed: the key to check the hash with is empty"
        );
    }

    #[test]
    fn the_form_check_reads_only_command_and_hash() {
        let key = Secret::new(KEY);
        let good = "1a6fdad0ec197c384a381bb29ca235c44c318684";
        // Nothing else is judged: missing, repeated or odd fields pass when the hash matches.
        for body in [
            format!("command=CREATE&hash={good}"),
            format!("comm%61nd=CREATE&email=a&email=b&hash={good}"),
            format!("hash={good}&command=CREATE&amount=x&amount=y"),
        ] {
            assert_eq!(verify_form(&key, body.as_bytes()), Ok(()), "{body}");
        }
        // A wrong hash is refused as such, whatever else is wrong.
        let body = "command=CREATE&email=a&email=b&hash=00";
        let err = verify_form(&key, body.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        // No command: hashed as the empty string, so only the key's holder gets past.
        let no_command = format!("hash={}", compute_hash(&key, ""));
        assert_eq!(verify_form(&key, no_command.as_bytes()), Ok(()));
        assert_eq!(
            verify_form(&key, format!("hash={good}").as_bytes()),
            Err(at(VerifyError::Mismatch))
        );
        // Two values for the credential leave nothing to compare.
        for (body, field) in [
            (
                format!("command=CREATE&command=REMOVE&hash={good}"),
                "command",
            ),
            (format!("command=CREATE&hash={good}&hash=00"), "hash"),
            (
                format!("command=CREATE&email=a&email=b&command=REMOVE&hash={good}"),
                "command",
            ),
            (
                format!("command=CREATE&x=1&x=2&hash=00&hash={good}"),
                "hash",
            ),
        ] {
            let err = verify_form(&key, body.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{body}");
            assert_eq!(err.field(), Some(field), "{body}");
        }
        // The same value twice is no ambiguity: the hash is checked (the decoder refuses the
        // repeat afterwards).
        for twice in [
            format!("email=a&email=b&command=CREATE&command=CREATE&hash={good}"),
            format!("command=CREATE&command=CREATE&hash={good}&hash={good}"),
        ] {
            assert_eq!(verify_form(&key, twice.as_bytes()), Ok(()), "{twice}");
        }
        let forged_twice = "command=CREATE&command=CREATE&hash=00";
        assert_eq!(
            verify_form(&key, forged_twice.as_bytes())
                .unwrap_err()
                .kind(),
            ErrorKind::VerificationFailed
        );
        // Input that is no form cannot be checked.
        let err = verify_form(&key, b"command=CREATE&email=%FF&hash=00").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
    }
}
