//! Errors of the REST API: what an answer can mean besides success ([`ApiError`]).
//!
//! Receiving a webhook has no error type of its own: it answers the [`Error`](crate::Error)
//! every cartwire receiving crate shares, with its [`kind`](crate::Error::kind) and
//! [`field`](crate::Error::field).

use serde_json::Value;

/// How much of an unexpected response body an error message quotes.
const QUOTED_BODY_CHARS: usize = 200;

/// An API call that did not give the typed result.
///
/// Everything here comes from the answer (status and body); transport failures belong to the
/// `client` module (feature `client`) and never appear here, so this type is the whole story of a
/// sans-IO exchange.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// HTTP 403: wrong account or API secret, or a call outside the secret's permitted scopes.
    #[error(
        "the Cartfunnel API refused the call (HTTP 403): wrong account or API secret, or a scope the secret lacks"
    )]
    Forbidden {
        /// The response body, as text (lossy for non-UTF-8).
        body: String,
    },
    /// A 2xx answer whose record was not saved: `persisted` is false, or an `errors` attribute
    /// is present (Cartfunnel answers 200 even then).
    #[error("the record was not saved: {}", if messages.is_empty() { "no reason given".to_owned() } else { messages.join("; ") })]
    NotSaved {
        /// The messages of the `errors` attribute, in order (empty when only `persisted` said
        /// so).
        messages: Vec<String>,
        /// The object as returned, with the values the server kept.
        record: Box<Value>,
    },
    /// Any other status than 2xx and 403 (404 for an unknown id, 5xx, a proxy's 502…).
    #[error("the Cartfunnel API answered HTTP {status}: {}", quote(body))]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body, as text (lossy for non-UTF-8).
        body: String,
    },
    /// A 2xx answer whose body is not what the endpoint returns; the error names the field.
    #[error("cannot decode the Cartfunnel response: {0}")]
    Decode(#[from] cartwire_core::Error),
}

impl ApiError {
    /// The HTTP status the error came with, when the error is about a status.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Forbidden { .. } => Some(403),
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

fn quote(body: &str) -> String {
    let body = body.trim();
    let shown: String = body.chars().take(QUOTED_BODY_CHARS).collect();
    if body.chars().count() > QUOTED_BODY_CHARS {
        format!("{shown}…")
    } else if shown.is_empty() {
        "(empty body)".to_owned()
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened() {
        let err = ApiError::NotSaved {
            messages: vec!["Email can't be blank".into(), "Email is invalid".into()],
            record: Box::new(Value::Null),
        };
        assert_eq!(
            err.to_string(),
            "the record was not saved: Email can't be blank; Email is invalid"
        );
        let err = ApiError::Status {
            status: 502,
            body: "x".repeat(500),
        };
        let text = err.to_string();
        assert!(text.starts_with("the Cartfunnel API answered HTTP 502: xxx"));
        assert!(text.ends_with('…'));
        assert_eq!(err.status(), Some(502));
        let err = ApiError::Status {
            status: 500,
            body: String::new(),
        };
        assert!(err.to_string().ends_with("(empty body)"));
        assert_eq!(
            ApiError::Forbidden {
                body: String::new()
            }
            .status(),
            Some(403)
        );
    }
}
