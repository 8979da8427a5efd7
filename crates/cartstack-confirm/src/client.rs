//! A blocking call to CartStack with ureq (`client` feature).
//!
//! **This client blocks the calling thread** for up to its timeout (30 seconds unless set),
//! times the attempts of its retry policy. In an async service use the async client
//! ([`reqwest::Client`](crate::reqwest::Client), feature `reqwest`), or move the call off the
//! runtime's workers:
//!
//! ```no_run
//! # async fn handler() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! use cartstack_confirm::client::Client;
//! use cartstack_confirm::ConfirmRequest;
//!
//! let client = Client::new();
//! let request = ConfirmRequest::new("9f2c4e1ab7d35c08", "KQ7ZP2", "ann+shop@example.com")?;
//! let answer = tokio::task::spawn_blocking(move || client.confirm(&request)).await??;
//! println!("{}", answer.outcome());
//! # Ok(()) }
//! ```
//!
//! ```no_run
//! use cartstack_confirm::client::Client;
//! use cartstack_confirm::{ConfirmRequest, Decimal, Outcome};
//!
//! let client = Client::new();
//! let request = ConfirmRequest::new("9f2c4e1ab7d35c08", "KQ7ZP2", "ann+shop@example.com")?
//!     .with_total(Decimal::new(1990, 2))?;
//! match client.confirm(&request)?.outcome() {
//!     Outcome::Success => println!("recorded"),
//!     other => println!("not recorded: {other}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rules (answers, redirects, limits, scrubbing, retries and what a repeated confirmation
//! means) are the async client's too: see [`call`](crate::call).

use std::time::Duration;

use cartwire_core::call::ureq::failure;
use cartwire_core::retry::RetryPolicy;
use url::Url;

use crate::call::{Attempted, Call, Step};
pub use crate::call::{CallError, DEFAULT_TIMEOUT, MAX_ANSWER_BYTES};
use crate::request::{ConfirmRequest, DEFAULT_ENDPOINT};
use crate::response::ConfirmResponse;

/// A blocking CartStack client: one ureq agent (connection pool), an endpoint, a timeout, a
/// retry policy (none unless set).
///
/// [`confirm`](Client::confirm) blocks the calling thread; from async code, call it through
/// `tokio::task::spawn_blocking` or use [`reqwest::Client`](crate::reqwest::Client) (see the
/// [module docs](self)).
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
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
            agent: agent(DEFAULT_TIMEOUT),
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
        self.agent = agent(timeout);
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
    /// [`CallError::Transport`] without an answer, [`CallError::Response`] when the body is
    /// not CartStack's, [`CallError::ProbablyConfirmed`] for a 102 after a retry (see
    /// [`call`](crate::call#retries)).
    ///
    /// [`Outcome`]: crate::Outcome
    pub fn confirm(&self, request: &ConfirmRequest) -> Result<ConfirmResponse, CallError> {
        let mut call = Call::new(self.endpoint.as_ref(), request, self.retry);
        loop {
            let attempted = call.span().in_scope(|| self.attempt(&call));
            match call.next(attempted) {
                Step::Retry(wait) => std::thread::sleep(wait),
                Step::Done(result) => {
                    call.finish(&result);
                    return result;
                }
            }
        }
    }

    fn attempt(&self, call: &Call<'_>) -> Attempted {
        let mut response = match self.agent.get(call.url()).call() {
            Ok(response) => response,
            Err(err) => return call.transport(failure(&err), &err),
        };
        let status = response.status().as_u16();
        match response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
        {
            Ok(body) => call.answer(status, &body),
            Err(ureq::Error::BodyExceedsLimit(_)) => call.too_large(),
            Err(err) => call.transport(failure(&err), &err),
        }
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    cartwire_core::call::ureq::agent(
        timeout,
        concat!("cartstack-confirm/", env!("CARGO_PKG_VERSION")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_defaults_to_cartstack() {
        assert_eq!(Client::new().endpoint(), DEFAULT_ENDPOINT);
        let local = Url::parse("http://127.0.0.1:9/ss/v1/").unwrap();
        assert_eq!(
            Client::default().with_endpoint(local).endpoint(),
            "http://127.0.0.1:9/ss/v1/"
        );
        assert_eq!(Client::new().retry(), RetryPolicy::none());
    }
}
