//! **Test support** (feature `emulator`): a local emulator of the Cartfunnel API, so the
//! client, the `cartwire` command and your own code can be tested without the network.
//!
//! [`Emulator::start`] listens on `127.0.0.1` on a free port, in a thread, with plain
//! HTTP/1.1 (one request per connection). It behaves as the vendor documents:
//!
//! * every request must carry `X-CARTFUNNEL-ACCOUNT` and `X-CARTFUNNEL-API-SECRET` matching
//!   the emulator's; otherwise it answers **403**;
//! * `GET /v1/customers.json[?page=N]` serves 100 customers a page;
//!   `GET /v1/customers/:id.json` one (404 for an unknown id);
//! * `POST /v1/customers.json` creates; a blank, invalid or taken e-mail answers **200 with
//!   `"persisted": "false"` and `errors`**;
//! * `PATCH /v1/customers/:id.json` updates the writable attributes; a first or last name over
//!   255 characters answers 200 with the record unchanged, `"persisted": "true"` and `errors`
//!   (the vendor's own example of a failed update);
//! * `GET /v1/products.json`, `/v1/orders.json` and `/v1/customers/:id/addresses.json` answer
//!   small JSON arrays with the content type `text/json`, for the raw requests.
//!
//! Every request is recorded ([`Emulator::requests`]) so tests can check what was sent. It is
//! not a production server: it handles one connection at a time and stops when dropped.
//!
//! ```
//! use cartfunnel_client_types::testing::Emulator;
//! use cartfunnel_client_types::Secret;
//!
//! let emulator = Emulator::start("myshop", &Secret::new("test-secret"))?;
//! emulator.seed_customers(250);
//! assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(emulator.customers().len(), 250);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{Map, Value, json};
use time::macros::datetime;
use time::{Duration as TimeDuration, OffsetDateTime};

use cartwire_core::Secret;
use cartwire_core::scalar::parse_flag;

use crate::request::{ACCOUNT_HEADER, API_SECRET_HEADER};
use crate::{Customer, PAGE_SIZE, TagList};

/// The emulator's clock: every record is created at this time.
const CLOCK: OffsetDateTime = datetime!(2019-02-04 23:29:37.406 -05:00);
const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;
const MAX_NAME_CHARS: usize = 255;

/// One request the emulator received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method (`GET`, `POST`…).
    pub method: String,
    /// The request target (`/v1/customers.json?page=2`).
    pub target: String,
    /// The `X-CARTFUNNEL-ACCOUNT` header, if sent.
    pub account: Option<String>,
    /// Whether an `X-CARTFUNNEL-API-SECRET` header was sent.
    pub sent_api_secret: bool,
    /// Whether it matched the emulator's secret (the secret itself is not recorded).
    pub api_secret_matched: bool,
    /// The `Content-Type` header, if sent.
    pub content_type: Option<String>,
    /// The `Accept` header, if sent.
    pub accept: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// The status the emulator answered.
    pub status: u16,
}

#[derive(Debug)]
struct State {
    account: String,
    api_secret: Secret,
    customers: Vec<Customer>,
    requests: Vec<RecordedRequest>,
}

impl State {
    fn next_id(&self) -> u64 {
        self.customers
            .iter()
            .map(|c| c.id)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }
}

/// A running emulator; it stops when dropped.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Emulator {
    /// Starts an emulator for `account` with `api_secret`, with no customers.
    ///
    /// # Errors
    ///
    /// An I/O error if no port on 127.0.0.1 could be bound or the thread not started.
    pub fn start(account: &str, api_secret: &Secret) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            account: account.to_owned(),
            api_secret: api_secret.clone(),
            customers: Vec::new(),
            requests: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("cartfunnel-emulator".to_owned())
            .spawn({
                let state = Arc::clone(&state);
                let stop = Arc::clone(&stop);
                move || serve(&listener, &state, &stop)
            })?;
        Ok(Self {
            addr,
            state,
            stop,
            thread: Some(thread),
        })
    }

    /// The base URL to give the client: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds `count` generated customers (`customerN@example.com`), with ids after the
    /// highest present.
    pub fn seed_customers(&self, count: usize) {
        let mut state = lock(&self.state);
        for _ in 0..count {
            let id = state.next_id();
            let mut c = Customer::new(id);
            c.email = Some(format!("customer{id}@example.com"));
            c.first_name = Some("Customer".to_owned());
            c.last_name = Some(id.to_string());
            c.note = Some(String::new());
            let at = CLOCK.saturating_add(TimeDuration::seconds(i64::try_from(id).unwrap_or(0)));
            c.created_at = Some(at);
            c.updated_at = Some(at);
            c.accepts_marketing = Some(id.is_multiple_of(2));
            c.tax_exempt = Some(false);
            c.orders_count = Some(id % 4);
            c.total_spent_cents = Some(i64::try_from(id % 4).unwrap_or(0) * 2_500);
            c.subscriptions_count = Some(0);
            c.last_order_id = (!id.is_multiple_of(4)).then_some(id.saturating_add(3_200_000));
            c.persisted = Some(true);
            state.customers.push(c);
        }
    }

    /// Adds a customer as given (its id replaces any customer with the same id).
    pub fn insert_customer(&self, customer: Customer) {
        let mut state = lock(&self.state);
        state.customers.retain(|c| c.id != customer.id);
        state.customers.push(customer);
        state.customers.sort_by_key(|c| c.id);
    }

    /// The customers held now, in id order.
    pub fn customers(&self) -> Vec<Customer> {
        lock(&self.state).customers.clone()
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(listener: &TcpListener, state: &Mutex<State>, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(stream) = stream {
            // A broken connection is the client's problem; keep serving.
            let _ = handle(stream, state);
        }
    }
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
}

impl Reply {
    fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            content_type: "application/json; charset=utf-8",
            body: body.to_string(),
        }
    }

    fn text_json(body: &Value) -> Self {
        Self {
            status: 200,
            content_type: "text/json",
            body: body.to_string(),
        }
    }

    fn error(status: u16, message: &str) -> Self {
        Self::json(status, &json!({ "error": message }))
    }
}

fn handle(stream: TcpStream, state: &Mutex<State>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let reply = match read_request(&mut reader) {
        Ok(request) => {
            let mut state = lock(state);
            let reply = route(&request, &mut state);
            let secret = request.header(API_SECRET_HEADER);
            let recorded = RecordedRequest {
                method: request.method.clone(),
                target: request.target.clone(),
                account: request.header(ACCOUNT_HEADER).map(str::to_owned),
                sent_api_secret: secret.is_some(),
                api_secret_matched: secret.is_some_and(|s| state.api_secret.matches(s)),
                content_type: request.header("Content-Type").map(str::to_owned),
                accept: request.header("Accept").map(str::to_owned),
                body: request.body,
                status: reply.status,
            };
            state.requests.push(recorded);
            reply
        }
        Err(problem) => Reply::error(400, &problem),
    };
    write_reply(stream, &reply)
}

fn read_request(reader: &mut impl BufRead) -> Result<Request, String> {
    let mut head_bytes = 0usize;
    let mut line = String::new();
    let mut read_line = |line: &mut String| -> Result<(), String> {
        line.clear();
        let n = reader
            .read_line(line)
            .map_err(|e| format!("cannot read the request: {e}"))?;
        head_bytes = head_bytes.saturating_add(n);
        if n == 0 {
            return Err("the connection closed mid-request".to_owned());
        }
        if head_bytes > MAX_HEAD_BYTES {
            return Err("the request head is too large".to_owned());
        }
        Ok(())
    };
    read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err("a request line is METHOD TARGET VERSION".to_owned());
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        read_line(&mut line)?;
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed
            .split_once(':')
            .ok_or_else(|| format!("a header line without a colon: {trimmed:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    if request
        .header("Transfer-Encoding")
        .is_some_and(|te| !te.eq_ignore_ascii_case("identity"))
    {
        return Err("chunked bodies are not supported; send Content-Length".to_owned());
    }
    let length = match request.header("Content-Length") {
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| format!("Content-Length is not a number: {value:?}"))?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err("the body is too large".to_owned());
    }
    let mut body = vec![0u8; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("the body is shorter than Content-Length: {e}"))?;
    request.body = body;
    Ok(request)
}

fn write_reply(mut stream: TcpStream, reply: &Reply) -> io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Status",
    };
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(reply.body.as_bytes())?;
    stream.flush()
}

fn route(request: &Request, state: &mut State) -> Reply {
    let account_ok = request.header(ACCOUNT_HEADER) == Some(state.account.as_str());
    let secret_ok = request
        .header(API_SECRET_HEADER)
        .is_some_and(|s| state.api_secret.matches(s));
    if !(account_ok && secret_ok) {
        return Reply::json(403, &json!({ "errors": ["Invalid API credentials"] }));
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target.as_str(), ""));
    let Some(path) = path.strip_prefix("/v1/") else {
        return Reply::error(404, "Not found");
    };
    let segments: Vec<&str> = path.split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["customers.json"]) => list_customers(state, query),
        ("POST", ["customers.json"]) => create_customer(state, &request.body),
        ("GET", ["customers", file]) => match id_of(file).and_then(|id| find(state, id)) {
            Some(c) => Reply::json(200, &c.to_wire()),
            None => Reply::error(404, "Not found"),
        },
        ("PATCH", ["customers", file]) => match id_of(file) {
            Some(id) => update_customer(state, id, &request.body),
            None => Reply::error(404, "Not found"),
        },
        ("GET", ["customers", id, "addresses.json"]) => {
            match id.parse::<u64>().ok().and_then(|id| find(state, id)) {
                Some(c) => Reply::text_json(&json!([{
                    "id": c.id.saturating_mul(10),
                    "customer_id": c.id,
                    "address1": "1 Main St",
                    "city": "Ottawa",
                    "zip": "K1A 0B1"
                }])),
                None => Reply::error(404, "Not found"),
            }
        }
        ("GET", ["products.json"]) => Reply::text_json(&json!([
            {"id": 1, "title": "Monthly box", "price_cents": 1900, "recurring": "true"}
        ])),
        ("GET", ["orders.json"]) => Reply::text_json(&json!([])),
        _ => Reply::error(404, "Not found"),
    }
}

fn id_of(file: &str) -> Option<u64> {
    file.strip_suffix(".json")?.parse().ok()
}

fn find(state: &State, id: u64) -> Option<&Customer> {
    state.customers.iter().find(|c| c.id == id)
}

fn list_customers(state: &State, query: &str) -> Reply {
    // Rails reads a missing or unreadable page as the first.
    let page = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let page_items: Vec<Value> = state
        .customers
        .iter()
        .skip((page - 1).saturating_mul(PAGE_SIZE))
        .take(PAGE_SIZE)
        .map(Customer::to_wire)
        .collect();
    Reply::json(200, &Value::Array(page_items))
}

/// The `customer` object of a write's body, or the reply refusing the body.
fn customer_fields(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Reply::error(400, &format!("the body is not JSON: {e}")))?;
    match value.get("customer") {
        Some(Value::Object(fields)) => Ok(fields.clone()),
        _ => Err(Reply::error(
            400,
            "param is missing or the value is empty: customer",
        )),
    }
}

fn text_field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn flag_field(fields: &Map<String, Value>, name: &str) -> Option<bool> {
    match fields.get(name)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => parse_flag(s).ok(),
        Value::Number(n) => Some(n.as_u64() != Some(0)),
        _ => None,
    }
}

fn tag_field(fields: &Map<String, Value>) -> Option<TagList> {
    serde_json::from_value(fields.get("tag_list")?.clone()).ok()
}

fn create_customer(state: &mut State, body: &[u8]) -> Reply {
    let fields = match customer_fields(body) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let email = text_field(&fields, "email").unwrap_or_default();
    let email = email.trim().to_owned();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push("Email can't be blank".to_owned());
    } else if !email.contains('@') {
        errors.push("Email is invalid".to_owned());
    } else if state.customers.iter().any(|c| {
        c.email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(&email))
    }) {
        errors.push("Email has already been taken".to_owned());
    }
    let mut c = Customer::new(0);
    c.email = Some(email);
    c.first_name = text_field(&fields, "first_name");
    c.last_name = text_field(&fields, "last_name");
    c.note = Some(text_field(&fields, "note").unwrap_or_default());
    c.tax_exempt = Some(flag_field(&fields, "tax_exempt").unwrap_or(false));
    c.accepts_marketing = Some(flag_field(&fields, "accepts_marketing").unwrap_or(false));
    c.tag_list = tag_field(&fields);
    c.orders_count = Some(0);
    c.total_spent_cents = Some(0);
    c.subscriptions_count = Some(0);
    errors.extend(name_errors(&c));
    if !errors.is_empty() {
        // An unsaved Rails record: no id, no timestamps.
        c.persisted = Some(false);
        c.errors = errors;
        let mut wire = c.to_wire();
        if let Value::Object(map) = &mut wire {
            map.insert("id".to_owned(), Value::String("null".to_owned()));
            map.insert("created_at".to_owned(), Value::String("null".to_owned()));
            map.insert("updated_at".to_owned(), Value::String("null".to_owned()));
        }
        return Reply::json(200, &wire);
    }
    c.id = state.next_id();
    c.created_at = Some(CLOCK);
    c.updated_at = Some(CLOCK);
    c.persisted = Some(true);
    let wire = c.to_wire();
    state.customers.push(c);
    Reply::json(200, &wire)
}

fn name_errors(c: &Customer) -> Vec<String> {
    let mut errors = Vec::new();
    for (label, value) in [("First name", &c.first_name), ("Last name", &c.last_name)] {
        if value
            .as_deref()
            .is_some_and(|v| v.chars().count() > MAX_NAME_CHARS)
        {
            errors.push(format!(
                "{label} is too long (maximum is {MAX_NAME_CHARS} characters)"
            ));
        }
    }
    errors
}

fn update_customer(state: &mut State, id: u64, body: &[u8]) -> Reply {
    let fields = match customer_fields(body) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let Some(stored) = state.customers.iter_mut().find(|c| c.id == id) else {
        return Reply::error(404, "Not found");
    };
    let mut changed = stored.clone();
    // Strong parameters: only the writable attributes; `email` is create-only.
    if fields.contains_key("first_name") {
        changed.first_name = text_field(&fields, "first_name");
    }
    if fields.contains_key("last_name") {
        changed.last_name = text_field(&fields, "last_name");
    }
    if fields.contains_key("note") {
        changed.note = text_field(&fields, "note");
    }
    if let Some(v) = flag_field(&fields, "tax_exempt") {
        changed.tax_exempt = Some(v);
    }
    if let Some(v) = flag_field(&fields, "accepts_marketing") {
        changed.accepts_marketing = Some(v);
    }
    if fields.contains_key("tag_list") {
        changed.tag_list = tag_field(&fields);
    }
    let errors = name_errors(&changed);
    if !errors.is_empty() {
        // The vendor's example of a failed update: the record as it was, "persisted":
        // "true", and the errors.
        let mut answer = stored.clone();
        answer.errors = errors;
        return Reply::json(200, &answer.to_wire());
    }
    changed.updated_at = Some(CLOCK.saturating_add(TimeDuration::days(6)));
    *stored = changed;
    Reply::json(200, &stored.to_wire())
}
