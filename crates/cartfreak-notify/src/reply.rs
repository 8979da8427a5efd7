//! The receiver's answer in the POST flavour: the plain-text body `OK`, or `ERROR <message>`.
//!
//! CartFreak's receiver package answers with these bodies (and HTTP 200 either way). Parsing
//! ignores surrounding white space and the case of `OK`/`ERROR`; building keeps the message on
//! one line.

use core::fmt;
use core::str::FromStr;

use cartwire_core::Error;

/// A receiver's reply to a notification.
///
/// ```
/// use cartfreak_notify::Reply;
///
/// assert_eq!(Reply::Ok.to_string(), "OK");
/// assert_eq!(Reply::error("Invalid hash sent").to_string(), "ERROR Invalid hash sent");
/// assert_eq!("ERROR Invalid command sent\n".parse(), Ok(Reply::error("Invalid command sent")));
/// assert!("Internal Server Error".parse::<Reply>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reply {
    /// `OK`: the notification was handled.
    Ok,
    /// `ERROR <message>`: it was refused.
    Error(String),
}

impl Reply {
    /// The `Content-Type` to answer with.
    pub const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";

    /// An `ERROR` reply. Line breaks in the message become spaces, so the body stays one
    /// line.
    pub fn error(message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = if message.contains(['\r', '\n']) {
            message.replace(['\r', '\n'], " ")
        } else {
            message
        };
        Reply::Error(message.trim().to_owned())
    }

    /// Parses a receiver's reply body.
    pub fn parse(body: &str) -> Result<Self, Error> {
        let body = body.trim();
        if body.eq_ignore_ascii_case("OK") {
            return Ok(Reply::Ok);
        }
        let is_error = body
            .get(..5)
            .is_some_and(|head| head.eq_ignore_ascii_case("ERROR"));
        let rest = body.get(5..).unwrap_or_default();
        if is_error && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return Ok(Reply::error(rest.trim()));
        }
        let shown: String = body.chars().take(40).collect();
        Err(Error::malformed(
            "reply",
            format!("expected `OK` or `ERROR <message>`, found {shown:?}"),
        ))
    }

    /// Whether this is `OK`.
    pub fn is_ok(&self) -> bool {
        matches!(self, Reply::Ok)
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Ok => f.write_str("OK"),
            Reply::Error(message) if message.is_empty() => f.write_str("ERROR"),
            Reply::Error(message) => write!(f, "ERROR {message}"),
        }
    }
}

impl FromStr for Reply {
    type Err = Error;

    fn from_str(body: &str) -> Result<Self, Error> {
        Self::parse(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways() {
        for (body, reply) in [
            ("OK", Reply::Ok),
            ("ok\r\n", Reply::Ok),
            ("  OK  ", Reply::Ok),
            ("ERROR Invalid hash sent", Reply::error("Invalid hash sent")),
            (
                "ERROR No hash varaible was sent",
                Reply::error("No hash varaible was sent"),
            ),
            ("error   spaced  out \n", Reply::error("spaced  out")),
            ("ERROR", Reply::error("")),
            ("ERROR ", Reply::error("")),
            ("ERROR\tтабуляция", Reply::error("табуляция")),
        ] {
            assert_eq!(Reply::parse(body), Ok(reply.clone()), "{body:?}");
            assert_eq!(Reply::parse(&reply.to_string()), Ok(reply));
        }
    }

    #[test]
    fn anything_else_is_malformed() {
        for body in [
            "",
            "OKAY",
            "ERRORS here",
            "200 OK",
            "<html>ERROR</html>",
            "É",
            "ERRO",
        ] {
            let err = Reply::parse(body).unwrap_err();
            assert_eq!(err.field(), Some("reply"), "{body:?}");
        }
    }

    #[test]
    fn messages_stay_on_one_line() {
        let reply = Reply::error("bad\r\ninput\nhere");
        assert_eq!(reply.to_string(), "ERROR bad  input here");
        assert_eq!(Reply::parse(&reply.to_string()), Ok(reply));
    }
}
