//! What the blocking ([`client`](crate::client), feature `client`) and the async
//! ([`reqwest`](crate::reqwest), feature `reqwest`) clients share: the error of a call, and
//! every rule of a call that is not I/O (the request, reading the answer through the
//! [`Endpoint`], the limits, retries and the tracing span). The two clients only move bytes.
//!
//! # Decisions
//!
//! * Any HTTP status is an answer, read by the endpoint: a 403 is [`ApiError::Forbidden`], a
//!   404 [`ApiError::Status`], not transport errors.
//! * Bodies are read up to [`MAX_BODY_BYTES`]; a larger one is [`ClientError::Transport`].
//! * Every call has a timeout (30 seconds unless the client is built with another), for each
//!   attempt. https uses rustls with the webpki roots.
//! * Redirects are not followed: every request carries the API secret in a header, and a
//!   redirect could carry it to another host. A 3xx is [`ApiError::Status`].
//! * The secret is in a header, never in the URL; errors and the tracing span show the URL
//!   (with any user or password of the base URL removed from the span), never the headers.
//!
//! # Retries
//!
//! Off by default. With `with_retry(RetryPolicy)` a call is repeated after a connection
//! failure, a timeout, a connection dropped before the answer, or a 5xx
//! ([`cartwire_core::retry`] has the schedule); never after a 4xx or any other answer (403,
//! a failed save, a body that does not decode). Reads (`GET`) and updates (`PATCH`, which
//! sets the same values again) are repeated after all of these. **A create (`POST`) is
//! repeated only when no connection was made**: after a timeout or a 5xx the customer may
//! have been created, and a repeat would create it twice (Cartfunnel refuses the second with
//! "email taken", which would hide that the first succeeded). Look the customer up instead.
//!
//! [`MAX_BODY_BYTES`]: crate::decode::MAX_BODY_BYTES

use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use cartwire_core::call::{CallSpan, describe};
pub(crate) use cartwire_core::retry::Step;
use cartwire_core::retry::{Attempts, Failure, Repeat, RetryPolicy};

use crate::ApiError;
use crate::decode::MAX_BODY_BYTES;
use crate::request::{Api, ApiRequest, Endpoint, Method};

/// The timeout of each attempt when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call through either client failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The API answered, and the answer is an error (403, a failed save, a bad body…).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The request could not be sent or the answer not read (DNS, TLS, timeout, a dropped
    /// connection, a body over the size limit).
    #[error("cannot reach the Cartfunnel API at {url}: {message}")]
    Transport {
        /// The URL called.
        url: String,
        /// What went wrong, with its causes.
        message: String,
        /// The transport's error (ureq's or reqwest's).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The request could not be built (a URL that `http` refuses).
    #[error("cannot build the request to {url}: {source}")]
    Request {
        /// The URL.
        url: String,
        /// What went wrong.
        #[source]
        source: http::Error,
    },
}

impl ClientError {
    /// The API error, when the API answered.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(err) => Some(err),
            _ => None,
        }
    }
}

/// The result of one attempt: the endpoint's output, or an error and, when the policy may
/// repeat the call after it, why there was no answer.
pub(crate) type Attempted<T> = Result<T, (Option<Failure>, ClientError)>;

/// One call in progress: the request, its attempts and its span.
pub(crate) struct Call<'e, E> {
    endpoint: &'e E,
    request: ApiRequest,
    attempts: Attempts,
    span: CallSpan,
    /// The last HTTP status (0: none yet); atomic so that the async clients' futures are
    /// `Send`.
    status: AtomicU16,
}

impl<'e, E: Endpoint> Call<'e, E> {
    pub(crate) fn new(api: &Api, endpoint: &'e E, retry: RetryPolicy) -> Self {
        let request = api.request(endpoint);
        let repeat = match request.method() {
            Method::Post => Repeat::Unsent,
            _ => Repeat::Retryable,
        };
        let span = CallSpan::start(
            "cartfunnel",
            request.method().as_str(),
            &without_userinfo(request.url()),
        );
        Self {
            endpoint,
            request,
            attempts: Attempts::new(retry, repeat),
            span,
            status: AtomicU16::new(0),
        }
    }

    pub(crate) fn span(&self) -> &CallSpan {
        &self.span
    }

    /// The request as an [`http::Request`] (the secret header marked sensitive), and whether
    /// it has a body at all (a GET goes out without one, not with an empty one).
    pub(crate) fn http_request(&self) -> Result<(http::Request<Vec<u8>>, bool), ClientError> {
        let has_body = self.request.body().is_some();
        self.request
            .to_http()
            .map(|request| (request, has_body))
            .map_err(|source| ClientError::Request {
                url: self.request.url().to_owned(),
                source,
            })
    }

    /// A transport error, and how the policy sees it.
    pub(crate) fn transport<T>(
        &self,
        failure: Option<Failure>,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Attempted<T> {
        Err((
            failure,
            ClientError::Transport {
                url: self.request.url().to_owned(),
                message: describe(source.as_ref()),
                source,
            },
        ))
    }

    /// An answer over [`MAX_BODY_BYTES`].
    pub(crate) fn too_large<T>(&self) -> Attempted<T> {
        self.transport(
            None,
            format!("the answer is larger than {MAX_BODY_BYTES} bytes").into(),
        )
    }

    /// Reads what came back through the endpoint; a 5xx is retryable.
    pub(crate) fn answer(&self, status: u16, body: &[u8]) -> Attempted<E::Output> {
        self.status.store(status, Ordering::Relaxed);
        self.endpoint.parse_response(status, body).map_err(|err| {
            let failure = matches!(err, ApiError::Status { status, .. } if status >= 500)
                .then_some(Failure::Status(status));
            (failure, ClientError::Api(err))
        })
    }

    /// Judges an attempt: retry after a wait, or the call's result.
    pub(crate) fn next(&mut self, attempted: Attempted<E::Output>) -> Step<E::Output, ClientError> {
        self.attempts.judge(&self.span, attempted)
    }

    /// Closes the span with the result.
    pub(crate) fn finish(self, result: &Result<E::Output, ClientError>) {
        self.span.finish(
            Some(self.status.load(Ordering::Relaxed)).filter(|&s| s != 0),
            self.attempts.retries(),
            result.is_ok(),
        );
    }
}

/// The URL without a `user:password@` part.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://{host}{path}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{CreateCustomer, Credentials, GetCustomer};
    use crate::{BaseUrl, NewCustomer, Secret};

    fn api() -> Api {
        Api::new(Credentials::new("myshop", Secret::new("s3cr3t")).unwrap())
            .with_base_url(BaseUrl::parse("https://u:pw@x.test/v1").unwrap())
    }

    fn zero() -> RetryPolicy {
        RetryPolicy::attempts(3).with_backoff(Duration::ZERO, Duration::ZERO)
    }

    #[test]
    fn spans_show_no_userinfo() {
        assert_eq!(
            without_userinfo("https://u:pw@x.test/v1/customers.json"),
            "https://x.test/v1/customers.json"
        );
        assert_eq!(without_userinfo("http://x.test/a@b"), "http://x.test/a@b");
        assert_eq!(without_userinfo("not a url"), "not a url");
    }

    #[test]
    fn reads_are_retried_on_5xx_and_not_on_other_answers() {
        let get = GetCustomer::new(7);
        let mut call = Call::new(&api(), &get, zero());
        let attempted = call.answer(503, b"busy");
        assert!(matches!(call.next(attempted), Step::Retry(_)));
        for status in [403, 404, 429] {
            let mut call = Call::new(&api(), &get, zero());
            let attempted = call.answer(status, b"no");
            assert!(matches!(
                call.next(attempted),
                Step::Done(Err(ClientError::Api(_)))
            ));
        }
        let mut call = Call::new(&api(), &get, zero());
        let attempted = call.transport(Some(Failure::Timeout), "timed out".into());
        assert!(matches!(call.next(attempted), Step::Retry(_)));
        // Over the size limit: not retried.
        let mut call = Call::new(&api(), &get, zero());
        let attempted = call.too_large();
        assert!(matches!(
            call.next(attempted),
            Step::Done(Err(ClientError::Transport { .. }))
        ));
    }

    #[test]
    fn creates_are_retried_only_when_nothing_was_sent() {
        let create = CreateCustomer::new(NewCustomer::new("a@b.co").unwrap());
        for failure in [Failure::Timeout, Failure::Dropped, Failure::Status(503)] {
            let mut call = Call::new(&api(), &create, zero());
            let attempted = call.transport(Some(failure), "x".into());
            assert!(
                matches!(call.next(attempted), Step::Done(Err(_))),
                "{failure}"
            );
        }
        let mut call = Call::new(&api(), &create, zero());
        let attempted = call.transport(Some(Failure::Connect), "refused".into());
        assert!(matches!(call.next(attempted), Step::Retry(_)));
    }
}
