//! Errors: decoding ([`cartwire_core::Error`]: malformed input or a limit, naming the field)
//! and verification ([`VerifyError`]), kept apart so a receiver can answer 400 or 401.

use cartwire_core::ErrorKind;

/// Why a notification was not decoded, or not verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The body is not a well-formed JustClick notification (the error names the field, in
    /// its wire form such as `items[0][sum]`), or it exceeded a limit.
    #[error(transparent)]
    Decode(#[from] cartwire_core::Error),
    /// The body is well formed, but its `hash` does not check out.
    #[error(transparent)]
    Verify(#[from] VerifyError),
}

impl Error {
    /// The broad class of the error (malformed, limit exceeded, verification failed), for
    /// mapping to an HTTP status or an exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Decode(err) => err.kind(),
            Error::Verify(_) => ErrorKind::VerificationFailed,
        }
    }

    /// The field at fault, when the error names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Decode(err) => err.field(),
            Error::Verify(VerifyError::Hash(_)) => Some("hash"),
            Error::Verify(_) => None,
        }
    }
}

/// Why a hash did not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The `hash` field is absent.
    #[error("the `hash` field is missing")]
    MissingHash,
    /// The `hash` field is empty, truncated, not hex, or does not match.
    #[error("field `hash`: {0}")]
    Hash(cartwire_core::VerifyError),
    /// The secret key is empty. Anyone can compute an MD5 without a key, so verifying with
    /// an empty one would accept forgeries: it is refused.
    #[error("the secret key is empty (a configuration error; refusing to verify)")]
    EmptySecret,
}

impl From<cartwire_core::VerifyError> for VerifyError {
    fn from(err: cartwire_core::VerifyError) -> Self {
        VerifyError::Hash(err)
    }
}
