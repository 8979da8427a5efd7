//! The JustClick hash: where it is computed, checked and set.
//!
//! `hash` = lower-case hex MD5 of `id + email + T + secret`, over the raw wire strings (as
//! PHP's `$_REQUEST` holds them, after percent-decoding), where T is:
//!
//! * the raw `paid` value on a **paid** notification;
//! * on a **prepaid** notification, the raw `paid` value when it is non-empty, else the raw
//!   `created` value (JustClick documents no prepaid hash; a prepayment is a payment, so when
//!   it carries its payment time that is what is signed, as on paid notifications);
//! * the raw `created` value on every other kind (created, cancelled, moneyback, unknown).
//!
//! The vendor's PHP example uses `paid` even on the created page; that is a documentation
//! slip, not a second scheme. A hashed field that is absent counts as the empty string, as
//! in that PHP example.
//!
//! The received hash is compared in constant time (upper- or lower-case hex accepted); an
//! empty, truncated, over-long, non-hex or missing hash fails with its own [`VerifyError`].
//! An empty secret is refused: MD5 without a key is no proof at all.
//!
//! # What the hash does not cover
//!
//! **The hash covers only `id`, `email`, the time T and the secret.** Amounts, items, the
//! customer's name and every other field can be changed in transit without breaking it, and
//! a captured notification can be replayed. A receiver must look the order up by `id` in its
//! own records and take amounts, products and state from there (or check the received ones
//! against them); treat the notification as a signal that something happened to order `id`,
//! not as the source of the amounts. Serve the endpoint over HTTPS only.

use cartwire_core::form::{Form, Options};
use cartwire_core::{Secret, to_lower_hex, verify_hex_digest};
use md5::{Digest, Md5};

use crate::decode::{decode_form, detect};
use crate::error::{Error, VerifyError};
use crate::payload::{Kind, Notification};

/// Which raw time a notification's hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashedTime {
    /// The `created` field.
    Created,
    /// The `paid` field.
    Paid,
}

impl HashedTime {
    /// The rule of the [module docs](self): `paid` for paid notifications and for prepaid
    /// ones that carry a non-empty `paid`, `created` otherwise.
    pub fn for_kind(kind: Kind, paid: &str) -> HashedTime {
        match kind {
            Kind::Paid => HashedTime::Paid,
            Kind::Prepaid if !paid.is_empty() => HashedTime::Paid,
            _ => HashedTime::Created,
        }
    }

    /// The field's name on the wire.
    pub fn field(self) -> &'static str {
        match self {
            HashedTime::Created => "created",
            HashedTime::Paid => "paid",
        }
    }
}

/// The MD5 of `id + email + time + secret`: the JustClick hash, as raw bytes.
///
/// ```
/// use justclick_invoice::{compute_hash, Secret};
/// use cartwire_core::to_lower_hex;
///
/// // python3 -c 'import hashlib; print(hashlib.md5(b"1001a@b.ru1712044800key").hexdigest())'
/// let digest = compute_hash("1001", "a@b.ru", "1712044800", &Secret::new("key"));
/// assert_eq!(to_lower_hex(&digest), "966ced20b2e3a41f8582d4fd7e464f48");
/// ```
pub fn compute_hash(id: &str, email: &str, time: &str, secret: &Secret) -> [u8; 16] {
    let mut md5 = Md5::new();
    md5.update(id.as_bytes());
    md5.update(email.as_bytes());
    md5.update(time.as_bytes());
    md5.update(secret.expose_bytes());
    md5.finalize().into()
}

/// Checks `received` against the hash of the other parts, in constant time.
fn check(
    id: &str,
    email: &str,
    time: &str,
    received: Option<&str>,
    secret: &Secret,
) -> Result<(), VerifyError> {
    if secret.is_empty() {
        return Err(VerifyError::EmptySecret);
    }
    let received = received.ok_or(VerifyError::MissingHash)?;
    let computed = compute_hash(id, email, time, secret);
    verify_hex_digest(received, &computed).map_err(VerifyError::Hash)
}

impl Notification {
    /// Which raw time the hash covers.
    pub fn hashed_time(&self) -> HashedTime {
        let paid = self.payment().map(|p| p.paid.raw()).unwrap_or_default();
        HashedTime::for_kind(self.kind(), paid)
    }

    /// The raw text of the time the hash covers (`""` when absent).
    fn hashed_time_text(&self) -> &str {
        match self {
            Notification::Unknown(unknown) => unknown.get("created").unwrap_or_default(),
            _ => match self.hashed_time() {
                HashedTime::Paid => self.payment().map(|p| p.paid.raw()),
                HashedTime::Created => self.invoice().map(|i| i.created.raw()),
            }
            .unwrap_or_default(),
        }
    }

    /// The hash a JustClick server holding `secret` would send for this notification, in
    /// lower-case hex.
    pub fn expected_hash(&self, secret: &Secret) -> String {
        to_lower_hex(&compute_hash(
            self.id(),
            self.email(),
            self.hashed_time_text(),
            secret,
        ))
    }

    /// Checks the `hash` field against `secret`, in constant time.
    ///
    /// An empty `hash` fails with [`cartwire_core::VerifyError::Empty`] (a decoded
    /// notification does not tell an absent hash from an empty one; [`decode_verified`] and
    /// [`verify`] do, with [`VerifyError::MissingHash`]).
    ///
    /// Remember that the hash covers only `id`, `email` and one time: see the
    /// [module docs](mod@crate::verify#what-the-hash-does-not-cover).
    pub fn verify(&self, secret: &Secret) -> Result<(), VerifyError> {
        check(
            self.id(),
            self.email(),
            self.hashed_time_text(),
            Some(self.hash()),
            secret,
        )
    }

    /// Sets the `hash` field to the hash computed with `secret`.
    pub fn sign(&mut self, secret: &Secret) {
        let hash = self.expected_hash(secret);
        match self {
            Notification::Unknown(unknown) => unknown.fields.insert("hash", hash),
            other => {
                if let Some(invoice) = other.invoice_mut() {
                    invoice.hash = hash;
                }
            }
        }
    }
}

/// Decodes a notification body and checks its hash: the one call a receiver needs.
///
/// Malformed input fails with [`Error::Decode`] (answer 400), a bad or missing hash with
/// [`Error::Verify`] (answer 401 or 403). The amounts in a verified notification are still
/// not covered by the hash: see the [module docs](mod@crate::verify#what-the-hash-does-not-cover).
///
/// ```
/// use justclick_invoice::{decode_verified, Error, Secret};
///
/// // The hash was computed outside Rust:
/// // python3 -c 'import hashlib; print(hashlib.md5(b"1001a@b.ru1712044800key").hexdigest())'
/// let body = b"status=new_order&id=1001&email=a%40b.ru&created=1712044800\
///              &hash=966ced20b2e3a41f8582d4fd7e464f48";
/// let notification = decode_verified(body, &Secret::new("key"))?;
/// assert_eq!(notification.id(), "1001");
///
/// let forged = decode_verified(body, &Secret::new("other key"));
/// assert!(matches!(forged, Err(Error::Verify(_))));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_verified(body: &[u8], secret: &Secret) -> Result<Notification, Error> {
    decode_verified_with(body, secret, &Options::default())
}

/// [`decode_verified`] with explicit form options.
pub fn decode_verified_with(
    body: &[u8],
    secret: &Secret,
    options: &Options,
) -> Result<Notification, Error> {
    let form = Form::parse_with(body, options)?;
    let notification = decode_form(&form)?;
    if form.tree().get("hash").is_none() {
        return Err(if secret.is_empty() {
            VerifyError::EmptySecret
        } else {
            VerifyError::MissingHash
        }
        .into());
    }
    notification.verify(secret)?;
    Ok(notification)
}

/// Checks the hash of a notification body without decoding its typed fields, exactly as
/// JustClick's PHP example does (absent fields count as empty strings).
///
/// Only the form syntax can make it fail with [`Error::Decode`]; a body that verifies may
/// still be rejected by [`decode`](crate::decode()) (a missing `id`, say).
pub fn verify(body: &[u8], secret: &Secret) -> Result<(), Error> {
    let form = Form::parse(body)?;
    let tree = form.tree();
    let text = |key: &str| tree.get_text(key).unwrap_or_default();
    let time = HashedTime::for_kind(detect(tree), text("paid"));
    check(
        text("id"),
        text("email"),
        text(time.field()),
        tree.get_text("hash"),
        secret,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::payload::{Created, Invoice, Payment, Prepaid, UnixTime, Unknown};
    use cartwire_core::Decimal;

    #[test]
    fn hash_vectors_computed_outside_rust() {
        let key = Secret::new("k");
        // python3 -c 'import hashlib; print(hashlib.md5("1001ivan@example.ru1712044800k".encode()).hexdigest())'
        assert_eq!(
            to_lower_hex(&compute_hash("1001", "ivan@example.ru", "1712044800", &key)),
            "c112a3070abacd044a1749910030bb13"
        );
        // python3 -c 'import hashlib; print(hashlib.md5("1001ivan@example.ru1712048461k".encode()).hexdigest())'
        assert_eq!(
            to_lower_hex(&compute_hash("1001", "ivan@example.ru", "1712048461", &key)),
            "607cd158a6df90d94d58cab25d57021e"
        );
        // UTF-8 bytes of every part:
        // python3 -c 'import hashlib; print(hashlib.md5("77Иван@почта.рф1712044800ключ".encode()).hexdigest())'
        assert_eq!(
            to_lower_hex(&compute_hash(
                "77",
                "Иван@почта.рф",
                "1712044800",
                &Secret::new("ключ")
            )),
            "f63e43dbff720ca8d2d590e299e29283"
        );
    }

    #[test]
    fn the_time_in_the_hash() {
        assert_eq!(HashedTime::for_kind(Kind::Paid, ""), HashedTime::Paid);
        assert_eq!(HashedTime::for_kind(Kind::Prepaid, "5"), HashedTime::Paid);
        assert_eq!(HashedTime::for_kind(Kind::Prepaid, ""), HashedTime::Created);
        for kind in [
            Kind::Created,
            Kind::Cancelled,
            Kind::Moneyback,
            Kind::Unknown,
        ] {
            assert_eq!(HashedTime::for_kind(kind, "5"), HashedTime::Created);
        }
        assert_eq!(HashedTime::Paid.field(), "paid");
    }

    #[test]
    fn prepaid_without_paid_is_signed_over_created() {
        let mut invoice = Invoice::new("1001", "ivan@example.ru");
        invoice.created = UnixTime::from_seconds(1_712_044_800).unwrap();
        let mut n: Notification = Prepaid::new(invoice, Decimal::ONE, Payment::default()).into();
        let key = Secret::new("k");
        assert_eq!(n.hashed_time(), HashedTime::Created);
        // Same vector as above: md5("1001ivan@example.ru1712044800k").
        assert_eq!(n.expected_hash(&key), "c112a3070abacd044a1749910030bb13");
        n.sign(&key);
        assert_eq!(n.hash(), "c112a3070abacd044a1749910030bb13");
        let body = crate::encode(&n);
        assert!(verify(body.as_bytes(), &key).is_ok());
    }

    #[test]
    fn unknown_kinds_are_signed_in_place() {
        let fields = [
            ("status", "s"),
            ("id", "1001"),
            ("email", "ivan@example.ru"),
            ("created", "1712044800"),
            ("hash", "old"),
            ("after", "x"),
        ]
        .into_iter()
        .collect();
        let mut n: Notification = Unknown::new(fields).into();
        let key = Secret::new("k");
        assert!(n.verify(&key).is_err());
        n.sign(&key);
        assert_eq!(n.hash(), "c112a3070abacd044a1749910030bb13");
        assert!(crate::encode(&n).ends_with("hash=c112a3070abacd044a1749910030bb13&after=x"));
    }

    #[test]
    fn an_empty_hash_on_a_decoded_notification_is_empty_not_missing() {
        let n: Notification = Created::new(Invoice::new("1", "a")).into();
        assert_eq!(
            n.verify(&Secret::new("k")),
            Err(VerifyError::Hash(cartwire_core::VerifyError::Empty))
        );
        assert_eq!(n.verify(&Secret::new("")), Err(VerifyError::EmptySecret));
    }
}
