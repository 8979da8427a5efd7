//! An async call to CartStack with [reqwest](https://docs.rs/reqwest) (`reqwest` feature;
//! https with rustls and the webpki roots, no native TLS or OpenSSL).
//!
//! The same client as the blocking [`client::Client`](crate::client::Client), method for
//! method, as `async fn`s; the two share every rule (see [`call`](crate::call)): what counts as
//! an answer, no redirects, the timeout and size limit, secrets scrubbed from errors, the
//! opt-in retries and what a repeated confirmation means.
//!
//! ```no_run
//! use cartstack_confirm::reqwest::Client;
//! use cartstack_confirm::{ConfirmRequest, Decimal, Outcome, RetryPolicy};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new().with_retry(RetryPolicy::attempts(3));
//! let request = ConfirmRequest::new("9f2c4e1ab7d35c08", "KQ7ZP2", "ann+shop@example.com")?
//!     .with_total(Decimal::new(1990, 2))?;
//! match client.confirm(&request).await {
//!     Ok(answer) if answer.outcome() == Outcome::Success => println!("recorded"),
//!     Ok(answer) => println!("not recorded: {}", answer.outcome()),
//!     // A timed-out attempt most likely got through before the repeat found no cart.
//!     Err(cartstack_confirm::CallError::ProbablyConfirmed { attempts, .. }) => {
//!         println!("probably recorded ({attempts} attempts)")
//!     }
//!     Err(err) => return Err(err.into()),
//! }
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use cartwire_core::call::reqwest::{failure, read_limited};
use cartwire_core::retry::RetryPolicy;
use url::Url;

use crate::call::{Attempted, Call, Step};
pub use crate::call::{CallError, DEFAULT_TIMEOUT, MAX_ANSWER_BYTES};
use crate::request::{ConfirmRequest, DEFAULT_ENDPOINT};
use crate::response::ConfirmResponse;

/// An async CartStack client: one reqwest client (connection pool), an endpoint, a timeout,
/// a retry policy (none unless set). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: Result<::reqwest::Client, Arc<str>>,
    endpoint: Option<Url>,
    timeout: Duration,
    retry: RetryPolicy,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client for CartStack's endpoint ([`DEFAULT_ENDPOINT`]) with [`DEFAULT_TIMEOUT`],
    /// without retries.
    pub fn new() -> Self {
        Self {
            http: http(DEFAULT_TIMEOUT),
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::none(),
        }
    }

    /// Calls another endpoint instead (an emulator, a proxy).
    pub fn with_endpoint(mut self, endpoint: Url) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Bounds each attempt (connect, send, receive) by this duration.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.http = http(timeout);
        self.timeout = timeout;
        self
    }

    /// Repeats a confirmation that got no answer, under `policy`. Read
    /// [what a repeat means](crate::call#retries) at CartStack first.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The endpoint called.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_ref().map_or(DEFAULT_ENDPOINT, Url::as_str)
    }

    /// The timeout of each attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// Sends the confirmation and reads CartStack's answer. A non-success [`Outcome`] is
    /// still `Ok`: CartStack did answer.
    ///
    /// # Errors
    ///
    /// [`CallError::Transport`] without an answer (also if the TLS backend could not be set
    /// up when the client was built), [`CallError::Response`] when the body is not
    /// CartStack's, [`CallError::ProbablyConfirmed`] for a 102 after a retry (see
    /// [`call`](crate::call#retries)).
    ///
    /// [`Outcome`]: crate::Outcome
    pub async fn confirm(&self, request: &ConfirmRequest) -> Result<ConfirmResponse, CallError> {
        let mut call = Call::new(self.endpoint.as_ref(), request, self.retry);
        loop {
            let attempted = self.attempt(&call).await;
            match call.next(attempted) {
                Step::Retry(wait) => tokio::time::sleep(wait).await,
                Step::Done(result) => {
                    call.finish(&result);
                    return result;
                }
            }
        }
    }

    async fn attempt(&self, call: &Call<'_>) -> Attempted {
        let http = match &self.http {
            Ok(http) => http,
            Err(message) => {
                let err: Box<dyn std::error::Error + Send + Sync> = message.as_ref().into();
                return call.transport(None, err.as_ref());
            }
        };
        let sent = call
            .span()
            .in_scope_async(http.get(call.url()).send())
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => return call.transport(failure(&err), &err.without_url()),
        };
        let status = response.status().as_u16();
        let limit = usize::try_from(MAX_ANSWER_BYTES).unwrap_or(usize::MAX);
        match call
            .span()
            .in_scope_async(read_limited(&mut response, limit))
            .await
        {
            Ok(Some(body)) => call.answer(status, &body),
            Ok(None) => call.too_large(),
            Err(err) => call.transport(failure(&err), &err.without_url()),
        }
    }
}

fn http(timeout: Duration) -> Result<::reqwest::Client, Arc<str>> {
    cartwire_core::call::reqwest::client(
        timeout,
        concat!("cartstack-confirm/", env!("CARGO_PKG_VERSION")),
    )
    .map_err(|err| Arc::from(format!("cannot set up the HTTP client: {err}")))
}
