//! A local CartStack for tests (`emulator` feature): a std `TcpListener` on 127.0.0.1 with an
//! OS-chosen port, one thread, HTTP/1.1 with one request per connection.
//!
//! It reads each request with [`ConfirmRequest::from_query`] and answers with
//! [`ConfirmResponse::for_outcome`], so it speaks exactly what this crate reads and writes.
//! It is what this crate's tests and `cartwire`'s CLI tests call; use it in yours.
//!
//! ```
//! use cartstack_confirm::emulator::{Account, Cart, Emulator};
//! use cartstack_confirm::ConfirmRequest;
//!
//! let emulator = Emulator::start(
//!     Account::new("k3y", "KQ7ZP2").with_cart("ann+shop@example.com", Cart::Open),
//! )?;
//! let request = ConfirmRequest::new("k3y", "KQ7ZP2", "ann+shop@example.com").unwrap();
//! let url = request.to_url_at(emulator.endpoint());
//! assert!(url.as_str().starts_with("http://127.0.0.1:"));
//! // … GET `url` with any HTTP client; `emulator.received()` lists what arrived.
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # How it answers (the rules are the emulator's, chosen to reach every code)
//!
//! With [`Emulator::start`] and an [`Account`], in this order:
//!
//! 1. a missing or blank `key`, `siteid` or `email`: 101 missing field;
//! 2. an email that fails [`check_email`](crate::check_email): 101 Invalid Email Address;
//! 3. a total that is not a non-negative decimal with at most two decimals, or a query that is
//!    not UTF-8: 102 Purchase Insert Failed;
//! 4. a site id other than the account's: 102 Not a valid site id.;
//! 5. a key other than the account's: 103;
//! 6. then the email's cart (looked up ignoring case): none, 102 No cart exists…;
//!    [`Cart::Open`], 100, and the cart becomes [`Cart::Purchased`]; [`Cart::Purchased`],
//!    102 Cart not found for email address …; [`Cart::InsertFails`], 102 Purchase Insert
//!    Failed.
//!
//! With [`Emulator::fixed`], every request gets the same status and body (an unknown code, an
//! HTML error page). Paths other than `/ss/v1/` get 404, methods other than GET 405, both
//! with a plain-text body.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use cartwire_core::Secret;
use url::Url;

use crate::error::RequestError;
use crate::request::ConfirmRequest;
use crate::response::{ConfirmResponse, Outcome};

/// The largest request head read, in bytes.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// How long a connection may take to send its request.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

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

    /// Adds (or replaces) the cart of a customer.
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

/// One request the emulator received.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Received {
    /// The HTTP method.
    pub method: String,
    /// The request target as sent (`/ss/v1/?key=…`), encoding untouched.
    pub target: String,
    /// The query read by [`ConfirmRequest::from_query`] (for `GET /ss/v1/` only).
    pub request: Option<Result<ConfirmRequest, RequestError>>,
    /// The HTTP status answered.
    pub status: u16,
    /// The body answered.
    pub body: Vec<u8>,
}

enum Behaviour {
    Account(Account),
    Fixed { status: u16, body: Vec<u8> },
}

struct State {
    behaviour: Behaviour,
    received: Vec<Received>,
}

struct Shared {
    stop: AtomicBool,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves consistent data: keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running emulator; dropping it stops the server thread.
pub struct Emulator {
    addr: SocketAddr,
    endpoint: Url,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl core::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts an emulator of this account (see the module docs for how it answers).
    pub fn start(account: Account) -> io::Result<Self> {
        Self::spawn(Behaviour::Account(account))
    }

    /// Starts an emulator that answers every request with this status and body, with
    /// `Content-Type: application/json` if the body starts with `{`, `text/html` otherwise.
    pub fn fixed(status: u16, body: impl Into<Vec<u8>>) -> io::Result<Self> {
        Self::spawn(Behaviour::Fixed {
            status,
            body: body.into(),
        })
    }

    fn spawn(behaviour: Behaviour) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let endpoint = Url::parse(&format!("http://{addr}/ss/v1/")).map_err(io::Error::other)?;
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            state: Mutex::new(State {
                behaviour,
                received: Vec::new(),
            }),
        });
        let thread = std::thread::Builder::new()
            .name(format!("cartstack-emulator-{}", addr.port()))
            .spawn({
                let shared = Arc::clone(&shared);
                move || serve(&listener, &shared)
            })?;
        Ok(Self {
            addr,
            endpoint,
            shared,
            thread: Some(thread),
        })
    }

    /// The endpoint to call: `http://127.0.0.1:{port}/ss/v1/`.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The requests received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.shared.state().received.clone()
    }

    /// The state of a customer's cart now (after the confirmations received), for an
    /// account emulator.
    pub fn cart(&self, email: &str) -> Option<Cart> {
        match &self.shared.state().behaviour {
            Behaviour::Account(account) => account.carts.get(&email.to_lowercase()).copied(),
            Behaviour::Fixed { .. } => None,
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking `accept` so that the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(listener: &TcpListener, shared: &Shared) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        // A connection that fails (reset, timeout) concerns that client only.
        if let Ok(stream) = stream {
            let _ = handle(stream, shared);
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let head = read_head(&mut stream)?;
    let request_line = head.lines().next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));

    let mut state = shared.state();
    let (status, body, request) = if let Behaviour::Fixed { status, body } = &state.behaviour {
        (*status, body.clone(), None)
    } else if method != "GET" {
        (405, b"Method Not Allowed".to_vec(), None)
    } else if path != "/ss/v1/" && path != "/ss/v1" {
        (404, b"Not Found".to_vec(), None)
    } else {
        let request = ConfirmRequest::from_query(query);
        let outcome = match &mut state.behaviour {
            Behaviour::Account(account) => account.answer(&request),
            Behaviour::Fixed { .. } => Outcome::Unknown,
        };
        let body = ConfirmResponse::for_outcome(&outcome)
            .map(|answer| answer.to_json().into_bytes())
            .unwrap_or_default();
        (200, body, Some(request))
    };
    state.received.push(Received {
        method,
        target: target.clone(),
        request,
        status,
        body: body.clone(),
    });
    drop(state);

    let content_type = match (status, body.first()) {
        (_, Some(b'{')) => "application/json",
        (404 | 405, _) => "text/plain",
        _ => "text/html",
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Status",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

/// Reads up to the blank line that ends the head (GET requests have no body).
fn read_head(stream: &mut TcpStream) -> io::Result<String> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if head.windows(4).any(|w| w == b"\r\n\r\n") || head.len() >= MAX_HEAD_BYTES {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}
