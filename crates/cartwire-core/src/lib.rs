//! # cartwire-core
//!
//! What every cartwire protocol crate shares, written once:
//!
//! * [`form`]: a PHP-style `application/x-www-form-urlencoded` codec. Bracket keys
//!   (`items[0][partners][1][partner_fee]`) become a tree that serde types deserialize from;
//!   the raw pairs stay available in order for hash checks; every resource is bounded.
//! * [`scalar`]: lenient scalars as serde helpers: decimals that keep their scale, `"0"`/`"1"`
//!   flags, integers in strings, `""`/`"null"` as none, and the dates PHP senders write.
//! * [`Secret`] and [`verify_hex_digest`]: keys that never show in logs, and digest checks in
//!   constant time that reject empty and truncated hashes.
//! * [`Error`]: the error kinds the protocols share, each naming the field at fault.
//! * `http` (feature `http`): the wire input of an `http::Request` (the query of a GET, the
//!   body of a POST) and the requests that deliver one; `axum08` (feature `axum08`): the
//!   rejection (400, 401, 413) and body reading the protocol crates' axum 0.8 extractors share.
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
pub mod error;
pub mod form;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
pub mod scalar;
mod secret;

pub use error::{Error, ErrorKind, Limit, LimitExceeded, VerifyError, from_path_error};
pub use secret::{Secret, to_lower_hex, verify_digest_bytes, verify_hex_digest};

/// Re-exported so protocol crates and users name the same versions.
pub use rust_decimal::Decimal;
pub use time;
