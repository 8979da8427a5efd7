//! Protecting the notify endpoint: Cartloom signs nothing, so the URL carries a secret.
//!
//! Cartloom posts every order to the Notify URL set in its settings, with no signature, no
//! hash and no credentials. Anyone who learns the URL can post a forged order to it. The
//! protection a receiver has is the URL itself: put a long random token in the Notify URL's
//! query (`https://shop.example/hooks/cartloom?token=…`) and refuse every request whose token
//! is not that one. [`CartloomToken`] builds that URL ([`CartloomToken::notify_url`]) and is
//! the crate's [`Receiver`]: [`receive`](Receiver::receive) checks the token, then decodes the
//! body.
//!
//! # Decisions and advice
//!
//! * The parameter is `token` unless set otherwise ([`CartloomToken::with_param`]).
//! * The token is read from the request's query only (never from the body: a token in the
//!   body would be judged by parsing an unauthenticated body), and checked **before** the
//!   body is looked at: a forged request with a garbage body is refused as forged
//!   ([`ErrorKind::VerificationFailed`](crate::ErrorKind::VerificationFailed)), never as
//!   malformed.
//! * Only the token's parameter is read from the query (percent-decoded, `+` as a space);
//!   the rest of the query is not parsed, so an odd tracking parameter cannot fail a genuine
//!   delivery.
//! * The check fails closed: a missing parameter ([`VerifyError::Missing`]), an empty token
//!   ([`VerifyError::Empty`]) and a wrong one ([`VerifyError::Mismatch`]) are
//!   [`Error::Verify`] naming the parameter, with [`Credential::Token`] ("the token does not
//!   match"). A repeated parameter (`?token=a&token=b`, which different layers may read
//!   differently) is [`Error::Malformed`] naming the parameter. An empty secret cannot be
//!   configured at all ([`CartloomToken::new`] answers [`EmptyKey`]).
//! * The token's content is compared in constant time ([`Secret::matches`]); its length is
//!   not hidden, which gives nothing away when the token is long and random. Use at least
//!   32 random characters (say 24 bytes from the OS's random source, hex- or base64url-encoded).
//! * Serve the endpoint over HTTPS only, and keep the token out of access logs (many servers
//!   log query strings; log the path alone for this route). A [`Delivery`]'s `Debug` output
//!   leaves the query out.
//! * Cartloom may deliver an order more than once (a retry after a timeout): de-duplicate on
//!   [`ReceivedOrder::dedup_key`].

use std::borrow::Cow;

use cartwire_core::form::{FormEncoder, php_urldecode, split_pair};
use cartwire_core::{Credential, Delivery, EmptyKey, Error, Receiver, Secret, VerifyError};

use crate::decode::Decoder;
use crate::payload::ReceivedOrder;

/// The query parameter that carries the token unless set otherwise.
pub const DEFAULT_TOKEN_PARAM: &str = "token";

/// The secret token of a Cartloom notify endpoint, and the name of the query parameter that
/// carries it: the crate's [`Receiver`].
///
/// ```
/// use cartloom_order::{CartloomToken, Delivery, ErrorKind, Receiver};
///
/// let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
///
/// // Once, in Cartloom's settings: the Notify URL to paste.
/// assert_eq!(
///     token.notify_url("https://shop.example/hooks/cartloom"),
///     "https://shop.example/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35",
/// );
///
/// // On every request: the token first, then the body.
/// let body = cartloom_order::samples::ORDER_FORM.as_bytes();
/// let target = "/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
/// assert_eq!(token.receive(&Delivery::post(target, body))?.order.oid, "0000123456");
///
/// let err = token.receive(&Delivery::post("/hooks/cartloom?token=guess", body)).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::VerificationFailed);
/// assert_eq!(err.field(), Some("token"));
/// assert_eq!(
///     err.to_string(),
///     "verification failed: `token`: the token does not match (wrong token, or a request to a guessed URL)",
/// );
/// assert!(!format!("{token:?}").contains("5f0c2a9e"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CartloomToken {
    param: String,
    secret: Secret,
}

impl CartloomToken {
    /// A token carried in the `token` query parameter.
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] when `secret` is empty (a missing configuration value, usually): an empty
    /// token protects nothing, so a service refuses to start rather than answer 401 to every
    /// delivery.
    pub fn new(secret: impl Into<Secret>) -> Result<Self, EmptyKey> {
        Ok(Self {
            param: DEFAULT_TOKEN_PARAM.to_owned(),
            secret: Secret::non_empty(secret, "Cartloom endpoint token")?,
        })
    }

    /// Carries the token in another query parameter.
    ///
    /// ```
    /// use cartloom_order::CartloomToken;
    ///
    /// let token = CartloomToken::new("s3cret")?.with_param("key")?;
    /// assert_eq!(token.notify_url("https://x.test/hook"), "https://x.test/hook?key=s3cret");
    /// assert!(CartloomToken::new("s3cret")?.with_param("").is_err());
    /// # Ok::<(), cartloom_order::EmptyKey>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] when `param` is empty: no query parameter has an empty name, so no
    /// delivery would ever pass.
    pub fn with_param(mut self, param: impl Into<String>) -> Result<Self, EmptyKey> {
        let param = param.into();
        // The one empty-key rule, applied to the name.
        Secret::non_empty(param.as_str(), "Cartloom token parameter name")?;
        self.param = param;
        Ok(self)
    }

    /// The query parameter's name.
    pub fn param(&self) -> &str {
        &self.param
    }

    /// The secret token (for building Notify URLs elsewhere; its `Debug` is redacted).
    pub fn secret(&self) -> &Secret {
        &self.secret
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

    /// Checks the token of a request target (`/hooks/cartloom?token=…`) or a full URL; the
    /// query is what follows `?`, up to any `#`.
    ///
    /// # Errors
    ///
    /// As [`verify_query`](Self::verify_query).
    pub fn verify_url(&self, url: &str) -> Result<(), Error> {
        self.verify_query(Delivery::get(url).query())
    }

    /// Checks the token in a query string, without its `?` (what most web frameworks hand
    /// over). [`Receiver::verify`] is this on the delivery's query.
    ///
    /// # Errors
    ///
    /// [`Error::Verify`] naming the parameter, with [`VerifyError::Missing`] (no such
    /// parameter), [`VerifyError::Empty`] or [`VerifyError::Mismatch`];
    /// [`Error::Malformed`] naming the parameter when the query carries it twice.
    pub fn verify_query(&self, query: &str) -> Result<(), Error> {
        let refused = |reason: VerifyError| reason.at(Credential::Token, self.param.as_str());
        let received = self
            .find(query)?
            .ok_or_else(|| refused(VerifyError::Missing))?;
        if received.is_empty() {
            return Err(refused(VerifyError::Empty));
        }
        // A token that is not UTF-8 cannot equal the secret (a `str`).
        let matches = std::str::from_utf8(&received).is_ok_and(|text| self.secret.matches(text));
        if matches {
            Ok(())
        } else {
            Err(refused(VerifyError::Mismatch))
        }
    }

    /// The decoded value of the token's parameter, if present; only that parameter is
    /// decoded.
    fn find<'q>(&self, query: &'q str) -> Result<Option<Cow<'q, [u8]>>, Error> {
        let mut found = None;
        for pair in query.as_bytes().split(|&b| b == b'&') {
            let (key, value) = split_pair(pair);
            if *php_urldecode(key) != *self.param.as_bytes() {
                continue;
            }
            if found.is_some() {
                return Err(Error::malformed(
                    self.param.as_str(),
                    "the parameter is repeated (two tokens for one check)",
                ));
            }
            found = Some(php_urldecode(value));
        }
        Ok(found)
    }
}

/// Cartloom's receiving: the token in the query, then the POST body (either shape).
impl Receiver for CartloomToken {
    type Notification = ReceivedOrder;

    const PROTOCOL: &'static str = "cartloom";

    /// Checks the token in the delivery's query ([`verify_query`](Self::verify_query)); the
    /// body is not looked at.
    fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
        self.verify_query(delivery.query())
    }

    /// Decodes the POST body, either shape, default limits
    /// ([`Decoder::decode_shaped`]), **unverified**.
    fn decode(delivery: &Delivery<'_>) -> Result<ReceivedOrder, Error> {
        Decoder::new().decode_shaped(delivery.posted_body()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwire_core::ErrorKind;

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    fn token() -> CartloomToken {
        CartloomToken::new(TOKEN).unwrap()
    }

    fn verify(url: &str) -> Result<(), Error> {
        token().verify_url(url)
    }

    fn refused(reason: VerifyError) -> Result<(), Error> {
        Err(reason.at(Credential::Token, "token"))
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
            refused(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(&format!("/hook?token={}", &TOKEN[..31])),
            refused(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(&format!("/hook?token={TOKEN}0")),
            refused(VerifyError::Mismatch)
        );
        assert_eq!(verify("/hook?token=%FF"), refused(VerifyError::Mismatch));
        assert_eq!(verify("/hook?token="), refused(VerifyError::Empty));
        assert_eq!(verify("/hook?token"), refused(VerifyError::Empty));
        assert_eq!(verify("/hook"), refused(VerifyError::Missing));
        assert_eq!(
            verify("/hook?tokens=1&atoken=2"),
            refused(VerifyError::Missing)
        );
        assert_eq!(
            verify(&format!("/hook?x=1#token={TOKEN}")),
            refused(VerifyError::Missing)
        );
        let twice = verify(&format!("/hook?token={TOKEN}&token=evil")).unwrap_err();
        assert_eq!(twice.kind(), ErrorKind::Malformed);
        assert_eq!(twice.field(), Some("token"));
        // The same parameter spelled two ways is still one parameter, twice.
        let twice = verify(&format!("/hook?token={TOKEN}&%74oken={TOKEN}")).unwrap_err();
        assert_eq!(twice.kind(), ErrorKind::Malformed);
    }

    #[test]
    fn the_rest_of_the_query_is_not_parsed() {
        for other in ["utm=1&utm=2", "a=%FF%FE", "%zz", "x[=1", "&&", "=v"] {
            assert_eq!(
                verify(&format!("/hook?{other}&token={TOKEN}")),
                Ok(()),
                "{other}"
            );
        }
    }

    #[test]
    fn an_empty_secret_or_parameter_cannot_be_configured() {
        let err = CartloomToken::new("").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the Cartloom endpoint token is empty (a missing configuration value?)"
        );
        assert!(token().with_param("").is_err());
    }

    #[test]
    fn percent_encoded_tokens_and_other_params() {
        let token = CartloomToken::new("a b+c/d&e")
            .unwrap()
            .with_param("key")
            .unwrap();
        assert_eq!(token.param(), "key");
        let url = token.notify_url("https://x.test/hook?shop=1#top");
        assert_eq!(url, "https://x.test/hook?shop=1&key=a+b%2Bc%2Fd%26e");
        assert_eq!(token.verify_url(&url), Ok(()));
        assert_eq!(token.verify_query("key=a%20b%2Bc%2Fd%26e"), Ok(()));
        assert_eq!(
            token.verify_query("token=a+b%2Bc%2Fd%26e"),
            Err(VerifyError::Missing.at(Credential::Token, "key"))
        );
        let t = CartloomToken::new("t").unwrap();
        assert_eq!(
            t.notify_url("https://x.test/hook?"),
            "https://x.test/hook?token=t"
        );
        assert_eq!(
            t.notify_url("https://x.test/hook?a=1&"),
            "https://x.test/hook?a=1&token=t"
        );
    }

    #[test]
    fn the_token_is_checked_before_the_body() {
        let token = token();
        let body = include_bytes!("../tests/fixtures/vendor-sample.json");
        let target = format!("/hook?token={TOKEN}");
        let received = token.receive(&Delivery::post(&target, body)).unwrap();
        assert_eq!(received.order.oid, "0000123456");
        // The body is not looked at when the token is wrong: garbage gives a verify error.
        assert_eq!(
            token
                .receive(&Delivery::post("/hook?token=nope", b"\xff garbage"))
                .unwrap_err(),
            VerifyError::Mismatch.at(Credential::Token, "token")
        );
        // With the right token, the body is judged; a GET has none.
        let err = token.receive(&Delivery::post(&target, b"{")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        let err = token.receive(&Delivery::get(&target)).unwrap_err();
        assert_eq!(err.field(), Some("method"));
    }

    #[test]
    fn debug_hides_the_secret() {
        let debug = format!("{:?}", token());
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(debug.contains("token"), "{debug}");
    }
}
