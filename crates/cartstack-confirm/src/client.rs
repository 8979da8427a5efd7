//! A blocking call to CartStack with ureq (`client` feature).
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
//! # Decisions
//!
//! * Any HTTP status whose body is CartStack's JSON is an answer (`Ok`); a body that is not is
//!   [`CallError::Response`], with the status and the body.
//! * Redirects are not followed: the query carries the API key, and a redirect to another
//!   host would hand it over. A 3xx is a [`CallError::Response`].
//! * The whole call is bounded by a timeout (30 seconds unless set), and the answer by
//!   64 KiB.
//! * Error messages never show the URL's query (key and email): the transport's message is
//!   scrubbed of both before it is kept.

use std::time::Duration;

use url::Url;

use crate::error::UnexpectedBody;
use crate::request::{ConfirmRequest, DEFAULT_ENDPOINT};
use crate::response::ConfirmResponse;

/// The largest answer read, in bytes; CartStack's are under 200.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// The default timeout for a whole call.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A confirmation that got no answer from CartStack.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// CartStack could not be reached, or the connection failed (DNS, TLS, timeout, reset).
    /// The message is the transport's, with the key and email removed.
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
}

/// A blocking CartStack client: one ureq agent (connection pool), an endpoint, a timeout.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    endpoint: Option<Url>,
    timeout: Duration,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client for CartStack's endpoint ([`DEFAULT_ENDPOINT`]) with [`DEFAULT_TIMEOUT`].
    pub fn new() -> Self {
        Self {
            agent: agent(DEFAULT_TIMEOUT),
            endpoint: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Calls another endpoint instead (an emulator, a proxy).
    pub fn with_endpoint(mut self, endpoint: Url) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Bounds each whole call (connect, send, receive) by this duration.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.agent = agent(timeout);
        self.timeout = timeout;
        self
    }

    /// The endpoint called.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_ref().map_or(DEFAULT_ENDPOINT, Url::as_str)
    }

    /// The timeout of a whole call.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends the confirmation and reads CartStack's answer. A non-success [`Outcome`] is
    /// still `Ok`: CartStack did answer.
    ///
    /// [`Outcome`]: crate::Outcome
    pub fn confirm(&self, request: &ConfirmRequest) -> Result<ConfirmResponse, CallError> {
        let url = match &self.endpoint {
            Some(endpoint) => request.to_url_at(endpoint).to_string(),
            None => request.to_url(),
        };
        let scrub = |err: ureq::Error| CallError::Transport {
            message: scrub(&err.to_string(), request),
        };
        let mut response = self.agent.get(&url).call().map_err(scrub)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(scrub)?;
        ConfirmResponse::from_slice(&body).map_err(|error| CallError::Response { status, error })
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .user_agent(concat!("cartstack-confirm/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Removes the query, the key and the email (raw and encoded) from a transport message.
fn scrub(message: &str, request: &ConfirmRequest) -> String {
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
    fn endpoint_defaults_to_cartstack() {
        assert_eq!(Client::new().endpoint(), DEFAULT_ENDPOINT);
        let local = Url::parse("http://127.0.0.1:9/ss/v1/").unwrap();
        assert_eq!(
            Client::default().with_endpoint(local).endpoint(),
            "http://127.0.0.1:9/ss/v1/"
        );
    }
}
