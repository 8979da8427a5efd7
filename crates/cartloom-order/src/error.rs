//! The errors of this crate: the ones every cartwire protocol shares.
//!
//! Decoding and token checks return [`cartwire_core::Error`], so one `match` (or
//! [`Error::kind`]) maps any cartwire protocol's failures onto HTTP statuses:
//!
//! | variant | when | answer Cartloom with |
//! |---|---|---|
//! | [`Error::Malformed`] | not JSON, not a form with `order`, a required field missing, a value of the wrong type (the error names the field: `items[1].qty`) | 400 |
//! | [`Error::Limit`] | the body is larger than [`Decoder::max_bytes`](crate::Decoder::max_bytes), or has more items than [`Decoder::max_items`](crate::Decoder::max_items) | 413 or 400 |
//! | [`Error::Verify`] | the endpoint token is missing, empty or wrong ([`EndpointToken`](crate::EndpointToken)) | 401 or 404 |
//!
//! Encoding cannot fail.

pub use cartwire_core::{Error, ErrorKind, Limit, LimitExceeded, VerifyError};
