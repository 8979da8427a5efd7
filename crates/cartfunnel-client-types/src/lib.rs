//! # cartfunnel-client-types
//!
//! The Cartfunnel REST API (`https://api.cartfunnel.net/v1`) for Rust: typed customers,
//! requests and responses without I/O, an optional blocking client, and verification of the
//! HMAC-SHA256 signature on Cartfunnel's order and abandoned-cart webhooks.
//!
//! | module | what |
//! |---|---|
//! | [`customer`] | [`Customer`] as read, [`NewCustomer`] and [`CustomerUpdate`] as written, [`CustomerPage`] |
//! | [`tag_list`] | [`TagList`]: a list here, a comma-separated string on the wire |
//! | [`request`] | [`Credentials`], [`Api`], the [`Endpoint`]s (list, get, create, update) and the [`ApiRequest`] they build |
//! | [`raw`] | the undocumented resources (addresses, subscriptions, products, orders) as raw JSON |
//! | [`decode`] | reading bodies and whole responses into typed results |
//! | [`encode`] | writing the vendor's wire form and request bodies |
//! | [`verify`] | webhook signatures: **the HMAC is computed there** |
//! | [`error`] | [`ApiError`], [`WebhookError`] |
//! | `client` (feature `client`) | a blocking client on ureq, with page iteration |
//! | `testing` (feature `emulator`) | a local emulator of the API, for tests |
//! | `axum08` (feature `axum08`) | axum 0.8 extractors that verify and parse webhooks, the secret from the router's state |
//! | [`samples`] | the vendor-style fixtures, for your tests |
//!
//! Features: `http` (requests as `http::Request`, responses from `http::Response`, webhooks
//! from `http::Request`: `Webhook::from_http`, `SignedWebhook::to_http`), `axum08` (webhook
//! extractors, implies `http`), `client` (implies `http`; ureq with rustls), `emulator`
//! (test support). The default build has none of them and does no I/O.
//!
//! ## Reading an API answer
//!
//! ```
//! use cartfunnel_client_types::request::{Api, Credentials, Endpoint, UpdateCustomer};
//! use cartfunnel_client_types::{ApiError, CustomerUpdate};
//! use cartwire_core::Secret;
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
//! # Ok::<(), cartwire_core::Error>(())
//! ```
//!
//! ## Receiving a webhook
//!
//! ```
//! use cartfunnel_client_types::verify::{SignedWebhook, Webhook, SIGNATURE_HEADER};
//! use cartfunnel_client_types::WebhookError;
//! use cartwire_core::Secret;
//!
//! /// A handler: raw body and the signature header in, order total out.
//! fn on_order(body: &[u8], signature: Option<&str>, secret: &Secret) -> Result<String, WebhookError> {
//!     let webhook = Webhook::verify_and_parse(body, signature.unwrap_or(""), secret)?;
//!     Ok(webhook.json()["order"]["total_price"].as_str().unwrap_or("0").to_owned())
//! }
//!
//! let secret = Secret::new("whsec_from_the_dashboard");
//! let sent = SignedWebhook::new(cartfunnel_client_types::samples::WEBHOOK_ORDER, &secret);
//! assert_eq!(sent.header().0, SIGNATURE_HEADER);
//! assert_eq!(on_order(&sent.body, Some(&sent.signature), &secret)?, "49.95");
//! assert!(on_order(&sent.body, None, &secret).is_err());
//! # Ok::<(), WebhookError>(())
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
pub mod raw;
pub mod request;
pub mod samples;
pub mod tag_list;
pub mod verify;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;

#[cfg(feature = "emulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "emulator")))]
pub mod testing;

pub use customer::{Customer, CustomerPage, CustomerUpdate, NewCustomer, PAGE_SIZE};
pub use error::{ApiError, WebhookError};
pub use request::{
    Api, ApiRequest, BaseUrl, CreateCustomer, Credentials, Endpoint, GetCustomer, ListCustomers,
    Method, UpdateCustomer,
};
pub use tag_list::TagList;
pub use verify::Webhook;

/// Re-exported: the secret type of [`Credentials`] and of webhook verification.
pub use cartwire_core::Secret;
