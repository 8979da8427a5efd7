//! JustClick invoice notifications: typed decoding of every kind (created, paid, prepaid,
//! cancelled, moneyback, and unknown kinds kept whole), MD5 hash verification with the
//! cabinet's API key, and the encoder and signer a receiver needs to be tested without
//! JustClick.
//!
//! ```
//! use justclick_invoice::{Delivery, JustClickKey, Receiver, samples};
//!
//! let key = JustClickKey::new(samples::SECRET)?; // the API key of the JustClick cabinet
//! let n = key.receive(&Delivery::post("/hooks/justclick", samples::PAID.as_bytes()))?;
//! assert_eq!((n.kind().as_str(), n.id()), ("paid", "1001"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! JustClick POSTs `application/x-www-form-urlencoded` bodies with PHP bracket keys
//! (`items[0][partners][1][partner_fee]`, raw or percent-encoded) and a `hash` field, the
//! MD5 of `id + email + time + key`. [`JustClickKey`] is a [`Receiver`]: `receive` checks
//! the hash **first**, on the raw values, and only then decodes, so a forged body is refused
//! as forged (`VerificationFailed`, naming `hash`) whatever else is wrong with it. Every
//! error is one [`Error`] with a [`kind`](Error::kind) to map to a status and the
//! [`field`](Error::field) at fault.
//!
//! ```
//! use justclick_invoice::{Delivery, ErrorKind, JustClickKey, Notification, Receiver};
//!
//! /// A webhook handler: the request as received, the key from the configuration.
//! fn on_justclick(key: &JustClickKey, delivery: &Delivery<'_>) -> (u16, String) {
//!     match key.receive(delivery) {
//!         Ok(Notification::Paid(paid)) => {
//!             // The hash does not cover amounts: take them from your own order records.
//!             let order = &paid.invoice.id;
//!             (200, format!("order {order} paid at {:?}", paid.payment.paid.seconds()))
//!         }
//!         Ok(other) => (200, format!("{} for order {}", other.kind(), other.id())),
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => (401, err.to_string()),
//!         Err(err) => (400, err.to_string()),
//!     }
//! }
//!
//! // A paid notification as JustClick sends it (hash computed with Python's hashlib:
//! // hashlib.md5("1001ivan@example.ru1712048461my-api-key".encode()).hexdigest()).
//! let body = "id=1001&first_name=%D0%98%D0%B2%D0%B0%D0%BD&email=ivan%40example.ru\
//!     &created=1712044800&paid=1712048461&last_payment_sum=4990.00&is_recurrent=0\
//!     &items%5B0%5D%5Bid%5D=COURSE-PY&items%5B0%5D%5Bsum%5D=4990.00\
//!     &items%5B0%5D%5Bpartners%5D%5B0%5D%5Bpartner_fee%5D=499.00\
//!     &hash=34b366d8dc87d1194d8b3d59fd73fcab";
//! let post = |body: &'static str| Delivery::post("/hooks/justclick", body.as_bytes());
//! let key = JustClickKey::new("my-api-key")?;
//! assert_eq!(on_justclick(&key, &post(body)), (200, "order 1001 paid at Some(1712048461)".into()));
//! assert_eq!(on_justclick(&JustClickKey::new("wrong")?, &post(body)).0, 401);
//! // Forged and without an e-mail: refused as forged.
//! assert_eq!(on_justclick(&key, &post("id=1001&paid=1712048461")).0, 401);
//!
//! let Notification::Paid(paid) = key.decode_verified(body.as_bytes())? else { unreachable!() };
//! assert_eq!(paid.invoice.first_name, "Иван");
//! assert_eq!(paid.invoice.items[0].partners[0].fee.unwrap().to_string(), "499.00");
//! // A retry of the delivery has the same idempotency key: process it once.
//! let retry = key.decode_verified(body.as_bytes())?;
//! assert_eq!(retry.dedup_key(), Notification::Paid(paid).dedup_key());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layout
//!
//! * [`receive`](mod@receive): [`JustClickKey`], the receiving key ([`Receiver`]: verify,
//!   then decode).
//! * [`payload`]: the types, one per kind ([`Created`], [`Paid`], [`Prepaid`],
//!   [`Cancelled`], [`Moneyback`], [`Unknown`]) sharing [`Invoice`], in [`Notification`],
//!   with [`Notification::dedup_key`], the idempotency key of retried deliveries.
//! * [`decode`](mod@decode): body to [`Notification`], unverified; how kinds are told apart
//!   ([`Kind::detect`]).
//! * [`verify`](mod@verify): **where the hash is computed** ([`compute_hash`]) and checked
//!   ([`JustClickKey`], [`Notification::verify`]), and set ([`Notification::sign`]).
//! * [`encode`](mod@encode): [`Notification`] to the exact body JustClick sends
//!   ([`encode()`], [`encode_signed`]).
//! * [`json`]: the JSON form (serde), as the `cartwire` command prints it: unknown fields
//!   under `"extra"`.
//! * [`samples`]: signed vendor-style bodies of every kind.
//! * [`event`](mod@event): every kind in the shared event vocabulary ([`ToEvent`]), with the
//!   vendor phrase each mapping rests on.
//! * `http` (feature `http`): JustClick's POST as an `http::Request`, and
//!   `Delivery::from(&request)`; `axum08` (feature `axum08`): the extractors
//!   `VerifiedNotification` and `UnverifiedNotification`, the key from the router's state;
//!   `tracing` (feature `tracing`): one event per received delivery.
//!
//! # The hash does not cover the amounts
//!
//! JustClick's hash is `md5(id + email + T + key)`, T a time. **Nothing else is
//! signed**: a notification whose `items[0][sum]`, `last_payment_sum` or customer name was
//! changed in transit still verifies, and a captured one can be replayed. Verification tells
//! you that JustClick said *something* about order `id`; look the order up in your own records
//! and take the amounts from there (or compare). See [`verify`](mod@verify#what-the-hash-does-not-cover).
//!
//! # Decisions where JustClick is silent
//!
//! * Kinds: a known `status` decides; without one, `prepayment_sum` means prepaid and `paid`
//!   means paid; anything else is [`Unknown`], kept whole ([`Kind::detect`]). A body with
//!   neither `id` nor `email` is no notification at all: malformed, naming `id`.
//! * The time in the hash: `paid` on paid notifications, and on prepaid ones when they carry
//!   a non-empty `paid`; `created` on all others ([`HashedTime`]).
//! * Decoding is lenient on values (empty means none, `null` too) and strict on shape and
//!   types (a non-number in `sum` is an error naming `items[0][sum]`); repeated keys are
//!   rejected, since a hash over one value and a use of another is a classic forgery.
//! * Unknown fields are kept in [`Extra`] maps and written back; the encoder writes each
//!   kind's documented fields in the vendor's order ([`encode`](mod@encode)).
//!
//! # Why the notification owns its strings
//!
//! [`Notification`] holds `String`s, not text borrowed from the body (a `Notification<'a>`
//! with `into_owned()`), decided by measurement (`cargo bench --bench justclick`, medians of
//! one run on a shared machine):
//!
//! | paid, `%5B`-encoded | `receive` | form parse alone | serde_qs + MD5 |
//! |---|---|---|---|
//! | 2 items, 2.7 KB | 7.6 µs, 53 allocations | 4.6 µs, 29 | 12.5 µs, 66 |
//! | 50 items, 33 KB | 96 µs, 559 | 67 µs, 247 | 179 µs, 817 |
//!
//! The parse, which a borrowing type would still need, is 61% (2 items) to 69% (50 items) of
//! `receive`; the rest is reading the fields, and of that only the copies of values that had
//! no escape would go (a value decoded from escapes is moved out of the parsed form, never
//! copied). Well under two fifths of the time, for a lifetime on every type, on
//! [`Receiver::Notification`] and on the axum extractors, and a notification that cannot
//! outlive its request buffer: not worth it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod decode;
pub mod encode;
pub mod event;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
pub mod json;
pub mod payload;
pub mod receive;
pub mod samples;
pub mod verify;

pub use cartwire_core::form::{Duplicates, Form, FormMap, FormValue, Limits, Options};
pub use cartwire_core::scalar::ScalarError;
pub use cartwire_core::time::OffsetDateTime;
pub use cartwire_core::{
    Credential, Decimal, Dedup, DedupKey, Delivery, EmptyKey, Error, ErrorKind, Event, EventKind,
    Limit, LimitExceeded, Receiver, Secret, ToEvent, Verification, VerifyError,
};
#[doc(inline)]
pub use decode::{decode, decode_form, decode_with};
#[doc(inline)]
pub use encode::{encode, encode_signed};
#[doc(inline)]
pub use payload::{
    Cancelled, Created, Extra, Invoice, Item, Kind, Moneyback, Notification, Paid, Partner,
    Payment, Prepaid, UnixTime, Unknown, Utm,
};
#[doc(inline)]
pub use receive::JustClickKey;
#[doc(inline)]
pub use verify::{HashedTime, compute_hash};

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
