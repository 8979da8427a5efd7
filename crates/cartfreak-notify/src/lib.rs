//! # cartfreak-notify
//!
//! CartFreak's outgoing notifications: typed decoding of both flavours, hash verification,
//! and the encoders that produce exactly what the cart sends.
//!
//! CartFreak calls a product's *API URL* when a sale happens (`CREATE`) or a recurring
//! subscription ends (`REMOVE`); its own receiver package also knows `RENEW`, `COMPLETE` and
//! `DECLINE`. Two flavours exist:
//!
//! * the documented one: an HTTP **GET** with the fields in the query string,
//!   `script.php?command=REMOVE&billing_id=224&email=user%40domain.com`;
//! * the receiver package's: an HTTP **POST** form with a `hash` field, the SHA-1 of the API
//!   key and the command, answered with the plain-text body `OK` or `ERROR <message>`.
//!
//! [`decode()`] takes either (a query string, a full URL, or a form body) and tells them apart;
//! [`Received::verify`] checks the hash; [`Reply`] is the answer.
//!
//! ```
//! use cartfreak_notify::{decode_verified, Notification, Reply};
//! use cartwire_core::{ErrorKind, Secret};
//!
//! /// The POST handler of the receiver: body in, plain-text reply out.
//! fn cartfreak_hook(body: &[u8], api_key: &Secret) -> (u16, Reply) {
//!     let notification = match decode_verified(body, api_key) {
//!         Ok(notification) => notification,
//!         Err(err) if err.kind() == ErrorKind::VerificationFailed => {
//!             return (401, Reply::error("Invalid hash sent"));
//!         }
//!         Err(err) => return (400, Reply::error(err.to_string())),
//!     };
//!     // The cart may send a notification twice: skip the ones already handled.
//!     let _key = notification.dedup_key();
//!     match &notification {
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
//!     (200, Reply::Ok)
//! }
//!
//! // What the cart POSTs (the hash is SHA-1 of "sk_cartfreak_demo" + "CREATE").
//! let body = b"command=CREATE&billing_id=&first_name=Jos%C3%A9&last_name=Garc%C3%ADa\
//!     &email=jose%2Bshop%40example.com&address=12+Calle+Mayor&address2=&city=Madrid\
//!     &state=MD&zipcode=28013&country=ES&ship_address=&ship_address2=&ship_city=\
//!     &ship_state=&ship_zipcode=&ship_country=&phone=%2B34+600+123+456&product_id=42\
//!     &product_name=Caf%C3%A9+Course&amount=49.00&fee=1.72&total=47.28&order_id=100234\
//!     &order_hash=9f2c4e1ab7&hash=1a6fdad0ec197c384a381bb29ca235c44c318684";
//! let key = Secret::new("sk_cartfreak_demo");
//! assert_eq!(cartfreak_hook(body, &key), (200, Reply::Ok));
//! assert_eq!(cartfreak_hook(body, &Secret::new("wrong")).0, 401);
//! assert_eq!(Reply::Ok.to_string(), "OK");
//! ```
//!
//! The other direction, for testing a receiver without CartFreak: [`ApiUrl::notification_url`]
//! builds the GET URL, [`Notification::to_form`] the signed POST body.
//!
//! ```
//! use cartfreak_notify::{ApiUrl, Address, Create, Customer, Notification};
//! use cartwire_core::{Decimal, Secret};
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
//! let body = sale.to_form(&Secret::new("sk_cartfreak_demo"));
//! assert!(body.ends_with("&hash=1a6fdad0ec197c384a381bb29ca235c44c318684"));
//! assert_eq!(cartfreak_notify::decode(body.as_bytes())?.notification, sale);
//! # Ok::<(), cartfreak_notify::Error>(())
//! ```
//!
//! # Modules and decisions
//!
//! Each module documents the decisions taken where the vendor is silent:
//! [`payload`] (types, blank versus absent, money, the undocumented commands, the
//! de-duplication key), [`decode`](mod@decode) (flavour detection, repeated keys, limits),
//! [`encode`] (PHP `urlencode`, field order), [`verify`] (the hash and what it does not
//! cover), [`api_url`] (query kept, fragment dropped), [`reply`], [`serde_impl`] (the JSON
//! shape the `cartwire` CLI prints).
//!
//! # Inside a web service
//!
//! Feature `http`: [`http::decode_request`] and [`http::decode_verified_request`] read an
//! `http::Request` (GET query or POST body), [`http::delivery`] builds the cart's request.
//! Feature `axum08`: the extractors [`axum08::VerifiedNotification`] and
//! [`axum08::UnverifiedNotification`], with the key from the router's state.
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
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod http;
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
pub use payload::{
    Address, Command, Create, Customer, DedupKey, Extra, Notification, SubscriptionEvent,
    UnknownCommand,
};
#[doc(inline)]
pub use reply::Reply;
#[doc(inline)]
pub use verify::{compute_hash, decode_verified, verify_hash};

/// The error of decoding and verifying: `cartwire-core`'s, shared by every cartwire protocol.
pub use cartwire_core::Error;
