//! Errors.
//!
//! Receiving, decoding, verifying and parsing return [`Error`](crate::Error) (`cartwire-core`'s,
//! re-exported), whose messages name the field at fault and whose
//! [`kind`](crate::Error::kind) tells malformed input (HTTP 400) from a failed hash check
//! (HTTP 401): one error type for all the cartwire protocols. A `total` that does not add up
//! is not an error of the decode but a finding, [`TotalMismatch`].

use crate::Decimal;

/// `total` is not `amount - fee`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "field `total`: {total} is not amount {amount} - fee {fee}{}",
    expected.map(|e| format!(" (= {e})")).unwrap_or_else(|| " (out of range)".to_owned())
)]
#[non_exhaustive]
pub struct TotalMismatch {
    /// `amount` as received.
    pub amount: Decimal,
    /// `fee` as received.
    pub fee: Decimal,
    /// `total` as received.
    pub total: Decimal,
    /// `amount - fee`, or `None` if that overflows.
    pub expected: Option<Decimal>,
}
