//! The error kinds every protocol shares.

use core::fmt;

/// Which limit a hostile or oversized input ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// The body or query string, in bytes.
    Bytes,
    /// The number of `key=value` pairs.
    Pairs,
    /// The nesting depth of a bracket key (`a[b][c]` is depth 3).
    Depth,
    /// The value of a numeric index (`items[99999999]`).
    Index,
    /// The number of elements in one list (`a[]=…` appends, or numbered items).
    ListLength,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Bytes => "input size in bytes",
            Limit::Pairs => "number of pairs",
            Limit::Depth => "key nesting depth",
            Limit::Index => "list index",
            Limit::ListLength => "list length",
        })
    }
}

/// An input went past one of the configured [`Limits`](crate::form::Limits).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{limit} exceeds the {}{}", max.map_or_else(|| "configured limit".to_owned(), |max| format!("limit of {max}")), at.as_ref().map(|k| format!(" (at `{k}`)")).unwrap_or_default())]
#[non_exhaustive]
pub struct LimitExceeded {
    /// Which limit.
    pub limit: Limit,
    /// The configured maximum; `None` when it is not known (the body limit an axum router sets
    /// with `DefaultBodyLimit`, which it does not expose).
    pub max: Option<usize>,
    /// The key at which it was exceeded, when there is one.
    pub at: Option<String>,
}

impl LimitExceeded {
    /// A limit exceeded with no particular key to blame.
    pub fn new(limit: Limit, max: usize) -> Self {
        Self {
            limit,
            max: Some(max),
            at: None,
        }
    }

    /// A limit exceeded whose maximum is not known here (one a framework applied).
    pub fn unknown_max(limit: Limit) -> Self {
        Self {
            limit,
            max: None,
            at: None,
        }
    }

    /// A limit exceeded at a key.
    pub fn at(limit: Limit, max: usize, key: impl Into<String>) -> Self {
        Self {
            limit,
            max: Some(max),
            at: Some(key.into()),
        }
    }
}

/// What a receiver checks to know a delivery is genuine: the word its messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Credential {
    /// A keyed hash in a field of the payload (JustClick's and CartFreak's `hash`).
    Hash,
    /// A signature in a header (Cartfunnel's `X-Cartfunnel-Hmac-SHA256`).
    Signature,
    /// A secret token in the request's URL (the one a Cartloom receiver puts in its Notify URL).
    Token,
}

impl Credential {
    /// The word for it in messages: `hash`, `signature` or `token`.
    pub fn as_str(self) -> &'static str {
        match self {
            Credential::Hash => "hash",
            Credential::Signature => "signature",
            Credential::Token => "token",
        }
    }

    /// What a well-formed credential that does not match most likely means.
    fn mismatch_hint(self) -> &'static str {
        match self {
            Credential::Hash | Credential::Signature => "wrong key, or the payload was altered",
            Credential::Token => "wrong token, or a request to a guessed URL",
        }
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a hash, signature or token did not check out.
///
/// On its own (as the low-level digest checks return it) the message speaks of "the hash";
/// inside an [`Error::Verify`] it is told with the word of the [`Credential`] checked and the
/// field or header that carried it ([`Verification`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The field, parameter or header that should carry the credential is absent.
    #[error("the hash is missing")]
    Missing,
    /// The credential is present but empty.
    #[error("the hash is empty")]
    Empty,
    /// The key to check with is empty: a hash keyed with nothing proves nothing, so the check
    /// fails closed. The receiving crates' key types refuse an empty key when they are built
    /// ([`EmptyKey`](crate::EmptyKey)); this is what the low-level functions that take a bare
    /// [`Secret`](crate::Secret) answer.
    #[error("the verification key is empty")]
    EmptyKey,
    /// The credential has the wrong length (a truncated or padded digest).
    #[error("the hash has {found} characters, expected {expected}")]
    Length {
        /// Expected length (hex characters, or bytes for raw digests).
        expected: usize,
        /// Length received.
        found: usize,
    },
    /// The credential is not hexadecimal.
    #[error("the hash is not hexadecimal")]
    NotHex,
    /// The credential is not valid in the encoding the protocol uses (base64, say).
    #[error("the hash is not valid {encoding}")]
    BadEncoding {
        /// The encoding that was expected.
        encoding: &'static str,
    },
    /// The credential is well formed but does not match: wrong key, or tampered payload.
    #[error("the hash does not match (wrong key, or the payload was altered)")]
    Mismatch,
}

impl VerifyError {
    /// This failure of the `credential` carried in `field` (a payload field, a query
    /// parameter or a header name), as an [`Error::Verify`].
    pub fn at(self, credential: Credential, field: impl Into<String>) -> Error {
        Error::Verify(Verification {
            credential,
            field: field.into(),
            reason: self,
        })
    }
}

/// A failed verification: what was checked, where it was, and why it failed.
///
/// ```
/// use cartwire_core::{Credential, VerifyError};
///
/// let err = VerifyError::Mismatch.at(Credential::Token, "token");
/// assert_eq!(err.field(), Some("token"));
/// assert_eq!(
///     err.to_string(),
///     "verification failed: `token`: the token does not match (wrong token, or a request to a guessed URL)",
/// );
/// let err = VerifyError::Length { expected: 64, found: 12 }
///     .at(Credential::Signature, "X-Cartfunnel-Hmac-SHA256");
/// assert_eq!(
///     err.to_string(),
///     "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature has 12 characters, expected 64",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verification {
    /// What was checked.
    pub credential: Credential,
    /// The field, query parameter or header that carries it (`hash`, `token`,
    /// `X-Cartfunnel-Hmac-SHA256`).
    pub field: String,
    /// Why it failed.
    pub reason: VerifyError,
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.credential.as_str();
        let field = &self.field;
        match &self.reason {
            VerifyError::Missing => write!(f, "`{field}` is missing"),
            VerifyError::Empty => write!(f, "`{field}`: the {c} is empty"),
            VerifyError::EmptyKey => write!(f, "the key to check the {c} with is empty"),
            VerifyError::Length { expected, found } => write!(
                f,
                "`{field}`: the {c} has {found} characters, expected {expected}"
            ),
            VerifyError::NotHex => write!(f, "`{field}`: the {c} is not hexadecimal"),
            VerifyError::BadEncoding { encoding } => {
                write!(f, "`{field}`: the {c} is not valid {encoding}")
            }
            VerifyError::Mismatch => write!(
                f,
                "`{field}`: the {c} does not match ({})",
                self.credential.mismatch_hint()
            ),
        }
    }
}

/// The broad class of an error, for callers that map errors to HTTP statuses or exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not a well-formed message of the protocol (HTTP 400, exit code 1).
    Malformed,
    /// The input exceeded a configured limit (HTTP 400 or 413, exit code 1).
    LimitExceeded,
    /// The input is well formed but its hash, signature or token is wrong (HTTP 401, exit 3).
    VerificationFailed,
}

/// A decoding or verification error, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is malformed: bad syntax, a missing required field, a value of the wrong type.
    #[error("{}: {problem}", if field.is_empty() { "input".to_owned() } else { format!("field `{field}`") })]
    Malformed {
        /// The field path (`items[0].price`, `email`); empty for the input as a whole.
        field: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A limit was exceeded.
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// Verification failed: the hash, signature or token is missing, malformed or wrong.
    #[error("verification failed: {0}")]
    Verify(Verification),
}

impl Error {
    /// A malformed-input error at `field`.
    pub fn malformed(field: impl Into<String>, problem: impl fmt::Display) -> Self {
        Error::Malformed {
            field: field.into(),
            problem: problem.to_string(),
        }
    }

    /// A required field is absent.
    pub fn missing(field: impl Into<String>) -> Self {
        Error::Malformed {
            field: field.into(),
            problem: "missing".to_owned(),
        }
    }

    /// The broad class of the error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::Limit(_) => ErrorKind::LimitExceeded,
            Error::Verify(_) => ErrorKind::VerificationFailed,
        }
    }

    /// The field at fault, when the error names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Malformed { field, .. } if !field.is_empty() => Some(field),
            Error::Limit(limit) => limit.at.as_deref(),
            Error::Verify(verification) => Some(&verification.field),
            Error::Malformed { .. } => None,
        }
    }
}

/// Turns a serde error with its path (from [`serde_path_to_error`]) into [`Error::Malformed`]
/// naming the field.
pub fn from_path_error<E: fmt::Display>(err: serde_path_to_error::Error<E>) -> Error {
    let path = err.path().to_string();
    let field = if path == "." { String::new() } else { path };
    Error::Malformed {
        field,
        problem: err.inner().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            Error::malformed("items[0].price", "not a decimal").to_string(),
            "field `items[0].price`: not a decimal"
        );
        assert_eq!(
            Error::missing("email").to_string(),
            "field `email`: missing"
        );
        assert_eq!(
            Error::malformed("", "empty body").to_string(),
            "input: empty body"
        );
        assert_eq!(
            Error::from(LimitExceeded::at(Limit::Depth, 32, "a[b]")).to_string(),
            "key nesting depth exceeds the limit of 32 (at `a[b]`)"
        );
        assert_eq!(
            LimitExceeded::unknown_max(Limit::Bytes).to_string(),
            "input size in bytes exceeds the configured limit"
        );
        assert_eq!(
            LimitExceeded::new(Limit::Bytes, 0).to_string(),
            "input size in bytes exceeds the limit of 0"
        );
        let err = VerifyError::Mismatch.at(Credential::Hash, "hash");
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));
        assert_eq!(
            err.to_string(),
            "verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
        );
        assert_eq!(
            VerifyError::Missing
                .at(Credential::Signature, "X-Cartfunnel-Hmac-SHA256")
                .to_string(),
            "verification failed: `X-Cartfunnel-Hmac-SHA256` is missing"
        );
        assert_eq!(
            VerifyError::Empty.at(Credential::Token, "t").to_string(),
            "verification failed: `t`: the token is empty"
        );
    }
}
