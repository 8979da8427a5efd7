//! Receive Cartloom's notify-server order POSTs: check the secret token in the Notify URL,
//! then decode the order into typed Rust; and write orders back in Cartloom's own style.
//!
//! ```
//! use cartloom_order::{samples, CartloomToken, Delivery, Receiver};
//!
//! let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
//! let target = "/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
//! let received = token.receive(&Delivery::post(target, samples::ORDER_FORM.as_bytes()))?;
//! assert_eq!(received.order.oid, "0000123456");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Cartloom POSTs each order, as JSON, to the Notify URL a merchant sets, and signs nothing:
//! the receiver's protection is a secret token in that URL ([`CartloomToken`], compared in
//! constant time). [`receive`](Receiver::receive) checks it **before** the body is looked at,
//! then decodes the body, either shape, into a [`ReceivedOrder`] (the [`Order`] and its
//! [`BodyShape`]).
//!
//! ```
//! use cartloom_order::time::macros::datetime;
//! use cartloom_order::{CartloomToken, Delivery, ErrorKind, Receiver};
//!
//! /// A web handler's core: the request target, the body, and the answer's status.
//! fn handle_notify(target: &str, body: &[u8], token: &CartloomToken) -> u16 {
//!     let order = match token.receive(&Delivery::post(target, body)) {
//!         Ok(received) => received.order,
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => return 401,
//!         Err(_) => return 400,
//!     };
//!     assert_eq!(order.oid, "0000123456"); // zero padding kept
//!     assert_eq!(order.grandtotal.to_string(), "19.95");
//!     assert_eq!(order.billing.email, "customer@example.com");
//!     assert_eq!(order.billing.company, None); // `null` on the wire
//!     assert!(order.shipping.is_none()); // all shipping fields blank
//!     assert!(order.shipping_date.is_none()); // "0000-00-00 00:00:00"
//!     // "2013-02-0904:30:25" on the wire: the store's wall-clock time, no zone.
//!     assert_eq!(order.date.value(), Some(datetime!(2013-02-09 04:30:25)));
//!     for item in &order.items {
//!         assert!(item.digital && item.qty == 1);
//!     }
//!     200
//! }
//!
//! let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
//! // What Cartloom posts (the sample order from its documentation, as a form field `order`).
//! let body = cartloom_order::samples::ORDER_FORM.as_bytes();
//! let url = "/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
//! assert_eq!(handle_notify(url, body, &token), 200);
//! assert_eq!(handle_notify("/hooks/cartloom?token=guessed", body, &token), 401);
//! assert_eq!(handle_notify("/hooks/cartloom?token=guessed", b"order=%7B", &token), 401);
//! assert_eq!(handle_notify(url, b"order=%7B", &token), 400);
//! # Ok::<(), cartloom_order::EmptyKey>(())
//! ```
//!
//! # What to know
//!
//! * **Receiving** ([`verify`]): [`CartloomToken`] is the crate's [`Receiver`]: the token from
//!   the request's query (parameter `token` unless set otherwise), then the POST body. An
//!   empty token is refused when the key is built ([`EmptyKey`]).
//! * **Body shapes** ([`mod@decode`]): the raw JSON object, or a form whose `order` field holds
//!   it; detected from the body ([`BodyShape`]).
//! * **Types** ([`payload`]): ids stay zero-padded strings, flags are `bool`, money is
//!   [`Decimal`] with its scale kept, dates are [`WireDateTime`] (the zero date is none, the
//!   glued form is read), `extra_inputs` and unknown fields are kept as raw JSON
//!   ([`RawJson`]; unknown fields in arrival order, [`ExtraFields`]).
//! * **Retries**: [`ReceivedOrder::dedup_key`] is the idempotency key of a delivery (the
//!   `oid` and the fields a re-post changes: a retry gives the same key, a refund a new one).
//! * **Round trips** ([`mod@encode`]): `encode_json(&decode(body)?)` writes every value with the
//!   text it arrived with, the keys in Cartloom's order, unknown fields after. The few
//!   normalizations (JSON numbers written back as strings, say) are listed in [`payload`].
//!   [`Order`] and [`ReceivedOrder`] also have a typed JSON view (serde), unknown fields under
//!   `extra`, which reads back to the same wire bytes.
//! * **Errors** ([`error`]): [`Error`], one type for every cartwire protocol, naming the field
//!   (`items[1].qty`) or the parameter (`token`).
//! * **Samples** ([`samples`]): the vendor's sample order in both shapes.
//! * **Events** ([`event`](mod@event)): the order's state in the shared event vocabulary
//!   ([`ToEvent`]: paid, held, refunded), with the vendor phrase each mapping rests on and
//!   the guesses marked.
//! * **Inside a service**: feature `http` turns an `http::Request` into a [`Delivery`] and
//!   builds Cartloom's POST ([`http::delivery`](crate::http)); feature `axum08` has the
//!   extractors `VerifiedOrder` and `UnverifiedOrder`, the token from the router's state;
//!   feature `tracing` emits one event per delivery (never the token, never the body).
//!
//! # Why the order owns its strings
//!
//! [`Order`] holds `String`s, not text borrowed from the body (an `Order<'a>` with
//! `into_owned()`), decided by measurement (`cargo bench --bench cartloom`, `decode_json`,
//! medians of one run on a quiet machine):
//!
//! | order | cartloom-order | serde_json, owned `String`s | serde_json, borrowed (`Cow`, `&RawValue`) | serde_json, `Value` |
//! |---|---|---|---|---|
//! | 2 items | 4.6 µs, 32 allocations | 5.0 µs, 58 | 4.2 µs, 1 | 9.7 µs, 162 |
//! | 200 items | 185 µs, 1,418 | 202 µs, 3,028 | 185 µs, 1 | 503 µs, 7,686 |
//!
//! Owning its strings, this crate reads an order about as fast as serde_json reads the same
//! fields borrowed into a struct of `Cow`s (within a tenth at 2 items, level at 200), and
//! faster than serde_json into owned `String`s, while it also types every amount, flag, count
//! and date, keeps every number's wire text and unknown fields in order, and refuses repeated
//! keys. Strings are borrowed while they are read and only what the order keeps is
//! allocated. A lifetime on every type, on [`Receiver::Notification`] and on the axum
//! extractors would buy at most the cost of those allocations: not worth it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod decode;
pub mod encode;
pub mod error;
pub mod event;
mod fields;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
mod notes;
pub mod payload;
pub mod samples;
pub mod verify;

#[doc(inline)]
pub use decode::{BodyShape, Decoder, decode, decode_json};
#[doc(inline)]
pub use encode::{encode, encode_form, encode_json};
pub use error::{
    Credential, EmptyKey, Error, ErrorKind, Limit, LimitExceeded, ScalarError, Verification,
    VerifyError,
};
pub use fields::{ITEM_KEYS, ORDER_KEYS};
#[doc(inline)]
pub use payload::{
    AddressRef, BillingAddress, ExtraFields, Item, Order, RawJson, ReceivedOrder, ShippingAddress,
    ShippingStatus, WireDateTime,
};
#[doc(inline)]
pub use verify::{CartloomToken, DEFAULT_TOKEN_PARAM};

pub use cartwire_core::{
    Decimal, Dedup, DedupKey, Delivery, Event, EventKind, Extra, Receiver, Secret, ToEvent, time,
};

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
