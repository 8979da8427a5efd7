//! # cartloom-order
//!
//! Cartloom's notify server POSTs each order, as JSON, to the Notify URL a merchant sets.
//! This crate decodes that POST into a typed [`Order`], checks that the request came to the
//! secret URL ([`EndpointToken`]: Cartloom signs nothing), and writes orders back in
//! Cartloom's own style, for tests of a receiver or for relaying.
//!
//! ```
//! use cartloom_order::{EndpointToken, Order};
//! use cartwire_core::ErrorKind;
//! use cartwire_core::time::macros::datetime;
//!
//! /// A web handler's core: the request target, the body, and the answer's status.
//! fn handle_notify(target: &str, body: &[u8], token: &EndpointToken) -> u16 {
//!     // Check the URL's token first, then decode: either body shape is accepted.
//!     let order: Order = match token.verify_and_decode(target, body) {
//!         Ok(order) => order,
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
//! let token = EndpointToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35");
//! // What Cartloom posts (the sample order from its documentation, as a form field `order`).
//! let body = cartloom_order::samples::ORDER_FORM.as_bytes();
//! assert_eq!(handle_notify("/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35", body, &token), 200);
//! assert_eq!(handle_notify("/hooks/cartloom?token=guessed", body, &token), 401);
//! assert_eq!(handle_notify("/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35", b"order=%7B", &token), 400);
//! ```
//!
//! # What to know
//!
//! * **Body shapes** ([`mod@decode`]): the raw JSON object, or a form whose `order` field holds
//!   it; detected from the body ([`BodyShape`]).
//! * **Types** ([`payload`]): ids stay zero-padded strings, flags are `bool`, money is
//!   [`Decimal`](cartwire_core::Decimal) with its scale kept, dates are [`WireDateTime`]
//!   (the zero date is none, the glued form is read), `extra_inputs` and unknown fields are
//!   kept as raw JSON ([`RawJson`]).
//! * **Round trips** ([`mod@encode`]): `encode_json(&decode(body)?)` writes every value with the
//!   text it arrived with, the keys in Cartloom's order, unknown fields after. The few
//!   normalizations (JSON numbers written back as strings, say) are listed in [`payload`].
//! * **Endpoint protection** ([`verify`]): a secret token in the Notify URL's query,
//!   compared in constant time.
//! * **Errors** ([`error`]): [`cartwire_core::Error`], naming the field (`items[1].qty`);
//!   limits on body size and item count are typed errors.
//! * **Samples** ([`samples`]): the vendor's sample order in both shapes.
//! * **Inside a service**: feature `http` reads an `http::Request` (token from the URI's
//!   query, order from the body) and builds Cartloom's POST; feature `axum08` has extractors
//!   that check the token and decode in one step, the token from the router's state.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod decode;
pub mod encode;
pub mod error;
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
#[doc(inline)]
pub use error::Error;
pub use fields::{ITEM_KEYS, ORDER_KEYS};
#[doc(inline)]
pub use payload::{
    AddressRef, BillingAddress, ExtraFields, Item, Order, RawJson, ShippingAddress, ShippingStatus,
    WireDateTime,
};
#[doc(inline)]
pub use verify::{DEFAULT_TOKEN_PARAM, EndpointToken};
