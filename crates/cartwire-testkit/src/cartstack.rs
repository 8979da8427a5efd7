//! A local CartStack purchase-confirmation endpoint (`GET /ss/v1/?key=…&siteid=…&email=…`).
//!
//! It reads each request with [`ConfirmRequest::from_query`] and answers with
//! [`ConfirmResponse::for_outcome`], so it speaks exactly what `cartstack-confirm` writes and
//! reads.
//!
//! ```
//! use cartwire_testkit::cartstack::{Account, Cart, Emulator};
//! use cartstack_confirm::ConfirmRequest;
//!
//! let emulator = Emulator::start(
//!     Account::new("k3y", "KQ7ZP2").with_cart("ann+shop@example.com", Cart::Open),
//! )?;
//! let credentials = emulator.credentials();
//! let request = ConfirmRequest::new(
//!     credentials.key.as_str(),
//!     credentials.site_id.as_str(),
//!     "ann+shop@example.com",
//! )
//! .unwrap();
//! let url = request.to_url_at(emulator.base_url());
//! assert!(url.as_str().starts_with("http://127.0.0.1:"));
//! // … GET `url` with any HTTP client (or give `base_url()` to
//! // `cartstack_confirm::client::Client::with_endpoint`); `emulator.requests()` lists what
//! // arrived.
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # How it answers (the rules are the emulator's, chosen to reach every code)
//!
//! A scripted [`Fault`] comes first (see [`Emulator::fail_next`]). Otherwise methods other
//! than GET get 405 and paths other than `/ss/v1/` get 404, both with a plain-text body; and
//! a `GET /ss/v1/` gets HTTP 200 with CartStack's JSON, decided in this order:
//!
//! 1. a missing or blank `key`, `siteid` or `email`: 101 missing field;
//! 2. an email that fails [`check_email`](cartstack_confirm::check_email): 101 Invalid Email
//!    Address;
//! 3. a total that is not a non-negative decimal with at most two decimals, or a query that is
//!    not UTF-8: 102 Purchase Insert Failed;
//! 4. a site id other than the account's: 102 Not a valid site id.;
//! 5. a key other than the account's: 103;
//! 6. then the email's cart (looked up ignoring case): none, 102 No cart exists…;
//!    [`Cart::Open`], 100, and the cart becomes [`Cart::Purchased`]; [`Cart::Purchased`],
//!    102 Cart not found for email address …; [`Cart::InsertFails`], 102 Purchase Insert
//!    Failed.
//!
//! A confirmation is not idempotent, as on the vendor's side: the second one of the same
//! purchase answers 102 Cart not found. With [`Fault::Delay`] the confirmation is made and
//! the answer comes late, so a client that times out and tries again gets that 102.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;

use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Outcome, RequestError, Secret};
use url::Url;

use crate::server::{Handler, Reply, Request, Server};
use crate::{Fault, RecordedRequest};

/// The path of the confirmation endpoint.
const PATH: &str = "/ss/v1/";

/// The state of one customer's cart in the emulated account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cart {
    /// Abandoned and waiting: a confirmation succeeds (100) and closes it.
    Open,
    /// Already confirmed: another confirmation gets 102 "Cart not found for email address".
    Purchased,
    /// A confirmation gets 102 "Purchase Insert Failed" (CartStack's database said no).
    InsertFails,
}

/// The emulated CartStack account: its key, its site id and its carts.
#[derive(Debug, Clone)]
pub struct Account {
    key: Secret,
    site_id: String,
    carts: BTreeMap<String, Cart>,
}

impl Account {
    /// An account with no carts.
    pub fn new(key: impl Into<Secret>, site_id: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            site_id: site_id.into(),
            carts: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the cart of a customer (emails are compared ignoring case).
    pub fn with_cart(mut self, email: &str, cart: Cart) -> Self {
        self.carts.insert(email.to_lowercase(), cart);
        self
    }

    /// The answer to a parsed (or refused) request, updating the carts.
    fn answer(&mut self, request: &Result<ConfirmRequest, RequestError>) -> Outcome {
        let request = match request {
            Err(RequestError::Missing { .. }) => return Outcome::MissingField,
            Err(RequestError::InvalidEmail(_)) => return Outcome::InvalidEmail,
            Err(_) => return Outcome::InsertFailed,
            Ok(request) => request,
        };
        if request.site_id() != self.site_id {
            return Outcome::InvalidSiteId;
        }
        if self.key != *request.key() {
            return Outcome::KeyMismatch;
        }
        match self.carts.get_mut(&request.email().to_lowercase()) {
            None => Outcome::NoCart,
            Some(cart @ Cart::Open) => {
                *cart = Cart::Purchased;
                Outcome::Success
            }
            Some(Cart::Purchased) => Outcome::CartNotFound {
                email: Some(request.email().to_owned()),
            },
            Some(Cart::InsertFails) => Outcome::InsertFailed,
        }
    }
}

impl Handler for Account {
    fn handle(&mut self, request: &Request) -> Reply {
        let (path, query) = request.path_and_query();
        if request.method != "GET" {
            return Reply::new(405, "text/plain; charset=utf-8", "Method Not Allowed");
        }
        if path != PATH && Some(path) != PATH.strip_suffix('/') {
            return Reply::new(404, "text/plain; charset=utf-8", "Not Found");
        }
        let outcome = self.answer(&ConfirmRequest::from_query(query));
        match ConfirmResponse::for_outcome(&outcome) {
            Some(answer) => Reply::new(200, "application/json; charset=utf-8", answer.to_json()),
            // Every outcome `answer` returns has a vendor wording; an empty page otherwise.
            None => Reply::new(200, "text/html; charset=utf-8", ""),
        }
    }
}

/// What to give a client to call the emulator: the account's API key and site id (shown,
/// since this is test support).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// The API key (`key=` in the query).
    pub key: String,
    /// The site id (`siteid=` in the query).
    pub site_id: String,
}

impl core::fmt::Display for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "key={} site_id={}", self.key, self.site_id)
    }
}

/// A running CartStack emulator on 127.0.0.1; dropping it stops the server.
pub struct Emulator {
    server: Server<Account>,
    base_url: Url,
}

impl core::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator of this account on a free port (see the module docs for how it
    /// answers).
    ///
    /// # Errors
    ///
    /// An I/O error if no port on 127.0.0.1 could be bound or the thread not started.
    pub fn start(account: Account) -> io::Result<Self> {
        Self::start_on(0, account)
    }

    /// Starts an emulator of this account on 127.0.0.1:`port` (0: a free port).
    ///
    /// # Errors
    ///
    /// An I/O error if the port could not be bound (taken, not allowed) or the thread not
    /// started.
    pub fn start_on(port: u16, account: Account) -> io::Result<Self> {
        let server = Server::start(port, "cartstack-emulator", account)?;
        let base_url =
            Url::parse(&format!("http://{}{PATH}", server.addr())).map_err(io::Error::other)?;
        Ok(Self { server, base_url })
    }

    /// The endpoint to call, `http://127.0.0.1:{port}/ss/v1/`: give it to
    /// `cartstack_confirm::client::Client::with_endpoint` or
    /// [`ConfirmRequest::to_url_at`].
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The account's key and site id, to build requests with.
    pub fn credentials(&self) -> Credentials {
        self.server.with_handler(|account| Credentials {
            key: account.key.expose().to_owned(),
            site_id: account.site_id.clone(),
        })
    }

    /// The requests received so far, oldest first, including those that met a fault.
    /// [`ConfirmRequest::from_query`] on a request's [`query`](RecordedRequest::query)
    /// reads it as the emulator did.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// Scripts a fault for the next request that arrives (after those already scripted).
    pub fn fail_next(&self, fault: Fault) {
        self.server.fail_next_n(1, &fault);
    }

    /// Scripts the same fault for the next `count` requests (after those already scripted).
    pub fn fail_next_n(&self, count: usize, fault: Fault) {
        self.server.fail_next_n(count, &fault);
    }

    /// How many scripted faults have not met a request yet.
    pub fn pending_faults(&self) -> usize {
        self.server.pending_faults()
    }

    /// The state of a customer's cart now (after the confirmations received).
    pub fn cart(&self, email: &str) -> Option<Cart> {
        self.server
            .with_handler(|account| account.carts.get(&email.to_lowercase()).copied())
    }

    /// Adds or replaces a customer's cart while running.
    pub fn set_cart(&self, email: &str, cart: Cart) {
        self.server.with_handler(|account| {
            account.carts.insert(email.to_lowercase(), cart);
        });
    }

    /// The emails (lower-cased) of the carts still [`Cart::Open`], in order.
    pub fn open_carts(&self) -> Vec<String> {
        self.server.with_handler(|account| {
            account
                .carts
                .iter()
                .filter(|(_, cart)| **cart == Cart::Open)
                .map(|(email, _)| email.clone())
                .collect()
        })
    }
}
