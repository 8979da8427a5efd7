//! A local Cartfunnel REST API (`/v1/customers.json` and friends).
//!
//! It answers with `cartfunnel-client-types`' own wire writer ([`Customer::to_wire`]) and the
//! request headers it defines, so it speaks exactly what that crate's client writes and
//! reads. It behaves as the vendor documents:
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
//!   small JSON arrays with the content type `text/json`, for the raw requests;
//! * a body that is not JSON, or has no `customer` object, answers 400.
//!
//! A scripted [`Fault`] comes before all of this (see [`Emulator::fail_next`]).
//!
//! ```
//! use cartwire_testkit::cartfunnel::{Account, Emulator};
//!
//! let emulator = Emulator::start(Account::new("myshop", "test-secret"))?;
//! emulator.seed_customers(250);
//! assert!(emulator.base_url().as_str().starts_with("http://127.0.0.1:"));
//! assert_eq!(emulator.credentials().to_string(), "account=myshop api_secret=test-secret");
//! assert_eq!(emulator.customers().len(), 250);
//! // Give `base_url()` and `credentials()` to `cartfunnel_client_types::Api`; the requests
//! // that arrive are in `emulator.requests()`.
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io;
use std::net::SocketAddr;

use cartfunnel_client_types::request::{ACCOUNT_HEADER, API_SECRET_HEADER};
use cartfunnel_client_types::{Customer, PAGE_SIZE, Secret, TagList};
use cartwire_core::scalar::parse_flag;
use serde_json::{Map, Value, json};
use time::macros::datetime;
use time::{Duration as TimeDuration, OffsetDateTime};
use url::Url;

use crate::server::{Handler, Reply, Request, Server};
use crate::{Fault, RecordedRequest};

/// The emulator's clock: every record is created at this time.
const CLOCK: OffsetDateTime = datetime!(2019-02-04 23:29:37.406 -05:00);
const MAX_NAME_CHARS: usize = 255;

/// The emulated Cartfunnel account: its name, its API secret and its customers.
#[derive(Debug, Clone)]
pub struct Account {
    account: String,
    api_secret: Secret,
    customers: Vec<Customer>,
}

impl Account {
    /// An account with no customers.
    pub fn new(account: impl Into<String>, api_secret: impl Into<Secret>) -> Self {
        Self {
            account: account.into(),
            api_secret: api_secret.into(),
            customers: Vec::new(),
        }
    }

    /// Adds a customer as given (its id replaces any customer with the same id).
    pub fn with_customer(mut self, customer: Customer) -> Self {
        self.insert(customer);
        self
    }

    /// Adds `count` generated customers (see [`Emulator::seed_customers`]).
    pub fn with_seeded_customers(mut self, count: usize) -> Self {
        self.seed(count);
        self
    }

    fn next_id(&self) -> u64 {
        self.customers
            .iter()
            .map(|c| c.id)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }

    fn insert(&mut self, customer: Customer) {
        self.customers.retain(|c| c.id != customer.id);
        self.customers.push(customer);
        self.customers.sort_by_key(|c| c.id);
    }

    fn seed(&mut self, count: usize) {
        for _ in 0..count {
            let id = self.next_id();
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
            self.customers.push(c);
        }
    }
}

impl Handler for Account {
    fn handle(&mut self, request: &Request) -> Reply {
        route(request, self)
    }
}

/// What to give a client to call the emulator: the account name and the API secret (shown,
/// since this is test support).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Credentials {
    /// The account (`X-CARTFUNNEL-ACCOUNT`).
    pub account: String,
    /// The API secret (`X-CARTFUNNEL-API-SECRET`).
    pub api_secret: String,
}

impl core::fmt::Display for Credentials {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "account={} api_secret={}", self.account, self.api_secret)
    }
}

/// A running Cartfunnel emulator on 127.0.0.1; dropping it stops the server.
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
        let server = Server::start(port, "cartfunnel-emulator", account)?;
        let base_url =
            Url::parse(&format!("http://{}/v1", server.addr())).map_err(io::Error::other)?;
        Ok(Self { server, base_url })
    }

    /// The base URL to give the client, `http://127.0.0.1:{port}/v1`: pass it to
    /// `cartfunnel_client_types::BaseUrl::parse`.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The account and API secret, to build the client's credentials with.
    pub fn credentials(&self) -> Credentials {
        self.server.with_handler(|account| Credentials {
            account: account.account.clone(),
            api_secret: account.api_secret.expose().to_owned(),
        })
    }

    /// The requests received so far, oldest first, including those that met a fault.
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

    /// Adds `count` generated customers (`customerN@example.com`, first name `Customer`,
    /// last name `N`), with ids after the highest present.
    pub fn seed_customers(&self, count: usize) {
        self.server.with_handler(|account| account.seed(count));
    }

    /// Adds a customer as given (its id replaces any customer with the same id).
    pub fn insert_customer(&self, customer: Customer) {
        self.server.with_handler(|account| account.insert(customer));
    }

    /// The customers held now, in id order.
    pub fn customers(&self) -> Vec<Customer> {
        self.server
            .with_handler(|account| account.customers.clone())
    }
}

fn json_reply(status: u16, body: &Value) -> Reply {
    Reply::new(status, "application/json; charset=utf-8", body.to_string())
}

fn text_json_reply(body: &Value) -> Reply {
    Reply::new(200, "text/json", body.to_string())
}

fn error_reply(status: u16, message: &str) -> Reply {
    json_reply(status, &json!({ "error": message }))
}

fn route(request: &Request, state: &mut Account) -> Reply {
    let account_ok = request.header(ACCOUNT_HEADER) == Some(state.account.as_str());
    let secret_ok = request
        .header(API_SECRET_HEADER)
        .is_some_and(|s| state.api_secret.matches(s));
    if !(account_ok && secret_ok) {
        return json_reply(403, &json!({ "errors": ["Invalid API credentials"] }));
    }
    let (path, query) = request.path_and_query();
    let Some(path) = path.strip_prefix("/v1/") else {
        return error_reply(404, "Not found");
    };
    let segments: Vec<&str> = path.split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["customers.json"]) => list_customers(state, query),
        ("POST", ["customers.json"]) => create_customer(state, &request.body),
        ("GET", ["customers", file]) => match id_of(file).and_then(|id| find(state, id)) {
            Some(c) => json_reply(200, &c.to_wire()),
            None => error_reply(404, "Not found"),
        },
        ("PATCH", ["customers", file]) => match id_of(file) {
            Some(id) => update_customer(state, id, &request.body),
            None => error_reply(404, "Not found"),
        },
        ("GET", ["customers", id, "addresses.json"]) => {
            match id.parse::<u64>().ok().and_then(|id| find(state, id)) {
                Some(c) => text_json_reply(&json!([{
                    "id": c.id.saturating_mul(10),
                    "customer_id": c.id,
                    "address1": "1 Main St",
                    "city": "Ottawa",
                    "zip": "K1A 0B1"
                }])),
                None => error_reply(404, "Not found"),
            }
        }
        ("GET", ["products.json"]) => text_json_reply(&json!([
            {"id": 1, "title": "Monthly box", "price_cents": 1900, "recurring": "true"}
        ])),
        ("GET", ["orders.json"]) => text_json_reply(&json!([])),
        _ => error_reply(404, "Not found"),
    }
}

fn id_of(file: &str) -> Option<u64> {
    file.strip_suffix(".json")?.parse().ok()
}

fn find(state: &Account, id: u64) -> Option<&Customer> {
    state.customers.iter().find(|c| c.id == id)
}

fn list_customers(state: &Account, query: &str) -> Reply {
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
    json_reply(200, &Value::Array(page_items))
}

/// The `customer` object of a write's body, or the reply refusing the body.
fn customer_fields(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| error_reply(400, &format!("the body is not JSON: {e}")))?;
    match value.get("customer") {
        Some(Value::Object(fields)) => Ok(fields.clone()),
        _ => Err(error_reply(
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

fn create_customer(state: &mut Account, body: &[u8]) -> Reply {
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
        return json_reply(200, &wire);
    }
    c.id = state.next_id();
    c.created_at = Some(CLOCK);
    c.updated_at = Some(CLOCK);
    c.persisted = Some(true);
    let wire = c.to_wire();
    state.customers.push(c);
    json_reply(200, &wire)
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

fn update_customer(state: &mut Account, id: u64, body: &[u8]) -> Reply {
    let fields = match customer_fields(body) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let Some(stored) = state.customers.iter_mut().find(|c| c.id == id) else {
        return error_reply(404, "Not found");
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
        return json_reply(200, &answer.to_wire());
    }
    changed.updated_at = Some(CLOCK.saturating_add(TimeDuration::days(6)));
    *stored = changed;
    json_reply(200, &stored.to_wire())
}
