//! Typed, verified decoding and encoding of five e-commerce cart notification and API
//! protocols, re-exported from their crates behind one feature each.
//!
//! | feature      | module                        | crate                       | protocol                                    |
//! |--------------|-------------------------------|-----------------------------|---------------------------------------------|
//! | `cartfreak`  | [`cartfreak`]                 | `cartfreak-notify`          | CartFreak outgoing notifications            |
//! | `cartloom`   | [`cartloom`]                  | `cartloom-order`            | Cartloom notify-server order POST           |
//! | `justclick`  | [`justclick`]                 | `justclick-invoice`         | JustClick invoice notifications             |
//! | `cartfunnel` | [`cartfunnel`]                | `cartfunnel-client-types`   | Cartfunnel REST API and webhooks            |
//! | `cartstack`  | [`cartstack`]                 | `cartstack-confirm`         | CartStack server-side purchase confirmation |
//!
//! All five are on by default (feature `full`). The shared machinery is always there as
//! [`core`]: the receiving model ([`Delivery`], [`Receiver`], [`Error`]), the PHP-style form
//! codec, lenient scalars, [`Secret`].
//!
//! # Receiving
//!
//! Every receiving protocol works the same way: build its key once at start-up (an empty key
//! is refused there), hand each request to [`Receiver::receive`] as a [`Delivery`]; the hash,
//! signature or token is checked first, then the notification is decoded.
//!
//! ```
//! # #[cfg(feature = "justclick")] {
//! use cartwire::{Delivery, Receiver};
//! use cartwire::justclick::{JustClickKey, samples};
//!
//! let key = JustClickKey::new(samples::SECRET)?;
//! let notification = key.receive(&Delivery::post("/hooks/justclick", samples::PAID.as_bytes()))?;
//! println!("{} for invoice {}, dedup key {}", notification.kind(), notification.id(), notification.dedup_key());
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The key types: [`justclick::JustClickKey`], [`cartfreak::CartFreakKey`],
//! [`cartloom::CartloomToken`], [`cartfunnel::CartfunnelWebhookSecret`].
//!
//! Every notification also maps to one [`Event`] ([`ToEvent`]): the shared vocabulary of
//! [`event`] (order paid, refunded, subscription ended, …), whichever cart sent it.
//!
//! # Features beyond the protocols
//!
//! Each is forwarded to every enabled protocol crate it applies to:
//!
//! * `http`: `Delivery::from(&http::Request)`, and each receiving crate's `http::delivery`
//!   (the request the vendor's server makes, for tests);
//! * `axum08`: the axum 0.8 extractors `core::axum08::Verified<Key>` and `Unverified<Key>`
//!   (implies `http`);
//! * `tracing`: one `tracing` event per received delivery, and one span per API client call
//!   (method, endpoint without secrets, status, duration, retries);
//! * `client`: the blocking API clients of Cartfunnel and CartStack (ureq);
//! * `reqwest`: the async API clients of Cartfunnel and CartStack (reqwest with rustls), the
//!   same methods as `async fn`s, Cartfunnel's customers as a `Stream`.
//!
//! Both kinds of client take the same opt-in [`RetryPolicy`](core::retry::RetryPolicy)
//! (`with_retry`). A CartStack confirmation against `cartwire emulate cartstack`, with the
//! features `cartstack` and `reqwest` and tokio:
//!
//! ```no_run
//! # #[cfg(all(feature = "cartstack", feature = "reqwest"))]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cartwire::cartstack::{ConfirmRequest, RetryPolicy, Url, reqwest::Client};
//!
//! let client = Client::new()
//!     .with_endpoint(Url::parse("http://127.0.0.1:8080/ss/v1/")?)
//!     .with_retry(RetryPolicy::attempts(3));
//! let request = ConfirmRequest::new("cs-emulator-key-5b1d", "EMU001", "ann+shop@example.com")?;
//! println!("{}", client.confirm(&request).await?.outcome());
//! # Ok(()) }
//! ```
//!
//! `examples/confirm_async.rs` and `examples/customers_async.rs` in the repository are whole
//! programs.
//!
//! To test code that calls those APIs, add `cartwire-testkit` to your dev-dependencies: local
//! emulators of both, with recorded requests and scripted failures.
//!
//! Depend on a single protocol crate instead if you need only one protocol: it re-exports
//! everything its API names, and the types are the same.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(inline)]
pub use cartwire_core as core;
pub use cartwire_core::{
    Dedup, DedupKey, Delivery, EmptyKey, Error, ErrorKind, Event, EventKind, Receiver, Secret,
    ToEvent, event,
};

/// CartFreak outgoing notifications: the `cartfreak-notify` crate.
#[cfg(feature = "cartfreak")]
#[cfg_attr(docsrs, doc(cfg(feature = "cartfreak")))]
pub mod cartfreak {
    #[doc(inline)]
    pub use cartfreak_notify::*;
}

/// Cartloom notify-server order POSTs: the `cartloom-order` crate.
#[cfg(feature = "cartloom")]
#[cfg_attr(docsrs, doc(cfg(feature = "cartloom")))]
pub mod cartloom {
    #[doc(inline)]
    pub use cartloom_order::*;
}

/// JustClick invoice notifications: the `justclick-invoice` crate.
#[cfg(feature = "justclick")]
#[cfg_attr(docsrs, doc(cfg(feature = "justclick")))]
pub mod justclick {
    #[doc(inline)]
    pub use justclick_invoice::*;
}

/// The Cartfunnel REST API and webhooks: the `cartfunnel-client-types` crate.
#[cfg(feature = "cartfunnel")]
#[cfg_attr(docsrs, doc(cfg(feature = "cartfunnel")))]
pub mod cartfunnel {
    #[doc(inline)]
    pub use cartfunnel_client_types::*;
}

/// CartStack server-side purchase confirmation: the `cartstack-confirm` crate.
#[cfg(feature = "cartstack")]
#[cfg_attr(docsrs, doc(cfg(feature = "cartstack")))]
pub mod cartstack {
    #[doc(inline)]
    pub use cartstack_confirm::*;
}
