//! The receiving model every cartwire protocol crate implements: a [`Delivery`] (one request
//! as the receiver saw it) goes into a [`Receiver`] (a protocol's key), which checks the hash,
//! signature or token **first**, on the raw wire values, and only then decodes the typed
//! notification.
//!
//! | protocol crate | key type ([`Receiver`]) | what it checks |
//! |---|---|---|
//! | `justclick-invoice` | `JustClickKey` | the MD5 `hash` field |
//! | `cartfreak-notify` | `CartFreakKey` | the SHA-1 `hash` field (POST flavour; the GET flavour has none: [`Receiver::receive_unverified`]) |
//! | `cartloom-order` | `CartloomToken` | the secret `token` in the Notify URL's query |
//! | `cartfunnel-client-types` | `CartfunnelWebhookSecret` | the `X-Cartfunnel-Hmac-SHA256` header |
//!
//! Everything generic is written once on top of it: the axum extractors
//! ([`axum08::Verified`](crate::axum08::Verified), feature `axum08`), the
//! `From<&http::Request>` conversion (feature `http`), the `cartwire` command's `decode` and
//! `listen`, and one [`tracing`](https://docs.rs/tracing) event per delivery (feature
//! `tracing`).
//!
//! A key refuses to be built empty ([`EmptyKey`]), so a service with a missing configuration
//! value fails at start-up, not with a 401 on every delivery.
//!
//! ```
//! use cartwire_core::{Delivery, Error, ErrorKind, Receiver};
//!
//! /// One handler for any protocol: the status to answer and what to log.
//! fn answer<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> (u16, String) {
//!     match key.receive(delivery) {
//!         Ok(notification) => (200, format!("{} {}", R::PROTOCOL, notification.dedup_key())),
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => (401, err.to_string()),
//!         Err(err) => (400, err.to_string()),
//!     }
//! }
//! # use cartwire_core::{Dedup, DedupKey};
//! # struct Key; struct Ping(String);
//! # impl Dedup for Ping { fn dedup_key(&self) -> DedupKey { DedupKey::builder("ping", "ping").field("id", &self.0).finish() } }
//! # impl Receiver for Key {
//! #     type Notification = Ping;
//! #     const PROTOCOL: &'static str = "ping";
//! #     fn verify(&self, d: &Delivery<'_>) -> Result<(), Error> { Ok(()) }
//! #     fn decode(d: &Delivery<'_>) -> Result<Ping, Error> { Ok(Ping(d.query().to_owned())) }
//! # }
//! let delivery = Delivery::get("/hooks/ping?1");
//! assert_eq!(answer(&Key, &delivery).0, 200);
//! ```

use core::fmt;

use crate::dedup::Dedup;
use crate::{Error, Secret};

/// One request as the receiver saw it: method, request target (path and query), headers and
/// body, all borrowed.
///
/// Build one from whatever your server hands you ([`Delivery::new`], [`Delivery::post`],
/// [`Delivery::get`], then [`Delivery::header`]), or, with the `http` feature, from an
/// `http::Request` (`Delivery::from(&request)`).
///
/// Its [`Debug`](fmt::Debug) output shows the method, the path, the header names and the body's
/// length, never the query (a Cartloom token travels there), header values or the body.
///
/// ```
/// use cartwire_core::Delivery;
///
/// let body = b"id=1001&email=a%40b.ru";
/// let delivery = Delivery::post("/hooks/justclick?from=jc", body)
///     .header("Content-Type", "application/x-www-form-urlencoded")
///     .header("X-Request-Id", "7f3a");
/// assert_eq!(delivery.method(), "POST");
/// assert_eq!(delivery.path(), "/hooks/justclick");
/// assert_eq!(delivery.query(), "from=jc");
/// assert_eq!(delivery.header_value("x-request-id")?, Some("7f3a"));
/// assert_eq!(delivery.posted_body()?, body);
///
/// // A full URL works as a target too: the query is what follows `?`, up to any `#`.
/// let get = Delivery::get("https://shop.example/cf.php?command=REMOVE&email=a%40b.c#top");
/// assert_eq!(get.path(), "/cf.php");
/// assert_eq!(get.query_or_body()?, b"command=REMOVE&email=a%40b.c");
/// assert!(get.posted_body().is_err()); // a GET has no body to read a POST-only protocol from
/// # Ok::<(), cartwire_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Delivery<'a> {
    method: &'a str,
    target: &'a str,
    headers: Vec<(&'a str, &'a [u8])>,
    body: &'a [u8],
}

impl<'a> Delivery<'a> {
    /// A delivery with this method (`GET`, `POST`, …, compared without regard to case) and
    /// request target (`/hook?token=…`, or a full URL), no headers and an empty body.
    pub fn new(method: &'a str, target: &'a str) -> Self {
        Self {
            method,
            target,
            headers: Vec::new(),
            body: &[],
        }
    }

    /// A `POST` of `body` to `target`.
    pub fn post(target: &'a str, body: &'a [u8]) -> Self {
        Self::new("POST", target).body(body)
    }

    /// A `GET` of `target` (the payload, if any, in its query).
    pub fn get(target: &'a str) -> Self {
        Self::new("GET", target)
    }

    /// Adds a header (names are compared without regard to case; values are bytes, as on the
    /// wire).
    pub fn header(mut self, name: &'a str, value: &'a (impl AsRef<[u8]> + ?Sized)) -> Self {
        self.headers.push((name, value.as_ref()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The method, as given.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request target, as given.
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The target without query and fragment; for a full URL, without scheme and authority
    /// too (`/` when the URL has no path).
    pub fn path(&self) -> &'a str {
        let target = self.target;
        let end = target.find(['?', '#']).unwrap_or(target.len());
        let before_query = target.get(..end).unwrap_or_default();
        match before_query.split_once("://") {
            Some((_, rest)) => match rest.find('/') {
                Some(slash) => rest.get(slash..).unwrap_or("/"),
                None => "/",
            },
            None => before_query,
        }
    }

    /// The query string without `?` (and without any `#fragment`); empty when there is none.
    pub fn query(&self) -> &'a str {
        let target = self.target;
        let target = target.split_once('#').map_or(target, |(before, _)| before);
        target.split_once('?').map_or("", |(_, query)| query)
    }

    /// The body.
    pub fn body_bytes(&self) -> &'a [u8] {
        self.body
    }

    /// Every header, in order, values as bytes.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'a str, &'a [u8])> + '_ {
        self.headers.iter().copied()
    }

    /// The value of the header `name` (compared without regard to case), `None` when absent.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming the header when it is repeated (two values for one
    /// credential are a forgery waiting to happen) or its value is not visible ASCII.
    pub fn header_value(&self, name: &str) -> Result<Option<&'a str>, Error> {
        let mut found = None;
        for (header, value) in &self.headers {
            if header.eq_ignore_ascii_case(name) {
                if found.is_some() {
                    return Err(Error::malformed(name, "the header is repeated"));
                }
                found = Some(*value);
            }
        }
        match found {
            None => Ok(None),
            Some(value) => {
                let visible = value.iter().all(|b| matches!(b, b'\t' | b' '..=b'~'));
                match (visible, std::str::from_utf8(value)) {
                    (true, Ok(text)) => Ok(Some(text)),
                    _ => Err(Error::malformed(
                        name,
                        "the header value is not visible ASCII",
                    )),
                }
            }
        }
    }

    fn is(&self, method: &str) -> bool {
        self.method.eq_ignore_ascii_case(method)
    }

    fn carries_body(&self) -> bool {
        self.is("POST") || self.is("PUT") || self.is("PATCH")
    }

    fn reads_query(&self) -> bool {
        self.is("GET") || self.is("HEAD")
    }

    fn wrong_method(&self, expected: &str) -> Error {
        Error::malformed(
            "method",
            format!("expected {expected}, found {}", self.method),
        )
    }

    /// The body of a POST, PUT or PATCH: the wire input of a protocol that is only ever
    /// posted. The query is not merged in: a hash checked over the body and a field read from
    /// the URL is a forgery waiting to happen.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `method` for a GET or any other method without a body.
    pub fn posted_body(&self) -> Result<&'a [u8], Error> {
        if self.carries_body() {
            Ok(self.body)
        } else {
            Err(self.wrong_method("POST"))
        }
    }

    /// The wire input of a protocol delivered both ways: the query of a GET or HEAD (their
    /// body, if any, is ignored), the body of a POST, PUT or PATCH (its query is ignored).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `method` for any other method: there is no notification in
    /// a `DELETE`.
    pub fn query_or_body(&self) -> Result<&'a [u8], Error> {
        if self.reads_query() {
            Ok(self.query().as_bytes())
        } else if self.carries_body() {
            Ok(self.body)
        } else {
            Err(self.wrong_method("GET or POST"))
        }
    }
}

impl fmt::Debug for Delivery<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Delivery")
            .field("method", &self.method)
            .field("path", &self.path())
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// A protocol's receiving key: what turns a [`Delivery`] into a verified notification.
///
/// A protocol crate implements [`verify`](Receiver::verify) (check the hash, signature or
/// token on the raw wire values, decoding no more than that needs) and
/// [`decode`](Receiver::decode) (the typed notification, unverified). Callers use
/// [`receive`](Receiver::receive), which runs them in that order, so an unauthenticated body is
/// never judged on its content: a forged body that is also malformed is refused as forged.
///
/// With the `tracing` feature, [`receive`](Receiver::receive) and
/// [`receive_unverified`](Receiver::receive_unverified) emit one event per delivery (target
/// `cartwire`, fields `protocol`, `outcome`, `verified`, and `error_kind`, `field` and
/// `error` when refused, or `dedup_key` when accepted); never a secret, never a body.
pub trait Receiver {
    /// What a delivery decodes to.
    type Notification: Dedup;

    /// The protocol's name, as the `cartwire` command spells it (`justclick`, `cartfreak`,
    /// `cartloom`, `cartfunnel`).
    const PROTOCOL: &'static str;

    /// Checks the delivery's hash, signature or token with this key, on the raw wire values.
    ///
    /// # Errors
    ///
    /// [`Error::Verify`] naming the field or header checked; [`Error::Malformed`] or
    /// [`Error::Limit`] only when the part that carries the credential cannot be read at all
    /// (a wrong method, a form that is not a form).
    fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error>;

    /// Decodes the delivery's notification **without verifying it**. Prefer
    /// [`receive`](Receiver::receive), or [`receive_unverified`](Receiver::receive_unverified)
    /// where the flavour carries nothing to verify.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming the field, or [`Error::Limit`].
    fn decode(delivery: &Delivery<'_>) -> Result<Self::Notification, Error>;

    /// Verifies the delivery, then decodes it: what a receiver does.
    ///
    /// # Errors
    ///
    /// As [`verify`](Receiver::verify), then as [`decode`](Receiver::decode).
    fn receive(&self, delivery: &Delivery<'_>) -> Result<Self::Notification, Error> {
        let result = self.verify(delivery).and_then(|()| Self::decode(delivery));
        observe(Self::PROTOCOL, true, result)
    }

    /// Decodes the delivery without verifying it, visibly: for a flavour that carries nothing
    /// to verify (CartFreak's documented GET), for development, or for a delivery checked
    /// some other way. Same as [`decode`](Receiver::decode), plus the tracing event.
    ///
    /// # Errors
    ///
    /// As [`decode`](Receiver::decode).
    fn receive_unverified(delivery: &Delivery<'_>) -> Result<Self::Notification, Error>
    where
        Self: Sized,
    {
        observe(Self::PROTOCOL, false, Self::decode(delivery))
    }

    /// The body of the answer to a refused delivery, for senders that read it (CartFreak
    /// expects `ERROR <reason>`); the error's message by default.
    fn refusal_body(error: &Error) -> String
    where
        Self: Sized,
    {
        error.to_string()
    }
}

/// Emits the tracing event of one delivery (feature `tracing`; without it, nothing), and hands
/// the result back: the event [`Receiver::receive`] emits.
///
/// For a protocol crate that overrides [`Receiver::receive`] (to parse its wire input once for
/// both the check and the decode): pass the result through this, with `verified` true, so
/// the event is the same as the provided method's. The override must still verify before it
/// judges any content, so that a forged body that is also malformed is refused as forged.
///
/// ```
/// use cartwire_core::{Dedup, DedupKey, Delivery, Error, Receiver, receive::observe};
///
/// struct Ping;
/// impl Dedup for Ping {
///     fn dedup_key(&self) -> DedupKey {
///         DedupKey::builder("ping", "ping").field("id", "1").finish()
///     }
/// }
///
/// struct PingKey;
/// impl Receiver for PingKey {
///     type Notification = Ping;
///     const PROTOCOL: &'static str = "ping";
///     fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
///         if delivery.query() == "key=k" { Ok(()) } else { Err(Error::malformed("key", "wrong")) }
///     }
///     fn decode(_: &Delivery<'_>) -> Result<Ping, Error> {
///         Ok(Ping)
///     }
///     fn receive(&self, delivery: &Delivery<'_>) -> Result<Ping, Error> {
///         // One pass for both, verification first.
///         let result = self.verify(delivery).map(|()| Ping);
///         observe(Self::PROTOCOL, true, result)
///     }
/// }
///
/// assert!(PingKey.receive(&Delivery::get("/ping?key=k")).is_ok());
/// ```
pub fn observe<T: Dedup>(
    protocol: &'static str,
    verified: bool,
    result: Result<T, Error>,
) -> Result<T, Error> {
    #[cfg(feature = "tracing")]
    match &result {
        Ok(notification) => tracing::info!(
            target: "cartwire",
            protocol,
            outcome = "accepted",
            verified,
            dedup_key = %notification.dedup_key(),
            "delivery accepted"
        ),
        Err(err) => refused(protocol, verified, err),
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (protocol, verified);
    result
}

/// The tracing event of a refused delivery (feature `tracing`).
#[cfg(feature = "tracing")]
pub(crate) fn refused(protocol: &'static str, verified: bool, err: &Error) {
    tracing::warn!(
        target: "cartwire",
        protocol,
        outcome = "refused",
        verified,
        error_kind = ?err.kind(),
        field = err.field().unwrap_or(""),
        error = %err,
        "delivery refused"
    );
}

/// A receiving key was configured empty: a hash keyed with nothing proves nothing, and an
/// empty token matches nothing worth matching. Returned by the key types' `new`, so that a
/// service with a missing configuration value fails at start-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {what} is empty (a missing configuration value?)")]
#[non_exhaustive]
pub struct EmptyKey {
    /// What the key is (`JustClick API key`, `Cartloom endpoint token`, …).
    pub what: &'static str,
}

impl Secret {
    /// The secret, refused when empty: what every receiving key type's `new` calls.
    ///
    /// ```
    /// use cartwire_core::{EmptyKey, Secret};
    ///
    /// assert!(Secret::non_empty("k", "JustClick API key").is_ok());
    /// let err = Secret::non_empty("", "JustClick API key").unwrap_err();
    /// assert_eq!(err.to_string(), "the JustClick API key is empty (a missing configuration value?)");
    /// ```
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] naming `what` for the empty string.
    pub fn non_empty(value: impl Into<Secret>, what: &'static str) -> Result<Secret, EmptyKey> {
        let secret = value.into();
        if secret.is_empty() {
            Err(EmptyKey { what })
        } else {
            Ok(secret)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{DedupKey, ErrorKind};

    #[test]
    fn targets_split_into_path_and_query() {
        for (target, path, query) in [
            ("/h?a=1&b=%20", "/h", "a=1&b=%20"),
            ("/h", "/h", ""),
            ("/h?", "/h", ""),
            ("/h#x?y", "/h", ""),
            ("/h?a=1#frag", "/h", "a=1"),
            ("https://x.test/cf.php?t=1#f", "/cf.php", "t=1"),
            ("http://x.test", "/", ""),
            ("http://x.test?q=1", "/", "q=1"),
            ("", "", ""),
            ("?only=query", "", "only=query"),
        ] {
            let d = Delivery::get(target);
            assert_eq!(d.path(), path, "{target}");
            assert_eq!(d.query(), query, "{target}");
        }
    }

    #[test]
    fn methods_pick_the_wire_input() {
        for method in ["GET", "HEAD", "get"] {
            let d = Delivery::new(method, "/h?a=1").body(b"ignored");
            assert_eq!(d.query_or_body().unwrap(), b"a=1");
            assert_eq!(
                d.posted_body().unwrap_err().to_string(),
                format!("field `method`: expected POST, found {method}")
            );
        }
        for method in ["POST", "PUT", "PATCH", "post"] {
            let d = Delivery::new(method, "/h?from=url").body(b"from=body");
            assert_eq!(d.query_or_body().unwrap(), b"from=body");
            assert_eq!(d.posted_body().unwrap(), b"from=body");
        }
        let err = Delivery::new("DELETE", "/h?a=1")
            .query_or_body()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some("method"));
        assert_eq!(
            err.to_string(),
            "field `method`: expected GET or POST, found DELETE"
        );
    }

    #[test]
    fn headers_are_found_once_and_read_as_text() {
        let d = Delivery::post("/h", b"")
            .header("X-Sig", "abc")
            .header("x-bin", &[0xff][..])
            .header("x-twice", "1")
            .header("X-Twice", "2")
            .header("x-newline", "a\nb");
        assert_eq!(d.header_value("x-sig").unwrap(), Some("abc"));
        assert_eq!(d.header_value("X-SIG").unwrap(), Some("abc"));
        assert_eq!(d.header_value("x-none").unwrap(), None);
        assert_eq!(d.header_value("x-bin").unwrap_err().field(), Some("x-bin"));
        assert_eq!(
            d.header_value("x-twice").unwrap_err().to_string(),
            "field `x-twice`: the header is repeated"
        );
        assert!(d.header_value("x-newline").is_err());
        assert_eq!(d.headers().len(), 5);
    }

    #[test]
    fn debug_shows_no_query_header_value_or_body() {
        let d = Delivery::post("/hook?token=s3cr3t", b"email=a%40b.c").header("X-Sig", "f00d");
        let debug = format!("{d:?}");
        assert!(debug.contains("/hook"), "{debug}");
        for secret in ["s3cr3t", "f00d", "email"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }

    /// A receiver that verifies `sig=ok` in the query, and decodes the body as an id.
    struct Toy;
    #[derive(Debug)]
    struct Note(String);

    impl Dedup for Note {
        fn dedup_key(&self) -> DedupKey {
            DedupKey::builder("toy", "note")
                .field("id", &self.0)
                .finish()
        }
    }

    impl Receiver for Toy {
        type Notification = Note;
        const PROTOCOL: &'static str = "toy";
        fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
            if delivery.query() == "sig=ok" {
                Ok(())
            } else {
                Err(crate::VerifyError::Mismatch.at(crate::Credential::Token, "sig"))
            }
        }
        fn decode(delivery: &Delivery<'_>) -> Result<Note, Error> {
            let body = delivery.posted_body()?;
            if body.is_empty() {
                return Err(Error::missing("id"));
            }
            Ok(Note(String::from_utf8_lossy(body).into_owned()))
        }
    }

    #[test]
    fn receive_verifies_before_decoding() {
        let ok = Delivery::post("/?sig=ok", b"7");
        assert_eq!(Toy.receive(&ok).unwrap().0, "7");
        // Forged and malformed: refused as forged.
        let forged = Delivery::post("/?sig=no", b"");
        let err = Toy.receive(&forged).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("sig"));
        // Unverified decodes, and judges the content.
        assert_eq!(
            Toy::receive_unverified(&forged).unwrap_err().field(),
            Some("id")
        );
        assert_eq!(Toy::refusal_body(&err), err.to_string());
    }

    /// Collects every event's fields as `name=value` text.
    #[cfg(feature = "tracing")]
    mod collect {
        use std::sync::{Arc, Mutex};
        use tracing::field::{Field, Visit};
        use tracing::span::{Attributes, Id, Record};
        use tracing::{Event, Metadata, Subscriber};

        #[derive(Clone, Default)]
        pub(super) struct Events(pub(super) Arc<Mutex<Vec<String>>>);

        struct Line(String);

        impl Visit for Line {
            fn record_debug(&mut self, field: &Field, value: &dyn core::fmt::Debug) {
                self.0.push_str(&format!("{}={value:?} ", field.name()));
            }
            fn record_str(&mut self, field: &Field, value: &str) {
                self.0.push_str(&format!("{}={value} ", field.name()));
            }
        }

        impl Subscriber for Events {
            fn enabled(&self, _: &Metadata<'_>) -> bool {
                true
            }
            fn new_span(&self, _: &Attributes<'_>) -> Id {
                Id::from_u64(1)
            }
            fn record(&self, _: &Id, _: &Record<'_>) {}
            fn record_follows_from(&self, _: &Id, _: &Id) {}
            fn event(&self, event: &Event<'_>) {
                let mut line = Line(format!(
                    "{} {} ",
                    event.metadata().level(),
                    event.metadata().target()
                ));
                event.record(&mut line);
                self.0.lock().unwrap().push(line.0);
            }
            fn enter(&self, _: &Id) {}
            fn exit(&self, _: &Id) {}
        }
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn one_event_per_delivery_without_secrets_or_bodies() {
        let events = collect::Events::default();
        tracing::subscriber::with_default(events.clone(), || {
            let _ = Toy.receive(&Delivery::post("/?sig=ok", b"body-text-7"));
            let _ = Toy.receive(&Delivery::post("/?sig=s3cr3t", b"body-text-8"));
            let _ = Toy::receive_unverified(&Delivery::post("/?sig=s3cr3t", b""));
        });
        let events = events.0.lock().unwrap().clone();
        assert_eq!(events.len(), 3, "{events:#?}");
        let [accepted, forged, malformed] = &events[..] else {
            unreachable!()
        };
        assert!(accepted.starts_with("INFO cartwire "), "{accepted}");
        for part in [
            "protocol=toy",
            "outcome=accepted",
            "verified=true",
            "dedup_key=",
        ] {
            assert!(accepted.contains(part), "{part} in {accepted}");
        }
        assert!(forged.starts_with("WARN cartwire "), "{forged}");
        for part in [
            "outcome=refused",
            "error_kind=VerificationFailed",
            "field=sig",
        ] {
            assert!(forged.contains(part), "{part} in {forged}");
        }
        assert!(malformed.contains("verified=false") && malformed.contains("field=id"));
        for event in &events {
            assert!(
                !event.contains("s3cr3t") && !event.contains("body-text"),
                "{event}"
            );
        }
    }

    #[test]
    fn empty_keys_are_refused() {
        assert_eq!(
            Secret::non_empty(String::new(), "test key"),
            Err(EmptyKey { what: "test key" })
        );
        assert_eq!(Secret::non_empty("k", "test key").unwrap().expose(), "k");
    }
}
