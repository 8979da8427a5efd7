//! What every cartwire API client records about a call: one [`tracing`](https://docs.rs/tracing)
//! span per call (feature `tracing`; without it, nothing but the clock).
//!
//! The span is `cartwire.call` (target `cartwire`, level INFO) with the fields `vendor`,
//! `method`, `endpoint` (the URL without its query or anything secret), and, once the call
//! ends, `status` (the last HTTP status, if any answer came), `duration_ms`, `retries` and
//! `outcome` (`ok` or `error`). Each repeat is a WARN event inside the span saying why and
//! after how long. Keys, secrets, emails and bodies never appear: the client hands the
//! endpoint in already scrubbed.
//!
//! ```
//! use cartwire_core::call::CallSpan;
//! use cartwire_core::retry::Failure;
//! use std::time::Duration;
//!
//! let span = CallSpan::start("cartstack", "GET", "https://api.cartstack.com/ss/v1/");
//! span.retrying(1, Failure::Timeout, Duration::from_millis(80));
//! span.finish(Some(200), 1, true);
//! ```

use std::time::{Duration, Instant};

use crate::retry::Failure;

/// An error and its causes, `: `-separated, each said once (transports often repeat their
/// source's text in their own, or keep the useful part in a source only: reqwest's
/// "error sending request" holds the "operation timed out").
///
/// ```
/// use cartwire_core::call::describe;
///
/// let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "operation timed out");
/// assert_eq!(describe(&io), "operation timed out");
/// ```
pub fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// The blocking clients' transport (feature `ureq`): one agent configuration and one reading
/// of its errors for every vendor.
#[cfg(feature = "ureq")]
#[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
pub mod ureq {
    use std::time::Duration;

    use crate::retry::Failure;

    /// An agent that treats every status as an answer, follows no redirect, and bounds each
    /// call by `timeout`.
    pub fn agent(timeout: Duration, user_agent: &str) -> ::ureq::Agent {
        ::ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .user_agent(user_agent)
            .build()
            .into()
    }

    /// How the retry policy sees a ureq error; `None`: never repeated (a bad URL, a body over
    /// the limit, an answer that is not HTTP).
    pub fn failure(err: &::ureq::Error) -> Option<Failure> {
        use ::ureq::Error as E;
        use ::ureq::Timeout as T;
        Some(match err {
            E::HostNotFound | E::ConnectionFailed | E::Tls(_) => Failure::Connect,
            E::Timeout(T::Resolve | T::Connect) => Failure::Connect,
            E::Timeout(_) | E::BodyStalled => Failure::Timeout,
            E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Failure::Connect,
            E::Io(_) => Failure::Dropped,
            _ => return None,
        })
    }
}

/// The async clients' transport (feature `reqwest`): one client configuration, one bounded
/// body read and one reading of its errors for every vendor.
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest {
    use std::time::Duration;

    use crate::retry::Failure;

    /// A client that follows no redirect and bounds each call by `timeout`.
    ///
    /// # Errors
    ///
    /// reqwest's, when its TLS backend cannot be set up.
    pub fn client(
        timeout: Duration,
        user_agent: &str,
    ) -> Result<::reqwest::Client, ::reqwest::Error> {
        ::reqwest::Client::builder()
            .redirect(::reqwest::redirect::Policy::none())
            .timeout(timeout)
            .user_agent(user_agent)
            .build()
    }

    /// Reads a body up to `limit` bytes: `Ok(None)` when it is longer (reading stops there).
    ///
    /// # Errors
    ///
    /// reqwest's, when the body cannot be read.
    pub async fn read_limited(
        response: &mut ::reqwest::Response,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, ::reqwest::Error> {
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Ok(None);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Some(body))
    }

    /// How the retry policy sees a reqwest error; `None`: never repeated (a bad URL, a
    /// redirect, a decoding error).
    pub fn failure(err: &::reqwest::Error) -> Option<Failure> {
        if err.is_connect() {
            Some(Failure::Connect)
        } else if err.is_timeout() {
            Some(Failure::Timeout)
        } else if err.is_request() || err.is_body() {
            Some(Failure::Dropped)
        } else {
            None
        }
    }
}

/// The record of one client call: a tracing span (feature `tracing`) and its start time.
#[derive(Debug)]
pub struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    started: Instant,
}

impl CallSpan {
    /// Opens the span of a call. `endpoint` must already be free of secrets (no query
    /// carrying a key, no credentials).
    pub fn start(vendor: &'static str, method: &str, endpoint: &str) -> Self {
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            target: "cartwire",
            "cartwire.call",
            vendor,
            method,
            endpoint,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            retries = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (vendor, method, endpoint);
        Self {
            #[cfg(feature = "tracing")]
            span,
            started: Instant::now(),
        }
    }

    /// Runs a blocking step inside the span, so that what the transport logs nests under it.
    pub fn in_scope<T>(&self, step: impl FnOnce() -> T) -> T {
        #[cfg(feature = "tracing")]
        {
            self.span.in_scope(step)
        }
        #[cfg(not(feature = "tracing"))]
        step()
    }

    /// Runs an async step inside the span, so that what the transport logs nests under it.
    pub async fn in_scope_async<F: Future>(&self, step: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            step.instrument(self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        step.await
    }

    /// Records that attempt `attempt` failed and that the call is repeated after `wait`: a
    /// WARN event inside the span.
    pub fn retrying(&self, attempt: u32, failure: Failure, wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::warn!(
            target: "cartwire",
            parent: &self.span,
            attempt,
            failure = %failure,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "call failed, retrying"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, failure, wait);
    }

    /// The time since the call started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Closes the span with the call's result: the last HTTP status if an answer came, the
    /// number of repeats, and whether the call succeeded.
    pub fn finish(self, status: Option<u16>, retries: u32, ok: bool) {
        #[cfg(feature = "tracing")]
        {
            if let Some(status) = status {
                self.span.record("status", status);
            }
            let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.span.record("duration_ms", elapsed);
            self.span.record("retries", retries);
            self.span.record("outcome", if ok { "ok" } else { "error" });
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (status, retries, ok);
    }
}
