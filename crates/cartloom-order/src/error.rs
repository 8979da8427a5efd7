//! The errors of this crate: the ones every cartwire protocol shares.
//!
//! Receiving, decoding and token checks return [`Error`] (cartwire's one error type), so one
//! `match` (or [`Error::kind`]) maps any cartwire protocol's failures onto HTTP statuses, and
//! [`Error::field`] names the field or parameter at fault:
//!
//! | variant | when | answer Cartloom with |
//! |---|---|---|
//! | [`Error::Verify`] ([`ErrorKind::VerificationFailed`]) | the endpoint token is missing, empty or wrong ([`CartloomToken`](crate::CartloomToken)); the error names the parameter (`token`) and says "the token does not match". Checked before the body is looked at, so a forged request with a broken body is this, not malformed | 401 (or 404, to tell a scanner nothing) |
//! | [`Error::Malformed`] ([`ErrorKind::Malformed`]) | not JSON, not a form with `order`, a required field missing, a value of the wrong type (the error names the field: `items[1].qty`); not a POST (`method`); the token's parameter given twice (`token`) | 400 |
//! | [`Error::Limit`] ([`ErrorKind::LimitExceeded`]) | the body is larger than [`Decoder::max_bytes`](crate::Decoder::max_bytes), or has more items than [`Decoder::max_items`](crate::Decoder::max_items) | 413 |
//!
//! An empty token is refused when the key is built ([`EmptyKey`]), not on each delivery.
//! Encoding cannot fail.

pub use cartwire_core::scalar::ScalarError;
pub use cartwire_core::{
    Credential, EmptyKey, Error, ErrorKind, Limit, LimitExceeded, Verification, VerifyError,
};
