//! What every cartwire protocol crate shares, written once: the receiving model, one error
//! type, the PHP form codec, lenient scalars, secrets and constant-time digest checks.
//!
//! * [`form`]: a PHP-style `application/x-www-form-urlencoded` codec. Bracket keys
//!   (`items[0][partners][1][partner_fee]`) become a tree that serde types deserialize from;
//!   the raw pairs stay available in order for hash checks; every resource is bounded.
//! * [`scalar`]: lenient scalars as serde helpers: decimals that keep their scale, `"0"`/`"1"`
//!   flags, integers in strings, `""`/`"null"` as none, and the dates PHP senders write.
//! * [`Secret`] and [`verify_hex_digest`]: keys that never show in logs, and digest checks in
//!   constant time that reject empty and truncated hashes.
//! * [`Error`]: the one error type of every protocol crate, with [`kind`](Error::kind) and
//!   [`field`](Error::field): malformed input, a limit, or a failed verification naming the
//!   hash, signature or token checked.
//! * [`receive`]: the receiving model every receiving crate implements: a [`Delivery`] (one
//!   request as it arrived), a [`Receiver`] (a protocol's key: verify first, then decode),
//!   [`EmptyKey`]; [`dedup`]: the idempotency key of every notification ([`DedupKey`]);
//!   [`Extra`]: the ordered map every crate keeps unknown fields in (for JSON bodies as
//!   `Extra<json::RawJson>`, feature `json`: each value's exact text).
//! * [`event`]: one vocabulary for every cart: an [`Event`] (order paid, refunded,
//!   subscription ended, …) that every receiving crate maps its notifications to
//!   ([`ToEvent`]).
//! * [`retry`]: the opt-in [`RetryPolicy`](retry::RetryPolicy) every API client takes
//!   (`with_retry`), the same for every vendor and for blocking and async clients; [`call`]:
//!   what a client records about a call (one `tracing` span, feature `tracing`).
//! * `http` (feature `http`): `Delivery::from(&http::Request)`, and the requests that deliver
//!   a payload; `axum08` (feature `axum08`): the generic extractors
//!   [`Verified<R>`](axum08::Verified) and [`Unverified<R>`](axum08::Unverified) over any
//!   receiver, and their rejection (400, 401, 413); `json` (feature `json`): `RawJson`, a
//!   JSON value kept as the exact text received; `tracing` (feature `tracing`): one event
//!   per delivery, one span per API call.
//!
//! ```
//! use cartwire_core::{form::Form, scalar, Secret, verify_hex_digest};
//! use rust_decimal::Decimal;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Paid {
//!     id: String,
//!     #[serde(with = "scalar::decimal")]
//!     last_payment_sum: Decimal,
//!     #[serde(with = "scalar::flag")]
//!     is_recurrent: bool,
//! }
//!
//! let form = Form::parse(b"id=77&last_payment_sum=1500.00&is_recurrent=0&hash=abcd")?;
//! let paid: Paid = form.deserialize()?;
//! assert_eq!(paid.last_payment_sum.to_string(), "1500.00");
//! assert!(!paid.is_recurrent);
//!
//! // A truncated hash never matches, whatever its prefix.
//! assert!(verify_hex_digest(form.get("hash").unwrap_or(""), &[0xab, 0xcd, 0xef]).is_err());
//! let _key = Secret::new("from-config"); // Debug and Display print "[redacted]"
//! # Ok::<(), cartwire_core::Error>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod call;
pub mod dedup;
pub mod error;
pub mod event;
pub mod form;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub mod json;
pub mod receive;
pub mod retry;
pub mod scalar;
mod secret;

pub use dedup::{Dedup, DedupKey};
pub use error::{
    Credential, Error, ErrorKind, Limit, LimitExceeded, Verification, VerifyError, from_path_error,
};
pub use event::{Event, EventKind, ToEvent};
pub use receive::{Delivery, EmptyKey, Receiver};
pub use secret::{Secret, to_lower_hex, verify_digest_bytes, verify_hex_digest};

/// Re-exported so protocol crates and users name the same versions.
pub use rust_decimal::Decimal;
pub use time;

/// The ordered map every protocol crate keeps unknown fields in: names in arrival order, each
/// once (a later value replaces an earlier one in place), written back in that order, and
/// serialized as a JSON object in that order. `V` is the value as the protocol has it: text
/// for flat forms, a [`form::FormValue`] for bracket forms, raw JSON for JSON bodies.
pub type Extra<V = String> = indexmap::IndexMap<String, V>;

/// Re-exported for [`Extra`]'s methods and iterators.
pub use indexmap;

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
