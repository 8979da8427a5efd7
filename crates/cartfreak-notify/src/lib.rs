//! CartFreak's outgoing notifications: receive both flavours with the product's API key,
//! typed; encode exactly what the cart sends, to test a receiver without CartFreak.
//!
//! ```
//! use cartfreak_notify::{CartFreakKey, Delivery, Receiver};
//!
//! let body = b"command=REMOVE&billing_id=224&email=user%40domain.com&hash=4f5903323592304bcb55eb4783bcf19d158145a1";
//! let key = CartFreakKey::new("sk_cartfreak_demo")?;
//! let received = key.receive(&Delivery::post("/hooks/cartfreak", body))?;
//! assert_eq!(received.notification.billing_id(), Some("224"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! CartFreak calls a product's *API URL* when a sale happens (`CREATE`) or a recurring
//! subscription ends (`REMOVE`); its own receiver package also knows `RENEW`, `COMPLETE` and
//! `DECLINE`. Two flavours exist:
//!
//! * the documented one: an HTTP **GET** with the fields in the query string,
//!   `script.php?command=REMOVE&billing_id=224&email=user%40domain.com`. It carries **no
//!   hash**: [`CartFreakKey::receive`](Receiver::receive) refuses it (`hash` is missing), and
//!   a receiver that accepts it calls
//!   [`CartFreakKey::receive_unverified`](Receiver::receive_unverified) and protects its API
//!   URL with a secret token of its own (see [`verify`]);
//! * the receiver package's: an HTTP **POST** form with a `hash` field, the SHA-1 of the API
//!   key and the command, answered with the plain-text body `OK` or `ERROR <message>`
//!   ([`Reply`]).
//!
//! A [`Delivery`] is the request as it arrived (method, target, headers, body); the
//! [`CartFreakKey`] is its [`Receiver`]: it checks the `hash` on the raw wire values **first**,
//! and only then decodes, into a [`Received`] (the [`Notification`], the hash, the API URL of
//! a full-URL target). Every error is an [`Error`] whose [`kind`](Error::kind) tells malformed
//! input (400) from a failed hash check (401), and whose [`field`](Error::field) names the
//! field at fault.
//!
//! ```
//! use cartfreak_notify::{CartFreakKey, Delivery, ErrorKind, Notification, Receiver, Reply};
//!
//! /// The POST handler of the receiver: the request in, a status and plain-text reply out.
//! fn cartfreak_hook(key: &CartFreakKey, delivery: &Delivery<'_>) -> (u16, String) {
//!     let received = match key.receive(delivery) {
//!         Ok(received) => received,
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => {
//!             return (401, CartFreakKey::refusal_body(&err)); // "ERROR verification failed: …"
//!         }
//!         Err(err) => return (400, CartFreakKey::refusal_body(&err)),
//!     };
//!     // The cart may send a notification twice: skip the ones already handled.
//!     let _seen = received.dedup_key();
//!     match &received.notification {
//!         Notification::Create(sale) => {
//!             if let Err(mismatch) = sale.check_total() {
//!                 eprintln!("suspicious order {}: {mismatch}", sale.order_id);
//!             }
//!             let ship_to = sale.effective_shipping(); // billing address when ship_* are blank
//!             println!(
//!                 "order {} for {} {}: ship to {}, {}",
//!                 sale.order_id, sale.customer.first_name, sale.customer.last_name,
//!                 ship_to.address, ship_to.city,
//!             );
//!         }
//!         Notification::Remove(subscription) => {
//!             println!("cancel subscription {:?}", subscription.billing_id);
//!         }
//!         other => println!("{} not handled yet", other.command()),
//!     }
//!     (200, Reply::Ok.to_string())
//! }
//!
//! // What the cart POSTs (the hash is SHA-1 of "sk_cartfreak_demo" + "CREATE").
//! let body = b"command=CREATE&billing_id=&first_name=Jos%C3%A9&last_name=Garc%C3%ADa\
//!     &email=jose%2Bshop%40example.com&address=12+Calle+Mayor&address2=&city=Madrid\
//!     &state=MD&zipcode=28013&country=ES&ship_address=&ship_address2=&ship_city=\
//!     &ship_state=&ship_zipcode=&ship_country=&phone=%2B34+600+123+456&product_id=42\
//!     &product_name=Caf%C3%A9+Course&amount=49.00&fee=1.72&total=47.28&order_id=100234\
//!     &order_hash=9f2c4e1ab7&hash=1a6fdad0ec197c384a381bb29ca235c44c318684";
//! let delivery = Delivery::post("/hooks/cartfreak", body);
//! let key = CartFreakKey::new("sk_cartfreak_demo")?;
//! assert_eq!(cartfreak_hook(&key, &delivery), (200, "OK".to_owned()));
//! let wrong = CartFreakKey::new("wrong")?;
//! assert_eq!(cartfreak_hook(&wrong, &delivery).0, 401);
//! # Ok::<(), cartfreak_notify::EmptyKey>(())
//! ```
//!
//! The other direction, for testing a receiver without CartFreak: [`ApiUrl::notification_url`]
//! builds the GET URL, [`Notification::to_form`] the signed POST body.
//!
//! ```
//! use cartfreak_notify::{
//!     Address, ApiUrl, CartFreakKey, Create, Customer, Decimal, Delivery, Notification, Receiver,
//! };
//!
//! let sale = Create::new("100234", "42", "Café Course", Decimal::new(4900, 2), Decimal::new(172, 2))
//!     .with_customer(Customer::new("José", "García", "jose+shop@example.com"))
//!     .with_billing_address(Address::new("12 Calle Mayor", "Madrid", "MD", "28013", "ES"));
//! assert_eq!(sale.total.to_string(), "47.28");
//! let sale = Notification::Create(sale);
//!
//! let api_url: ApiUrl = "https://shop.example/cf.php?token=abc#ignored".parse()?;
//! let url = api_url.notification_url(&sale);
//! assert!(url.starts_with("https://shop.example/cf.php?token=abc&command=CREATE&billing_id=&"));
//! assert!(url.contains("&email=jose%2Bshop%40example.com&"));
//!
//! let key = CartFreakKey::new("sk_cartfreak_demo")?;
//! let body = sale.to_form(&key);
//! assert!(body.ends_with("&hash=1a6fdad0ec197c384a381bb29ca235c44c318684"));
//! let received = key.receive(&Delivery::post("/hooks/cartfreak", body.as_bytes()))?;
//! assert_eq!(received.notification, sale);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules and decisions
//!
//! Each module documents the decisions taken where the vendor is silent:
//! [`payload`] (types, blank versus absent, money, the undocumented and unknown commands, the
//! de-duplication key), [`decode`](mod@decode) (deliveries, flavour detection, repeated keys,
//! limits), [`encode`] (PHP `urlencode`, field order), [`verify`] (the hash, what it does not
//! cover, and what is checked before it), [`api_url`] (query kept, fragment dropped),
//! [`reply`], [`serde_impl`] (the JSON view the `cartwire` CLI prints), [`event`](mod@event)
//! (each command in the shared event vocabulary, with the vendor phrase each mapping rests
//! on).
//!
//! # Inside a web service
//!
//! Feature `http`: `Delivery::from(&request)` for an `http::Request` whose body is read, and
//! [`http::delivery`] builds the cart's request. Feature `axum08`: the extractors
//! [`axum08::VerifiedNotification`] and [`axum08::UnverifiedNotification`], with the key from
//! the router's state, answering refusals in CartFreak's `ERROR <reason>` format. Feature
//! `tracing`: one event per delivery received (protocol, outcome, field at fault; never the
//! key or the body).
//!
//! # Fixtures
//!
//! Vendor-style payloads live in this crate's `tests/fixtures/` (see its `README.md`) and are
//! exposed as [`samples`]; the tests, the bench, the fuzz seeds and the CLI samples all use
//! them.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api_url;
#[cfg(feature = "axum08")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum08")))]
pub mod axum08;
pub mod decode;
pub mod encode;
pub mod error;
pub mod event;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
mod key;
pub mod payload;
pub mod reply;
pub mod samples;
pub mod serde_impl;
pub mod verify;

#[doc(inline)]
pub use api_url::ApiUrl;
#[doc(inline)]
pub use decode::{Flavour, Received, decode, decode_url, decode_with};
#[doc(inline)]
pub use error::TotalMismatch;
#[doc(inline)]
pub use key::CartFreakKey;
#[doc(inline)]
pub use payload::{
    Address, Command, Create, Customer, Notification, SubscriptionEvent, UnknownCommand,
};
#[doc(inline)]
pub use reply::Reply;
#[doc(inline)]
pub use verify::{compute_hash, verify_hash};

/// Re-exported from `cartwire-core`, so that this crate is the only dependency a receiver
/// needs.
pub use cartwire_core::{
    Credential, Decimal, Dedup, DedupKey, Delivery, EmptyKey, Error, ErrorKind, Event, EventKind,
    Extra, Receiver, Secret, ToEvent, VerifyError,
};

/// The README's examples, compiled and run as doctests so that they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
