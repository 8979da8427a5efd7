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
//! empty, truncated, over-long, non-hex or missing hash fails with its own [`VerifyError`](crate::VerifyError),
//! inside an [`Error::Verify`] naming the field `hash` ([`Credential::Hash`]). An empty key
//! cannot be used at all: [`JustClickKey::new`] refuses it (MD5 without a key is no proof).
//!
//! # Verified first, on the raw values
//!
//! [`JustClickKey`]'s [`Receiver::verify`](crate::Receiver::verify) reads the body as a form and takes the raw `id`,
//! `email`, the hashed time and `hash`, nothing else; only a body whose hash checks out is
//! then decoded ([`Receiver::receive`](crate::Receiver::receive)). So a forged body is refused as forged
//! (`VerificationFailed`), whatever else is wrong with it: a missing `email`, a `sum` that is
//! not a number. Absent `id`, `email` or time count as empty strings, as in JustClick's PHP
//! example. Only a body that cannot be read as a form at all (a repeated key, a key or value
//! that is not UTF-8, a limit exceeded, a `hash` given as nested keys) is refused before its
//! hash is checked, as `Malformed` or `LimitExceeded`.
//!
//! The kind, which decides the hashed time, is told from the same parsed form by the same
//! rule as the decoder's ([`Kind::detect`]), so a body cannot be verified as one kind and
//! decoded as another (a created notification's hash replayed on a body made to look paid).
//!
//! # What the hash does not cover
//!
//! **The hash covers only `id`, `email`, the time T and the secret.** Amounts, items, the
//! customer's name and every other field can be changed in transit without breaking it, and
//! a captured notification can be replayed. A receiver must look the order up by `id` in its
//! own records and take amounts, products and state from there (or check the received ones
//! against them); treat the notification as a signal that something happened to order `id`,
//! not as the source of the amounts. Serve the endpoint over HTTPS only.

use cartwire_core::form::{Form, FormValue};
use cartwire_core::{Credential, Error, Secret, to_lower_hex, verify_hex_digest};
use md5::{Digest, Md5};

use crate::decode::detect;
use crate::payload::{Kind, Notification};
use crate::receive::JustClickKey;

/// The name of the field that carries the hash.
pub(crate) const HASH_FIELD: &str = "hash";

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

/// The MD5 of `id + email + time + secret`: the JustClick hash, as raw bytes. The low-level
/// recipe; receivers use [`JustClickKey`], senders [`Notification::sign`].
///
/// ```
/// use justclick_invoice::{compute_hash, Secret};
///
/// // python3 -c 'import hashlib; print(hashlib.md5(b"1001a@b.ru1712044800key").hexdigest())'
/// let digest = compute_hash("1001", "a@b.ru", "1712044800", &Secret::new("key"));
/// let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
/// assert_eq!(hex, "966ced20b2e3a41f8582d4fd7e464f48");
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
fn check(id: &str, email: &str, time: &str, received: &str, secret: &Secret) -> Result<(), Error> {
    let computed = compute_hash(id, email, time, secret);
    verify_hex_digest(received, &computed).map_err(|err| err.at(Credential::Hash, HASH_FIELD))
}

/// Checks the hash of a notification body on its raw values, without decoding its typed
/// fields, exactly as JustClick's PHP example does (absent fields count as empty strings):
/// what [`JustClickKey`]'s `verify` runs (see the [module docs](self#verified-first-on-the-raw-values)).
pub(crate) fn verify_body(body: &[u8], secret: &Secret) -> Result<(), Error> {
    verify_form(&Form::parse(body)?, secret)
}

/// [`verify_body`] on a body already parsed.
pub(crate) fn verify_form(form: &Form<'_>, secret: &Secret) -> Result<(), Error> {
    let tree = form.tree();
    let received = match tree.get(HASH_FIELD) {
        None => return Err(cartwire_core::VerifyError::Missing.at(Credential::Hash, HASH_FIELD)),
        Some(FormValue::Map(_)) => {
            return Err(Error::malformed(
                HASH_FIELD,
                "expected a value, found nested keys",
            ));
        }
        Some(FormValue::Text(received)) => received,
    };
    let text = |key: &str| tree.get_text(key).unwrap_or_default();
    let time = HashedTime::for_kind(detect(tree), text("paid"));
    check(
        text("id"),
        text("email"),
        text(time.field()),
        received,
        secret,
    )
}

impl Notification {
    /// Which raw time the hash covers.
    pub fn hashed_time(&self) -> HashedTime {
        let paid = self.payment().map(|p| p.paid.raw()).unwrap_or_default();
        HashedTime::for_kind(self.kind(), paid)
    }

    /// The raw text of the time the hash covers (`""` when absent): `paid` or `created`, as
    /// [`hashed_time`](Self::hashed_time) says.
    pub fn hashed_time_text(&self) -> &str {
        match self {
            Notification::Unknown(unknown) => unknown.created.as_deref().unwrap_or_default(),
            _ => match self.hashed_time() {
                HashedTime::Paid => self.payment().map(|p| p.paid.raw()),
                HashedTime::Created => self.invoice().map(|i| i.created.raw()),
            }
            .unwrap_or_default(),
        }
    }

    /// The hash a JustClick server holding `key` would send for this notification, in
    /// lower-case hex.
    pub fn expected_hash(&self, key: &JustClickKey) -> String {
        to_lower_hex(&compute_hash(
            self.id(),
            self.email(),
            self.hashed_time_text(),
            key.secret(),
        ))
    }

    /// Checks the `hash` field of a decoded notification against `key`, in constant time.
    ///
    /// A receiver does not need this: [`JustClickKey`]'s `receive` checks the hash of the
    /// delivery before decoding it. An empty or absent `hash` fails with
    /// [`VerifyError::Empty`](crate::VerifyError::Empty) (a decoded notification does not
    /// tell them apart; the receiving path does, with
    /// [`VerifyError::Missing`](crate::VerifyError::Missing)).
    ///
    /// Remember that the hash covers only `id`, `email` and one time: see the
    /// [module docs](mod@crate::verify#what-the-hash-does-not-cover).
    ///
    /// # Errors
    ///
    /// [`Error::Verify`] naming `hash` when it does not check out.
    pub fn verify(&self, key: &JustClickKey) -> Result<(), Error> {
        check(
            self.id(),
            self.email(),
            self.hashed_time_text(),
            self.hash(),
            key.secret(),
        )
    }

    /// Sets the `hash` field to the hash computed with `key`.
    ///
    /// ```
    /// use justclick_invoice::{Created, Invoice, JustClickKey, Notification};
    ///
    /// let key = JustClickKey::new("api-key")?;
    /// let mut n: Notification = Created::new(Invoice::new("1001", "a@b.ru")).into();
    /// n.sign(&key);
    /// assert_eq!(n.hash(), n.expected_hash(&key));
    /// assert!(n.verify(&key).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign(&mut self, key: &JustClickKey) {
        let hash = self.expected_hash(key);
        match self {
            Notification::Unknown(unknown) => unknown.hash = Some(hash),
            other => {
                if let Some(invoice) = other.invoice_mut() {
                    invoice.hash = hash;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::payload::{Created, Invoice, Payment, Prepaid, UnixTime, Unknown};
    use cartwire_core::{Decimal, ErrorKind, VerifyError};

    fn key(k: &str) -> JustClickKey {
        JustClickKey::new(k).unwrap()
    }

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
        let key = key("k");
        assert_eq!(n.hashed_time(), HashedTime::Created);
        // Same vector as above: md5("1001ivan@example.ru1712044800k").
        assert_eq!(n.expected_hash(&key), "c112a3070abacd044a1749910030bb13");
        n.sign(&key);
        assert_eq!(n.hash(), "c112a3070abacd044a1749910030bb13");
        let body = crate::encode(&n);
        assert!(verify_body(body.as_bytes(), key.secret()).is_ok());
    }

    #[test]
    fn unknown_kinds_are_signed_in_place() {
        let mut unknown = Unknown::new("s", "1001", "ivan@example.ru");
        unknown.created = Some("1712044800".into());
        unknown.hash = Some("old".into());
        unknown.extra.insert("after".into(), "x".into());
        let mut n: Notification = unknown.into();
        let key = key("k");
        assert_eq!(
            n.verify(&key).unwrap_err(),
            VerifyError::Length {
                expected: 32,
                found: 3
            }
            .at(Credential::Hash, "hash")
        );
        n.sign(&key);
        assert_eq!(n.hash(), "c112a3070abacd044a1749910030bb13");
        assert!(crate::encode(&n).ends_with("after=x&hash=c112a3070abacd044a1749910030bb13"));
    }

    #[test]
    fn an_empty_hash_on_a_decoded_notification_is_empty_not_missing() {
        let n: Notification = Created::new(Invoice::new("1", "a")).into();
        let err = n.verify(&key("k")).unwrap_err();
        assert_eq!(err, VerifyError::Empty.at(Credential::Hash, "hash"));
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));
    }

    #[test]
    fn the_raw_check_names_the_hash_and_reads_no_more_than_it_needs() {
        let secret = Secret::new("k");
        let missing = verify_body(b"id=1&email=a&paid=1", &secret).unwrap_err();
        assert_eq!(missing, VerifyError::Missing.at(Credential::Hash, "hash"));
        assert_eq!(
            missing.to_string(),
            "verification failed: `hash` is missing"
        );
        // A bad sum and no email: forged, not malformed.
        let forged = verify_body(b"id=1&paid=1&items[0][sum]=x&hash=00", &secret).unwrap_err();
        assert_eq!(forged.kind(), ErrorKind::VerificationFailed);
        // A hash given as nested keys cannot be read at all.
        let nested = verify_body(b"id=1&hash[]=00", &secret).unwrap_err();
        assert_eq!(nested.kind(), ErrorKind::Malformed);
        assert_eq!(nested.field(), Some("hash"));
    }
}
