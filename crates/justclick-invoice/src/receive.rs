//! Receiving: [`JustClickKey`], the API key of the JustClick cabinet, which checks a
//! delivery's MD5 `hash` first and only then decodes the notification.
//!
//! JustClick only POSTs: the notification is the body of a POST (a GET, or any method
//! without a body, is malformed, naming `method`). The key implements [`Receiver`], so
//! everything generic works with it: [`Receiver::receive`] (verify, then decode), the axum
//! extractors (`axum08::VerifiedNotification`, feature `axum08`), `Delivery::from(&request)`
//! (feature `http`), and one tracing event per delivery (feature `tracing`).
//!
//! ```
//! use justclick_invoice::{Delivery, ErrorKind, JustClickKey, Notification, Receiver, samples};
//!
//! let key = JustClickKey::new(samples::SECRET)?; // from your configuration
//! let delivery = Delivery::post("/hooks/justclick", samples::PAID.as_bytes())
//!     .header("Content-Type", "application/x-www-form-urlencoded");
//! let Notification::Paid(paid) = key.receive(&delivery)? else { unreachable!() };
//! assert_eq!(paid.invoice.id, "1001");
//!
//! // A forged body is refused as forged, whatever else is wrong with it.
//! let err = key.receive(&Delivery::post("/hooks/justclick", b"id=1001&paid=1&hash=00"))
//!     .unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::VerificationFailed);
//! assert_eq!(err.field(), Some("hash"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::form::Form;
use cartwire_core::receive::observe;
use cartwire_core::{Delivery, EmptyKey, Error, Receiver, Secret};

use crate::payload::Notification;
use crate::verify::{verify_body, verify_form};

/// The API key of the JustClick cabinet, which JustClick keys the `hash` of every
/// notification with: the receiving key of this crate (a [`Receiver`]).
///
/// Build it once at start-up: [`new`](Self::new) refuses an empty key, so a missing
/// configuration value stops the service there instead of refusing every delivery. Its
/// `Debug` output never shows the key.
///
/// ```
/// use justclick_invoice::{JustClickKey, Receiver, Delivery, samples};
///
/// let key = JustClickKey::new("from-the-cabinet")?;
/// assert_eq!(format!("{key:?}"), r#"JustClickKey { secret: Secret("[redacted]") }"#);
/// assert!(JustClickKey::new("").is_err());
///
/// // The body alone is enough for JustClick:
/// let key = JustClickKey::new(samples::SECRET)?;
/// let n = key.decode_verified(samples::CREATED.as_bytes())?;
/// assert_eq!(n.kind().as_str(), "created");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JustClickKey {
    secret: Secret,
}

impl JustClickKey {
    /// The key, as the JustClick cabinet shows it.
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] for the empty string: an MD5 keyed with nothing proves nothing.
    pub fn new(key: impl Into<Secret>) -> Result<Self, EmptyKey> {
        Ok(Self {
            secret: Secret::non_empty(key, "JustClick API key")?,
        })
    }

    /// The key itself, for computing a hash with [`compute_hash`](crate::compute_hash).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Checks the hash of a POSTed notification body, then decodes it: [`Receiver::receive`]
    /// of a POST of `body`, for servers that hand over the body alone.
    ///
    /// The amounts of a verified notification are still not covered by the hash: see
    /// [`verify`](mod@crate::verify#what-the-hash-does-not-cover).
    ///
    /// ```
    /// use justclick_invoice::{ErrorKind, JustClickKey};
    ///
    /// // The hash was computed outside Rust:
    /// // python3 -c 'import hashlib; print(hashlib.md5(b"1001a@b.ru1712044800key").hexdigest())'
    /// let body = b"status=new_order&id=1001&email=a%40b.ru&created=1712044800\
    ///              &hash=966ced20b2e3a41f8582d4fd7e464f48";
    /// let notification = JustClickKey::new("key")?.decode_verified(body)?;
    /// assert_eq!(notification.id(), "1001");
    ///
    /// let forged = JustClickKey::new("other key")?.decode_verified(body).unwrap_err();
    /// assert_eq!(forged.kind(), ErrorKind::VerificationFailed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Receiver::receive`]: [`Error::Verify`] naming `hash` (missing, empty, truncated,
    /// not hex, or not matching), then [`Error::Malformed`] naming the field, or
    /// [`Error::Limit`].
    pub fn decode_verified(&self, body: &[u8]) -> Result<Notification, Error> {
        self.receive(&Delivery::post("/", body))
    }
}

impl Receiver for JustClickKey {
    type Notification = Notification;

    const PROTOCOL: &'static str = "justclick";

    /// Checks the `hash` of the POSTed body on its raw values (see
    /// [`verify`](mod@crate::verify#verified-first-on-the-raw-values)).
    fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
        verify_body(delivery.posted_body()?, &self.secret)
    }

    /// Decodes the POSTed body, **without verifying it** ([`decode`](crate::decode())).
    fn decode(delivery: &Delivery<'_>) -> Result<Notification, Error> {
        crate::decode(delivery.posted_body()?)
    }

    /// [`verify`](Receiver::verify), then [`decode`](Receiver::decode), on one parse of the
    /// body: the hash is checked on the parsed form's raw values before any field is judged,
    /// exactly as the two steps do (a forged body that is also malformed is refused as
    /// forged), and the tracing event is the provided method's.
    fn receive(&self, delivery: &Delivery<'_>) -> Result<Notification, Error> {
        let result = delivery
            .posted_body()
            .and_then(Form::parse)
            .and_then(|form| {
                verify_form(&form, &self.secret)?;
                crate::decode::from_tree(&mut form.into_tree())
            });
        observe(Self::PROTOCOL, true, result)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use cartwire_core::{Credential, ErrorKind, VerifyError};

    #[test]
    fn an_empty_key_is_refused() {
        let err = JustClickKey::new("").unwrap_err();
        assert_eq!(err.what, "JustClick API key");
        assert_eq!(
            err.to_string(),
            "the JustClick API key is empty (a missing configuration value?)"
        );
        assert!(JustClickKey::new(String::from(" ")).is_ok());
    }

    #[test]
    fn only_posts_are_read() {
        let key = JustClickKey::new(samples::SECRET).unwrap();
        let get = Delivery::get("/jc?id=1");
        let err = key.receive(&get).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some("method"));
        assert_eq!(
            JustClickKey::receive_unverified(&get).unwrap_err().field(),
            Some("method")
        );
        let put = Delivery::new("PUT", "/jc").body(samples::PAID.as_bytes());
        assert!(key.receive(&put).is_ok());
    }

    #[test]
    fn a_missing_hash_is_named() {
        let key = JustClickKey::new("k").unwrap();
        let err = key.decode_verified(b"id=1&email=a&paid=1").unwrap_err();
        assert_eq!(err, VerifyError::Missing.at(Credential::Hash, "hash"));
    }
}
