//! The Cartfunnel REST API (`https://api.cartfunnel.net/v1`) for Rust: typed customers,
//! requests and responses without I/O, an optional blocking client, and verified receiving of
//! Cartfunnel's HMAC-SHA256-signed order and abandoned-cart webhooks.
//!
//! Receiving a webhook, `body` and `signature` being the raw body and the
//! `X-Cartfunnel-Hmac-SHA256` header your server received:
//!
//! ```
//! use cartfunnel_client_types::{CartfunnelWebhookSecret, Delivery, Receiver};
//! # let body = cartfunnel_client_types::samples::WEBHOOK_ORDER.as_bytes();
//! # let signature = &cartfunnel_client_types::verify::sign(body, &CartfunnelWebhookSecret::new("whsec_from_the_dashboard")?);
//! let key = CartfunnelWebhookSecret::new("whsec_from_the_dashboard")?;
//! let delivery = Delivery::post("/hooks/cartfunnel", body).header("X-Cartfunnel-Hmac-SHA256", signature);
//! let webhook = key.receive(&delivery)?; // the signature first, then the JSON
//! assert_eq!(webhook.json()["order"]["total_price"], "49.95");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A customer's unknown attributes are kept as their exact JSON text
//! ([`Customer::extra`], an [`Extra<RawJson>`](Extra) like every cartwire crate's unknown
//! JSON fields); they used to be `serde_json::Value`s, which rounded long numbers (see
//! [`customer`]).
//!
//! | module | what |
//! |---|---|
//! | [`customer`] | [`Customer`] as read, [`NewCustomer`] and [`CustomerUpdate`] as written, [`CustomerPage`] |
//! | [`tag_list`] | [`TagList`]: a list here, a comma-separated string on the wire |
//! | [`request`] | [`Credentials`], [`Api`], the [`Endpoint`]s (list, get, create, update) and the [`ApiRequest`] they build |
//! | [`raw`] | the undocumented resources (addresses, subscriptions, products, orders) as raw JSON |
//! | [`decode`] | reading bodies and whole responses into typed results |
//! | [`encode`] | writing the vendor's wire form and request bodies |
//! | [`verify`] | webhooks: [`CartfunnelWebhookSecret`], [`Webhook`], signing; **the HMAC is computed there** |
//! | [`event`](mod@event) | webhooks in the shared event vocabulary ([`ToEvent`]): the topic mapping, and the fields read from the merchant's template |
//! | [`error`] | [`ApiError`] (webhooks answer the shared [`Error`]) |
//! | `client` (feature `client`) | a blocking client on ureq, with page iteration |
//! | `reqwest` (feature `reqwest`) | the same client as `async fn`s on reqwest, pages as a `Stream` |
//! | `call` (feature `client` or `reqwest`) | what both clients share: `ClientError`, no redirects, limits, the opt-in [`RetryPolicy`] |
//! | `axum08` (feature `axum08`) | axum 0.8 extractors that verify and parse webhooks, the secret from the router's state |
//! | [`samples`] | the vendor-style fixtures, for your tests |
//!
//! Features: `http` (requests as `http::Request`, responses from `http::Response`,
//! `Delivery::from(&http::Request)` for webhooks, `SignedWebhook::to_http`), `axum08`
//! (webhook extractors, implies `http`), `tracing` (one event per received webhook, one span
//! per client call), `client` (implies `http`; ureq with rustls), `reqwest` (implies `http`;
//! reqwest with rustls). The default build has none of them and does no I/O. For tests, the
//! `cartwire-testkit` crate has a local emulator of the API
//! (`cartwire_testkit::cartfunnel::Emulator`).
//!
//! Everything this crate's API names is re-exported here ([`Secret`], [`Error`],
//! [`ErrorKind`], [`Delivery`], [`Receiver`], …): depend on this crate alone.
//!
//! ## Reading an API answer
//!
//! ```
//! use cartfunnel_client_types::request::{Api, Credentials, Endpoint, UpdateCustomer};
//! use cartfunnel_client_types::{ApiError, CustomerUpdate, Secret};
//!
//! fn rename(api: &Api, id: u64, status: u16, body: &[u8]) -> Result<String, ApiError> {
//!     let update = UpdateCustomer::new(id, CustomerUpdate::new().last_name("Jules"));
//!     let _request = api.request(&update); // method, URL, headers, body: send it your way
//!     let customer = update.parse_response(status, body)?;
//!     Ok(customer.last_name.unwrap_or_default())
//! }
//!
//! let api = Api::new(Credentials::new("myshop", Secret::new("cf_0123456789"))?);
//! // The vendor's own example of a failed save: HTTP 200, `persisted` "true", and `errors`.
//! let failed = br#"{"id": 32199, "email": "anna@example.com", "last_name": "Jules",
//!     "tax_exempt": "false", "last_order_id": "null", "persisted": "true",
//!     "errors": ["An error has occurred"]}"#;
//! match rename(&api, 32199, 200, failed) {
//!     Err(ApiError::NotSaved { messages, .. }) => assert_eq!(messages, ["An error has occurred"]),
//!     other => panic!("{other:?}"),
//! }
//! assert!(matches!(rename(&api, 32199, 403, b""), Err(ApiError::Forbidden { .. })));
//! # Ok::<(), cartfunnel_client_types::Error>(())
//! ```
//!
//! ## Receiving a webhook
//!
//! Build the [`CartfunnelWebhookSecret`] once, at start-up (an empty secret is refused
//! there), and hand it each request as a [`Delivery`]: method, target, headers, raw body.
//! [`receive`](Receiver::receive) checks the `X-Cartfunnel-Hmac-SHA256` signature over the
//! raw body **before** parsing the JSON, so a forged body is refused as forged (401) whatever
//! it holds. Errors are the shared [`Error`]: [`kind`](Error::kind) gives the status,
//! [`field`](Error::field) names the header or field at fault. With the `http` feature,
//! `Delivery::from(&request)` reads an `http::Request`; with `axum08`,
//! `axum08::VerifiedWebhook` does all of it in a handler's signature.
//!
//! ```
//! use cartfunnel_client_types::verify::{SignedWebhook, SIGNATURE_HEADER};
//! use cartfunnel_client_types::{CartfunnelWebhookSecret, Delivery, ErrorKind, Receiver};
//!
//! /// A handler: what the server read in, the status to answer and the order total out.
//! fn on_order(key: &CartfunnelWebhookSecret, delivery: &Delivery<'_>) -> (u16, String) {
//!     match key.receive(delivery) {
//!         Ok(webhook) => {
//!             // Cartfunnel retries: act once per `webhook.dedup_key()`.
//!             let total = webhook.json()["order"]["total_price"].as_str().unwrap_or("0");
//!             (200, total.to_owned())
//!         }
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => (401, err.to_string()),
//!         Err(err) => (400, err.to_string()),
//!     }
//! }
//!
//! let key = CartfunnelWebhookSecret::new("whsec_from_the_dashboard")?;
//! // What Cartfunnel sends (in your tests: a correctly signed sample).
//! let sent = SignedWebhook::new(cartfunnel_client_types::samples::WEBHOOK_ORDER, &key);
//! assert_eq!(on_order(&key, &sent.delivery("/hooks/cartfunnel")), (200, "49.95".to_owned()));
//!
//! let unsigned = Delivery::post("/hooks/cartfunnel", &sent.body);
//! let (status, reason) = on_order(&key, &unsigned);
//! assert_eq!(status, 401);
//! assert_eq!(reason, format!("verification failed: `{SIGNATURE_HEADER}` is missing"));
//! # Ok::<(), cartfunnel_client_types::EmptyKey>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod customer;
pub mod decode;
pub mod encode;
pub mod error;
pub mod event;
pub mod raw;
pub mod request;
pub mod samples;
pub mod tag_list;
pub mod verify;

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
pub use call::ClientError;

/// Re-exported: the retry policy of both clients, the same for every cartwire client.
pub use cartwire_core::retry::RetryPolicy;
pub use customer::{Customer, CustomerPage, CustomerUpdate, NewCustomer, PAGE_SIZE};
pub use error::ApiError;
pub use request::{
    Api, ApiRequest, BaseUrl, CreateCustomer, Credentials, Endpoint, GetCustomer, ListCustomers,
    Method, UpdateCustomer,
};
pub use tag_list::TagList;
pub use verify::{CartfunnelWebhookSecret, Webhook};

/// Re-exported from `cartwire-core`, so that this crate is the only dependency a user needs:
/// the secret type of [`Credentials`] and of [`CartfunnelWebhookSecret`], the shared error,
/// the receiving model, the decimal of [`Customer::total_spent`], and the map and value type
/// of [`Customer::extra`].
pub use cartwire_core::{
    Credential, Decimal, Dedup, DedupKey, Delivery, EmptyKey, Error, ErrorKind, Event, EventKind,
    Extra, Receiver, Secret, ToEvent, VerifyError, json::RawJson,
};

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
