//! What can go wrong: a request that fails local validation, an answer that is not CartStack's
//! JSON, and (with the `client` feature) a call that does not get an answer.
//!
//! Messages name the wire field (`key`, `siteid`, `email`, `total`, `resp`) and never show the
//! API key or the customer's email address: both end up in logs.

use core::fmt;

/// Why an email address failed the local check (see [`crate::request`] for the rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EmailProblem {
    /// There is no `@`.
    NoAt,
    /// There is more than one `@` (quoted local parts are not supported).
    SeveralAts,
    /// Nothing before the `@`.
    EmptyLocalPart,
    /// Nothing after the `@`.
    EmptyDomain,
    /// A space, tab, line break or other white space, anywhere (including at the ends).
    WhiteSpace,
    /// A control character.
    ControlCharacter,
    /// One of `"(),:;<>[\]`, which only quoted local parts and domain literals may hold.
    SpecialCharacter,
    /// The domain has no dot (`user@localhost`): no shop customer has such an address.
    DomainWithoutDot,
    /// The domain starts or ends with a dot, or has two dots in a row.
    EmptyDomainLabel,
    /// Longer than 254 bytes, or a local part longer than 64 bytes (RFC 5321 limits).
    TooLong,
}

impl fmt::Display for EmailProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmailProblem::NoAt => "not an email address: no `@`",
            EmailProblem::SeveralAts => "not an email address: more than one `@`",
            EmailProblem::EmptyLocalPart => "not an email address: nothing before the `@`",
            EmailProblem::EmptyDomain => "not an email address: nothing after the `@`",
            EmailProblem::WhiteSpace => "the email address contains white space",
            EmailProblem::ControlCharacter => "the email address contains a control character",
            EmailProblem::SpecialCharacter => {
                "the email address contains one of the characters \"(),:;<>[\\]"
            }
            EmailProblem::DomainWithoutDot => "the email domain has no dot",
            EmailProblem::EmptyDomainLabel => {
                "the email domain has an empty label (`..`, or a dot at an end)"
            }
            EmailProblem::TooLong => "the email address is too long (254 bytes, 64 before the `@`)",
        })
    }
}

/// Why a total was refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TotalProblem {
    /// The total is below zero (a refund is not a purchase).
    Negative,
    /// The total has a non-zero digit after the second decimal (`19.999`); round it yourself,
    /// the library will not guess how.
    MoreThanTwoDecimals,
    /// The text is not a plain decimal number (when parsing a URL).
    NotADecimal {
        /// What was received (at most 40 characters of it).
        found: String,
    },
}

impl fmt::Display for TotalProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TotalProblem::Negative => f.write_str("the total is negative"),
            TotalProblem::MoreThanTwoDecimals => f.write_str(
                "the total has more than two decimals; round it first (CartStack takes cents)",
            ),
            TotalProblem::NotADecimal { found } => {
                write!(f, "expected a decimal number, found {found:?}")
            }
        }
    }
}

/// A confirmation request that CartStack would refuse, caught before sending it (or, when
/// parsing a URL, a URL that is not a valid confirmation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A required field (`key`, `siteid`, `email`) is absent, empty or only white space
    /// (CartStack answers 101).
    #[error("field `{field}`: missing or blank")]
    Missing {
        /// The wire name: `key`, `siteid` or `email`.
        field: &'static str,
    },
    /// The email address fails the local check (CartStack answers 101 Invalid Email Address).
    #[error("field `email`: {0}")]
    InvalidEmail(EmailProblem),
    /// The total is negative, too precise, or not a number.
    #[error("field `total`: {0}")]
    InvalidTotal(TotalProblem),
    /// An extra parameter that cannot be sent as given.
    #[error("parameter `{name}`: {problem}")]
    InvalidParam {
        /// The parameter's name.
        name: String,
        /// Why.
        problem: &'static str,
    },
    /// The query string itself is malformed (not UTF-8 after decoding, too large).
    #[error("query string: {0}")]
    Query(cartwire_core::Error),
    /// The text is not a URL.
    #[error("not a URL: {0}")]
    Url(url::ParseError),
}

impl RequestError {
    /// The wire field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            RequestError::Missing { field } => Some(field),
            RequestError::InvalidEmail(_) => Some("email"),
            RequestError::InvalidTotal(_) => Some("total"),
            RequestError::InvalidParam { name, .. } => Some(name),
            RequestError::Query(err) => err.field(),
            RequestError::Url(_) => None,
        }
    }
}

impl From<RequestError> for cartwire_core::Error {
    fn from(err: RequestError) -> Self {
        match err {
            RequestError::Missing { field } => {
                cartwire_core::Error::malformed(field, "missing or blank")
            }
            RequestError::InvalidEmail(problem) => {
                cartwire_core::Error::malformed("email", problem)
            }
            RequestError::InvalidTotal(problem) => {
                cartwire_core::Error::malformed("total", problem)
            }
            RequestError::InvalidParam { name, problem } => {
                cartwire_core::Error::malformed(name, problem)
            }
            RequestError::Query(err) => err,
            RequestError::Url(err) => {
                cartwire_core::Error::malformed("", format!("not a URL: {err}"))
            }
        }
    }
}

/// How many bytes of an unexpected body the error message shows.
const SHOWN_BODY_CHARS: usize = 200;

/// CartStack's answer is not `{"resp": …, "err_txt": …}`: an HTML error page from a proxy, an
/// empty body, JSON without `resp`. The body is kept whole for logging and support tickets.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem} (body: {})", if field.is_empty() { "CartStack answer".to_owned() } else { format!("field `{field}`") }, self.excerpt())]
#[non_exhaustive]
pub struct UnexpectedBody {
    /// The body as received.
    pub body: Vec<u8>,
    /// The member at fault (`resp`, `err_txt`), or empty for the body as a whole.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl UnexpectedBody {
    pub(crate) fn new(body: &[u8], field: impl Into<String>, problem: impl fmt::Display) -> Self {
        Self {
            body: body.to_vec(),
            field: field.into(),
            problem: problem.to_string(),
        }
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The start of the body, quoted, for one-line messages.
    fn excerpt(&self) -> String {
        let text = self.body_text();
        let shown: String = text.chars().take(SHOWN_BODY_CHARS).collect();
        if text.chars().count() > SHOWN_BODY_CHARS {
            format!("{shown:?}… ({} bytes)", self.body.len())
        } else {
            format!("{shown:?}")
        }
    }
}

impl fmt::Debug for UnexpectedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedBody")
            .field("body", &self.body_text())
            .field("field", &self.field)
            .field("problem", &self.problem)
            .finish()
    }
}

impl From<UnexpectedBody> for cartwire_core::Error {
    fn from(err: UnexpectedBody) -> Self {
        cartwire_core::Error::malformed(err.field, err.problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            RequestError::Missing { field: "siteid" }.to_string(),
            "field `siteid`: missing or blank"
        );
        assert_eq!(
            RequestError::InvalidEmail(EmailProblem::WhiteSpace).to_string(),
            "field `email`: the email address contains white space"
        );
        assert_eq!(
            RequestError::InvalidTotal(TotalProblem::Negative).to_string(),
            "field `total`: the total is negative"
        );
        let core: cartwire_core::Error = RequestError::InvalidTotal(TotalProblem::Negative).into();
        assert_eq!(core.field(), Some("total"));
        assert_eq!(core.kind(), cartwire_core::ErrorKind::Malformed);
    }

    #[test]
    fn unexpected_body_keeps_the_body_and_shows_an_excerpt() {
        let body = "x".repeat(1000);
        let err = UnexpectedBody::new(body.as_bytes(), "", "not JSON");
        assert_eq!(err.body.len(), 1000);
        let message = err.to_string();
        assert!(message.starts_with("CartStack answer: not JSON (body: \"xxx"));
        assert!(message.ends_with("… (1000 bytes))"));
        assert!(message.len() < 300);
        let err = UnexpectedBody::new(b"{}", "resp", "missing");
        assert_eq!(err.to_string(), "field `resp`: missing (body: \"{}\")");
    }
}
