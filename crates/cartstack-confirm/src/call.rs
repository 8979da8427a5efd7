//! What the blocking ([`client`](crate::client), feature `client`) and the async
//! ([`reqwest`](crate::reqwest), feature `reqwest`) clients share: the error of a call, and
//! every rule of a call that is not I/O (the URL, reading the answer, scrubbing secrets from
//! messages, the limits, retries and the tracing span). The two clients only move bytes.
//!
//! # Decisions
//!
//! * Any HTTP status whose body is CartStack's JSON is an answer (`Ok`); a body that is not is
//!   [`CallError::Response`], with the status and the body.
//! * Redirects are not followed: the query carries the API key, and a redirect to another
//!   host would hand it over. A 3xx is a [`CallError::Response`].
//! * The whole call is bounded by a timeout (30 seconds unless set), and the answer by
//!   [`MAX_ANSWER_BYTES`].
//! * Error messages never show the URL's query (key and email): the transport's message is
//!   scrubbed of both before it is kept.
//! * With the `tracing` feature, each call is one span ([`cartwire_core::call`]): the endpoint
//!   without its query, the last status, the duration and the retries; its `outcome` is `ok`
//!   only when CartStack recorded the purchase (100).
//!
//! # Retries
//!
//! Off by default. With `with_retry(RetryPolicy)` a confirmation is repeated after a
//! connection failure, a timeout, a connection dropped before the answer, or a 5xx whose body
//! is not CartStack's JSON ([`cartwire_core::retry`] has the schedule). CartStack's answers
//! themselves, 101 to 103 included, are never repeated.
//!
//! **A confirmation is not idempotent at CartStack**: the first one that arrives closes the
//! cart, and a repeat answers 102 "Cart not found for email address …". So when an attempt
//! timed out or lost its connection after sending (it may have been recorded) and a later
//! attempt gets that 102 (or 102 "No cart exists…"), the client does not report a plain
//! [`Outcome::CartNotFound`]: it answers
//! [`CallError::ProbablyConfirmed`], with the attempt count and CartStack's answer, so the
//! caller can tell "probably recorded by the earlier attempt" from "there was never a cart".
//! Without retries, or when the earlier attempts surely never left (no connection), a 102 is
//! an ordinary answer.

use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use cartwire_core::call::{CallSpan, describe};
pub(crate) use cartwire_core::retry::Step;
use cartwire_core::retry::{Attempts, Failure, Repeat, RetryPolicy};
use url::Url;

use crate::error::UnexpectedBody;
use crate::request::{ConfirmRequest, DEFAULT_ENDPOINT};
use crate::response::{ConfirmResponse, Outcome};

/// The largest answer read, in bytes; CartStack's are under 200.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// The default timeout for a whole call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A confirmation that got no usable answer from CartStack, from either client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// CartStack could not be reached, or the connection failed (DNS, TLS, timeout, reset),
    /// or its answer was over [`MAX_ANSWER_BYTES`]. The message is the transport's, with the
    /// key and email removed.
    #[error("cannot reach CartStack: {message}")]
    Transport {
        /// What the transport said.
        message: String,
    },
    /// CartStack (or something in front of it) answered with a body that is not its JSON.
    #[error("CartStack answered HTTP {status}: {error}")]
    Response {
        /// The HTTP status.
        status: u16,
        /// The body, kept, and what is wrong with it.
        error: UnexpectedBody,
    },
    /// A retried confirmation got "no cart" (102) after an earlier attempt whose fate is
    /// unknown (it timed out, or its connection broke after sending): that earlier attempt
    /// most likely reached CartStack and closed the cart, so the purchase is **probably
    /// already confirmed**. Only with a [`RetryPolicy`]; see the [module docs](self).
    #[error(
        "CartStack found no cart (102) on attempt {attempts}, after an earlier attempt that may have reached it: the purchase was probably already confirmed by that attempt"
    )]
    ProbablyConfirmed {
        /// The attempts made, this one included.
        attempts: u32,
        /// CartStack's answer to the last attempt (a 102); boxed, to keep the error small.
        response: Box<ConfirmResponse>,
    },
}

/// The result of one attempt: an answer, or an error and, when the policy may repeat the
/// call after it, why there was no answer.
pub(crate) type Attempted = Result<ConfirmResponse, (Option<Failure>, CallError)>;

/// One call in progress: the URL to GET, its attempts and its span.
pub(crate) struct Call<'a> {
    request: &'a ConfirmRequest,
    url: String,
    attempts: Attempts,
    span: CallSpan,
    /// The last HTTP status (0: none yet); atomic so that the async clients' futures are
    /// `Send`.
    status: AtomicU16,
}

impl<'a> Call<'a> {
    pub(crate) fn new(
        endpoint: Option<&Url>,
        request: &'a ConfirmRequest,
        retry: RetryPolicy,
    ) -> Self {
        let url = match endpoint {
            Some(endpoint) => request.to_url_at(endpoint).to_string(),
            None => request.to_url(),
        };
        let span = CallSpan::start("cartstack", "GET", &traced_endpoint(endpoint));
        Self {
            request,
            url,
            // Repeats are reported (`ProbablyConfirmed`), so every retryable failure may be.
            attempts: Attempts::new(retry, Repeat::Retryable),
            span,
            status: AtomicU16::new(0),
        }
    }

    /// The URL to GET, query included: never log it.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn span(&self) -> &CallSpan {
        &self.span
    }

    /// A transport error, described with its causes and scrubbed, and how the policy sees
    /// it.
    pub(crate) fn transport(
        &self,
        failure: Option<Failure>,
        err: &(dyn std::error::Error + 'static),
    ) -> Attempted {
        Err((
            failure,
            CallError::Transport {
                message: scrub(&describe(err), self.request),
            },
        ))
    }

    /// An answer over [`MAX_ANSWER_BYTES`].
    pub(crate) fn too_large(&self) -> Attempted {
        Err((
            None,
            CallError::Transport {
                message: format!("the answer is larger than {MAX_ANSWER_BYTES} bytes"),
            },
        ))
    }

    /// Reads what came back: CartStack's JSON whatever the status, or an unexpected body
    /// (retryable when the status is a 5xx).
    pub(crate) fn answer(&self, status: u16, body: &[u8]) -> Attempted {
        self.status.store(status, Ordering::Relaxed);
        ConfirmResponse::from_slice(body).map_err(|error| {
            (
                Some(Failure::Status(status)),
                CallError::Response { status, error },
            )
        })
    }

    /// Judges an attempt: retry after a wait, or the call's result (with the 102 rule).
    pub(crate) fn next(&mut self, attempted: Attempted) -> Step<ConfirmResponse, CallError> {
        match self.attempts.judge(&self.span, attempted) {
            Step::Done(Ok(response)) => Step::Done(self.answered(response)),
            step => step,
        }
    }

    fn answered(&self, response: ConfirmResponse) -> Result<ConfirmResponse, CallError> {
        let cart_gone = matches!(
            response.outcome(),
            Outcome::CartNotFound { .. } | Outcome::NoCart
        );
        if cart_gone && self.attempts.earlier_fate_unknown() {
            Err(CallError::ProbablyConfirmed {
                attempts: self.attempts.attempt(),
                response: Box::new(response),
            })
        } else {
            Ok(response)
        }
    }

    /// Closes the span with the result.
    pub(crate) fn finish(self, result: &Result<ConfirmResponse, CallError>) {
        let ok = matches!(result, Ok(response) if response.outcome().is_success());
        self.span.finish(
            Some(self.status.load(Ordering::Relaxed)).filter(|&s| s != 0),
            self.attempts.retries(),
            ok,
        );
    }
}

/// The endpoint as the span shows it: no query, no user or password.
fn traced_endpoint(endpoint: Option<&Url>) -> String {
    match endpoint {
        Some(endpoint) => {
            let mut url = endpoint.clone();
            url.set_query(None);
            url.set_fragment(None);
            // Only fails for URLs that cannot have credentials, which then have none.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        None => DEFAULT_ENDPOINT.to_owned(),
    }
}

/// Removes the query, the key and the email (raw and encoded) from a transport message.
pub(crate) fn scrub(message: &str, request: &ConfirmRequest) -> String {
    let mut message = message.replace(&request.to_query(), "[query]");
    let encoded = |text: &str| {
        percent_encoding::utf8_percent_encode(text, crate::encode::RAWURLENCODE).to_string()
    };
    for secret in [request.key().expose(), request.email()] {
        if !secret.is_empty() {
            message = message.replace(secret, "[redacted]");
            message = message.replace(&encoded(secret), "[redacted]");
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_messages_keep_neither_key_nor_email() {
        let request = ConfirmRequest::new("s3cr3t", "S", "ann@example.com").unwrap();
        let message = format!(
            "bad uri: {} (key s3cr3t, email ann%40example.com, ann@example.com)",
            request.to_url()
        );
        let clean = scrub(&message, &request);
        assert!(!clean.contains("s3cr3t"), "{clean}");
        assert!(!clean.contains("ann"), "{clean}");
        assert!(clean.contains("[query]"));
    }

    #[test]
    fn the_traced_endpoint_has_no_query_or_credentials() {
        assert_eq!(traced_endpoint(None), DEFAULT_ENDPOINT);
        let url = Url::parse("https://user:pw@x.test/ss/v1/?key=k#f").unwrap();
        assert_eq!(traced_endpoint(Some(&url)), "https://x.test/ss/v1/");
    }

    fn answer(text: &str) -> ConfirmResponse {
        ConfirmResponse::from_slice(text.as_bytes()).unwrap()
    }

    const GONE: &str = r#"{"resp":102,"err_txt":"Cart not found for email address a@b.co"}"#;

    #[test]
    fn a_102_after_an_attempt_of_unknown_fate_is_probably_confirmed() {
        let request = ConfirmRequest::new("k", "S", "a@b.co").unwrap();
        let policy = RetryPolicy::attempts(3).with_backoff(Duration::ZERO, Duration::ZERO);
        for failure in [Failure::Timeout, Failure::Dropped, Failure::Status(502)] {
            let mut call = Call::new(None, &request, policy);
            assert!(matches!(
                call.next(Err((
                    Some(failure),
                    CallError::Transport {
                        message: String::new()
                    }
                ))),
                Step::Retry(_)
            ));
            match call.next(Ok(answer(GONE))) {
                Step::Done(Err(CallError::ProbablyConfirmed { attempts, response })) => {
                    assert_eq!(attempts, 2);
                    assert_eq!(*response, answer(GONE));
                }
                _ => panic!("{failure}"),
            }
        }
        // After a failed connection nothing was sent: the 102 is CartStack's plain answer.
        let mut call = Call::new(None, &request, policy);
        let _ = call.next(Err((
            Some(Failure::Connect),
            CallError::Transport {
                message: String::new(),
            },
        )));
        assert!(matches!(call.next(Ok(answer(GONE))), Step::Done(Ok(_))));
        // Other answers pass through, and the first attempt's 102 is an answer.
        let mut call = Call::new(None, &request, policy);
        let _ = call.next(Err((
            Some(Failure::Timeout),
            CallError::Transport {
                message: String::new(),
            },
        )));
        assert!(matches!(
            call.next(Ok(answer(
                r#"{"resp":103,"err_txt":"API Key does not match"}"#
            ))),
            Step::Done(Ok(_))
        ));
        let mut call = Call::new(None, &request, policy);
        assert!(matches!(call.next(Ok(answer(GONE))), Step::Done(Ok(_))));
    }

    #[test]
    fn unexpected_bodies_are_retried_only_on_5xx() {
        let request = ConfirmRequest::new("k", "S", "a@b.co").unwrap();
        let policy = RetryPolicy::attempts(2).with_backoff(Duration::ZERO, Duration::ZERO);
        let mut call = Call::new(None, &request, policy);
        let attempted = call.answer(404, b"<html>");
        assert!(matches!(
            call.next(attempted),
            Step::Done(Err(CallError::Response { status: 404, .. }))
        ));
        let mut call = Call::new(None, &request, policy);
        let attempted = call.answer(503, b"<html>");
        assert!(matches!(call.next(attempted), Step::Retry(_)));
        // A 5xx carrying CartStack's JSON is its answer.
        let mut call = Call::new(None, &request, policy);
        let attempted = call.answer(500, br#"{"resp":102,"err_txt":"Purchase Insert Failed"}"#);
        assert!(matches!(call.next(attempted), Step::Done(Ok(_))));
        // Over the size limit: not retried.
        let mut call = Call::new(None, &request, policy);
        let attempted = call.too_large();
        assert!(matches!(
            call.next(attempted),
            Step::Done(Err(CallError::Transport { .. }))
        ));
    }
}
