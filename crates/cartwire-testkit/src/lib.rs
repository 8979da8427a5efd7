//! Test support for cartwire: local emulators of the CartStack and Cartfunnel APIs, so a
//! client, a service or the `cartwire` command can be tested without the network.
//!
//! Both emulators run on one small HTTP/1.1 server (std only: a `TcpListener` on
//! `127.0.0.1`, a thread per connection, bounded requests, timeouts) and have the same
//! shape:
//!
//! | | [`cartstack::Emulator`] | [`cartfunnel::Emulator`] |
//! |---|---|---|
//! | start on a free port / on a port | `start(Account)` / `start_on(port, Account)` | the same |
//! | the URL to give the client | `base_url()`: `http://127.0.0.1:P/ss/v1/` | `base_url()`: `http://127.0.0.1:P/v1` |
//! | what to give the client | `credentials()`: key and site id | `credentials()`: account and API secret |
//! | what arrived | `requests()`: [`RecordedRequest`]s | the same |
//! | scripted failures | `fail_next(Fault)`, `fail_next_n(n, Fault)` | the same |
//! | the vendor's state | `cart(email)`, `set_cart`, `open_carts()` | `customers()`, `insert_customer`, `seed_customers(n)` |
//!
//! Each emulator stops when dropped. Scripted [`Fault`]s are taken one per request, oldest
//! first: an error status, any answer word for word, a late answer (to test a client's
//! timeout) or a connection closed without an answer; the requests that meet one are recorded
//! too, so a test can count a client's attempts.
//!
//! ```
//! use cartwire_testkit::cartfunnel::{Account, Emulator};
//! use cartwire_testkit::Fault;
//!
//! let emulator = Emulator::start(Account::new("myshop", "cf_test_secret"))?;
//! emulator.seed_customers(3);
//! emulator.fail_next(Fault::Status(503));
//!
//! // What a client would send (any HTTP client will do; here, by hand).
//! let get = |path: &str| -> std::io::Result<String> {
//!     use std::io::{Read, Write};
//!     let mut stream = std::net::TcpStream::connect(emulator.addr())?;
//!     write!(
//!         stream,
//!         "GET {path} HTTP/1.1\r\nX-CARTFUNNEL-ACCOUNT: myshop\r\n\
//!          X-CARTFUNNEL-API-SECRET: cf_test_secret\r\n\r\n"
//!     )?;
//!     let mut answer = String::new();
//!     stream.read_to_string(&mut answer)?;
//!     Ok(answer)
//! };
//! assert!(get("/v1/customers/2.json")?.starts_with("HTTP/1.1 503"));
//! assert!(get("/v1/customers/2.json")?.contains(r#""email":"customer2@example.com""#));
//!
//! let requests = emulator.requests();
//! assert_eq!(requests.len(), 2);
//! assert_eq!(requests[0].fault, Some(Fault::Status(503)));
//! assert_eq!(requests[1].status, Some(200));
//! assert_eq!(requests[1].header("x-cartfunnel-account"), Some("myshop"));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! With the `tracing` feature, [`trace::Recorder`] records what a client or a receiver logs.
//!
//! Add it as a dev-dependency: it is test support, never a production server.
//!
//! ```toml
//! [dev-dependencies]
//! cartwire-testkit = "0.1"
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cartfunnel;
pub mod cartstack;
mod server;
#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod trace;

pub use server::{Fault, RecordedRequest};

/// The README's example, compiled and run as a doctest so that it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
