//! Protecting the notify endpoint: Cartloom signs nothing, so the URL carries a secret.
//!
//! Cartloom posts every order to the Notify URL set in its settings, with no signature, no
//! hash and no credentials. Anyone who learns the URL can post a forged order to it. The
//! protection a receiver has is the URL itself: put a long random token in the Notify URL's
//! query (`https://shop.example/hooks/cartloom?token=…`) and reject every request whose token
//! is not that one. [`EndpointToken`] builds that URL and checks incoming requests, comparing
//! the token in constant time.
//!
//! # Decisions and advice
//!
//! * The parameter is `token` unless set otherwise ([`EndpointToken::with_param`]).
//! * The check fails closed: a missing parameter, an empty token, a repeated parameter
//!   (`?token=a&token=b`, which different layers may read differently), or an unset (empty)
//!   secret never pass.
//! * The token's content is compared in constant time ([`Secret::matches`]); its length is
//!   not hidden, which gives nothing away when the token is long and random. Use at least
//!   32 random characters (say 24 bytes from the OS's random source, hex- or base64url-encoded).
//! * Serve the endpoint over HTTPS only, and keep the token out of access logs (many servers
//!   log query strings; log the path alone for this route).
//! * Verify the token before decoding the body, so unauthenticated bodies are not parsed:
//!   [`EndpointToken::verify_and_decode`] does both in that order.
//! * Cartloom may deliver an order more than once (a retry after a timeout): de-duplicate on
//!   `oid`.

use cartwire_core::form::{Form, FormEncoder};
use cartwire_core::{Error, Secret, VerifyError};

use crate::payload::Order;

/// The query parameter that carries the token unless set otherwise.
pub const DEFAULT_TOKEN_PARAM: &str = "token";

/// The secret token of a notify endpoint, and the name of the query parameter carrying it.
///
/// ```
/// use cartloom_order::EndpointToken;
/// use cartwire_core::{Error, VerifyError};
///
/// let token = EndpointToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35");
///
/// // Once, in Cartloom's settings: the Notify URL to paste.
/// assert_eq!(
///     token.notify_url("https://shop.example/hooks/cartloom"),
///     "https://shop.example/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35",
/// );
///
/// // On every request: the request target (or full URL) the server received.
/// assert!(token.verify_url("/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35").is_ok());
/// assert_eq!(
///     token.verify_url("/hooks/cartloom?token=guess"),
///     Err(Error::Verify(VerifyError::Mismatch)),
/// );
/// assert!(format!("{token:?}").contains("[redacted]"));
/// ```
#[derive(Debug, Clone)]
pub struct EndpointToken {
    param: String,
    secret: Secret,
}

impl EndpointToken {
    /// A token carried in the `token` query parameter.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self {
            param: DEFAULT_TOKEN_PARAM.to_owned(),
            secret: secret.into(),
        }
    }

    /// Carries the token in another query parameter.
    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = param.into();
        self
    }

    /// The query parameter's name.
    pub fn param(&self) -> &str {
        &self.param
    }

    /// Whether the secret is empty (an unset configuration value, usually): such a token
    /// never verifies anything.
    pub fn secret_is_empty(&self) -> bool {
        self.secret.is_empty()
    }

    /// The Notify URL to give Cartloom: `base` with the token appended to its query (any
    /// fragment dropped, existing parameters kept).
    pub fn notify_url(&self, base: &str) -> String {
        let base = base.split_once('#').map_or(base, |(url, _)| url);
        let separator = match base.find('?') {
            None => "?",
            Some(q) if q + 1 == base.len() || base.ends_with('&') => "",
            Some(_) => "&",
        };
        let mut query = FormEncoder::new();
        query.pair(&self.param, self.secret.expose());
        format!("{base}{separator}{}", query.finish())
    }

    /// Checks a request target (`/hooks/cartloom?token=…`) or a full URL.
    ///
    /// Errors: [`Error::Verify`] with [`VerifyError::Missing`] (no such parameter),
    /// [`VerifyError::Empty`] or [`VerifyError::Mismatch`]; [`Error::Malformed`] when the
    /// query cannot be read or names the parameter twice.
    pub fn verify_url(&self, url: &str) -> Result<(), Error> {
        let url = url.split_once('#').map_or(url, |(url, _)| url);
        let query = url.split_once('?').map_or("", |(_, query)| query);
        self.verify_query(query)
    }

    /// Checks a query string, without its `?` (what most web frameworks hand over).
    pub fn verify_query(&self, query: &str) -> Result<(), Error> {
        let form = Form::parse(query.as_bytes())?;
        let received = form.get(&self.param).ok_or_else(|| VerifyError::Missing {
            field: self.param.clone(),
        })?;
        if received.is_empty() {
            return Err(VerifyError::Empty.into());
        }
        // An unset secret must not turn the check into "any token passes".
        if self.secret.is_empty() || !self.secret.matches(received) {
            return Err(VerifyError::Mismatch.into());
        }
        Ok(())
    }

    /// Checks the request's URL, then decodes its body (either shape, default limits): the
    /// body of a request without the right token is never parsed.
    pub fn verify_and_decode(&self, url: &str, body: &[u8]) -> Result<Order, Error> {
        self.verify_url(url)?;
        crate::decode(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    fn verify(url: &str) -> Result<(), Error> {
        EndpointToken::new(TOKEN).verify_url(url)
    }

    #[test]
    fn accepts_only_the_token() {
        assert_eq!(verify(&format!("/hook?token={TOKEN}")), Ok(()));
        assert_eq!(
            verify(&format!("https://x.test/hook?a=1&token={TOKEN}#frag")),
            Ok(())
        );
        assert_eq!(
            verify(&format!("/hook?token={}", TOKEN.to_uppercase())),
            Err(VerifyError::Mismatch.into())
        );
        assert_eq!(
            verify(&format!("/hook?token={}", &TOKEN[..31])),
            Err(VerifyError::Mismatch.into())
        );
        assert_eq!(
            verify(&format!("/hook?token={TOKEN}0")),
            Err(VerifyError::Mismatch.into())
        );
        assert_eq!(verify("/hook?token="), Err(VerifyError::Empty.into()));
        assert_eq!(verify("/hook?token"), Err(VerifyError::Empty.into()));
        assert_eq!(
            verify("/hook"),
            Err(VerifyError::Missing {
                field: "token".into()
            }
            .into())
        );
        assert_eq!(
            verify(&format!("/hook?x=1#token={TOKEN}")),
            Err(VerifyError::Missing {
                field: "token".into()
            }
            .into())
        );
        let twice = verify(&format!("/hook?token={TOKEN}&token=evil")).unwrap_err();
        assert_eq!(twice.kind(), cartwire_core::ErrorKind::Malformed);
        assert_eq!(twice.field(), Some("token"));
    }

    #[test]
    fn an_empty_secret_never_passes() {
        let unset = EndpointToken::new("");
        assert_eq!(unset.verify_query("token="), Err(VerifyError::Empty.into()));
        assert_eq!(
            unset.verify_query("token=x"),
            Err(VerifyError::Mismatch.into())
        );
    }

    #[test]
    fn percent_encoded_tokens_and_other_params() {
        let token = EndpointToken::new("a b+c/d&e").with_param("key");
        assert_eq!(token.param(), "key");
        let url = token.notify_url("https://x.test/hook?shop=1#top");
        assert_eq!(url, "https://x.test/hook?shop=1&key=a+b%2Bc%2Fd%26e");
        assert_eq!(token.verify_url(&url), Ok(()));
        assert_eq!(token.verify_query("key=a%20b%2Bc%2Fd%26e"), Ok(()));
        assert_eq!(
            EndpointToken::new("t").notify_url("https://x.test/hook?"),
            "https://x.test/hook?token=t"
        );
        assert_eq!(
            EndpointToken::new("t").notify_url("https://x.test/hook?a=1&"),
            "https://x.test/hook?a=1&token=t"
        );
    }

    #[test]
    fn verify_then_decode() {
        let token = EndpointToken::new(TOKEN);
        let body = include_bytes!("../tests/fixtures/vendor-sample.json");
        let order = token
            .verify_and_decode(&format!("/hook?token={TOKEN}"), body)
            .unwrap();
        assert_eq!(order.oid, "0000123456");
        // The body is not looked at when the token is wrong: garbage gives a verify error.
        assert_eq!(
            token.verify_and_decode("/hook?token=nope", b"\xff garbage"),
            Err(VerifyError::Mismatch.into())
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let debug = format!("{:?}", EndpointToken::new(TOKEN));
        assert!(!debug.contains(TOKEN), "{debug}");
    }
}
