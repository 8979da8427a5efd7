//! CartStack server-side purchase confirmation: tell CartStack that a customer bought, so it
//! stops sending them abandoned-cart emails.
//!
//! * [`ConfirmRequest`]: the call, validated when built (blank key or site id, malformed
//!   email, negative or over-precise total), written as a URL with every value
//!   percent-encoded ([`ConfirmRequest::to_url`]) and read back from one
//!   ([`ConfirmRequest::from_url`]).
//! * [`ConfirmResponse`]: CartStack's answer `{"resp": …, "err_txt": …}`, and the typed
//!   [`Outcome`] it means: the four 102 failures are told apart by their text. A body that is
//!   not that JSON is an [`UnexpectedBody`] that keeps the body. Other members are kept as
//!   their exact JSON text ([`ConfirmResponse::extra`], an [`Extra<RawJson>`](Extra) like
//!   every cartwire crate's unknown JSON fields; they used to be `serde_json::Value`s).
//! * `client` feature: `client::Client`, a blocking call on ureq (https with rustls).
//! * `reqwest` feature: `reqwest::Client`, the same client as `async fn`s on reqwest (https
//!   with rustls). Both share the rules in `call`: timeouts, no redirects, secrets scrubbed,
//!   and the opt-in [`RetryPolicy`], with what a repeated confirmation means at CartStack.
//! * `tracing` feature: one span per client call (endpoint without its query, status,
//!   duration, retries).
//!
//! To test code that calls CartStack, the `cartwire-testkit` crate has a local CartStack on
//! 127.0.0.1 that answers every code (`cartwire_testkit::cartstack::Emulator`).
//!
//! ```
//! use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Decimal, Outcome};
//!
//! /// Called by the shop once an order is paid. Returns the URL to GET; the answer goes to
//! /// `record_answer`.
//! fn confirmation_url(api_key: &str, email: &str, total: Decimal) -> Result<String, cartstack_confirm::RequestError> {
//!     let request = ConfirmRequest::new(api_key, "KQ7ZP2", email)?.with_total(total)?;
//!     Ok(request.to_url())
//! }
//!
//! /// What to do with CartStack's answer: `Ok(true)` if the purchase was recorded.
//! fn record_answer(body: &[u8]) -> Result<bool, Box<dyn std::error::Error>> {
//!     let answer = ConfirmResponse::from_slice(body)?;
//!     Ok(match answer.outcome() {
//!         Outcome::Success => true,
//!         // The shopper never reached the cart page: nothing to confirm, not an error.
//!         Outcome::NoCart | Outcome::CartNotFound { .. } => false,
//!         Outcome::KeyMismatch => return Err("the CartStack API key is wrong".into()),
//!         other => {
//!             eprintln!("CartStack answered {} ({other}): {:?}", answer.resp, answer.err_txt);
//!             false
//!         }
//!     })
//! }
//!
//! let url = confirmation_url("9f2c4e1ab7d35c08", "ann+shop@example.com", Decimal::new(199, 1))?;
//! assert_eq!(
//!     url,
//!     "https://api.cartstack.com/ss/v1/?key=9f2c4e1ab7d35c08&siteid=KQ7ZP2\
//!      &email=ann%2Bshop%40example.com&total=19.90"
//! );
//! let body = br#"{"resp":"102","err_txt":"Cart not found for email address ann+shop@example.com"}"#;
//! assert_eq!(record_answer(body)?, false);
//! assert!(record_answer(b"<html>502 Bad Gateway</html>").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The decisions taken where CartStack's page is silent (email rules, total rounding, text
//! matching, leniencies) are listed in [`request`], [`response`], [`encode`] and [`decode`].
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod decode;
pub mod encode;
pub mod error;
pub mod request;
pub mod response;
pub mod samples;

#[cfg(any(feature = "client", feature = "reqwest"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "client", feature = "reqwest"))))]
pub mod call;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest;
#[cfg(any(feature = "client", feature = "reqwest"))]
#[doc(inline)]
pub use call::CallError;

#[doc(inline)]
pub use error::{EmailProblem, RequestError, TotalProblem, UnexpectedBody};
#[doc(inline)]
pub use request::{ConfirmRequest, DEFAULT_ENDPOINT, check_email};
#[doc(inline)]
pub use response::{ConfirmResponse, Outcome, Resp};

/// Re-exported: the retry policy of both clients, the same for every cartwire client.
pub use cartwire_core::retry::RetryPolicy;
/// Re-exported so callers name the same `Decimal` and `Secret` as the request does, and the
/// map and value type of [`ConfirmResponse::extra`].
pub use cartwire_core::{Decimal, Extra, Secret, json::RawJson};
/// Re-exported: endpoints are [`url::Url`]s ([`ConfirmRequest::to_url_at`]).
pub use url::Url;

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
