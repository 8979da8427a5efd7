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
#[error("{limit} exceeds the limit of {max}{}", at.as_ref().map(|k| format!(" (at `{k}`)")).unwrap_or_default())]
#[non_exhaustive]
pub struct LimitExceeded {
    /// Which limit.
    pub limit: Limit,
    /// The configured maximum.
    pub max: usize,
    /// The key at which it was exceeded, when there is one.
    pub at: Option<String>,
}

impl LimitExceeded {
    /// A limit exceeded with no particular key to blame.
    pub fn new(limit: Limit, max: usize) -> Self {
        Self {
            limit,
            max,
            at: None,
        }
    }

    /// A limit exceeded at a key.
    pub fn at(limit: Limit, max: usize, key: impl Into<String>) -> Self {
        Self {
            limit,
            max,
            at: Some(key.into()),
        }
    }
}

/// A hash, signature or token did not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The field or header that should carry the hash, signature or token is absent.
    #[error("`{field}` is missing")]
    Missing {
        /// The field or header name.
        field: String,
    },
    /// The hash is present but empty.
    #[error("the hash is empty")]
    Empty,
    /// The key to check with is empty: a hash keyed with nothing proves nothing, so the check
    /// fails closed (usually a missing configuration value).
    #[error("the verification key is empty")]
    EmptyKey,
    /// The hash has the wrong length (a truncated or padded digest).
    #[error("the hash has {found} characters, expected {expected}")]
    Length {
        /// Expected length (hex characters, or bytes for raw digests).
        expected: usize,
        /// Length received.
        found: usize,
    },
    /// The hash is not hexadecimal.
    #[error("the hash is not hexadecimal")]
    NotHex,
    /// The hash is not valid in the encoding the protocol uses (base64, say).
    #[error("the hash is not valid {encoding}")]
    BadEncoding {
        /// The encoding that was expected.
        encoding: &'static str,
    },
    /// The hash is well formed but does not match: wrong key, or tampered payload.
    #[error("the hash does not match (wrong key, or the payload was altered)")]
    Mismatch,
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
    /// Verification failed.
    #[error("verification failed: {0}")]
    Verify(#[from] VerifyError),
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
            _ => None,
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
            Error::from(VerifyError::Mismatch).kind(),
            ErrorKind::VerificationFailed
        );
    }
}
