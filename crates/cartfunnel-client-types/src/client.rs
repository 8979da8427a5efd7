//! A blocking client on [ureq](https://docs.rs/ureq) (feature `client`): it sends the
//! [`Endpoint`]s of this crate and reads their answers, and walks the customer list page by
//! page.
//!
//! **This client blocks the calling thread** for up to its timeout (30 seconds unless set)
//! per attempt. In an async service use the async client
//! ([`reqwest::Client`](crate::reqwest::Client), feature `reqwest`, with the same methods), or
//! move the call off the runtime's workers:
//!
//! ```no_run
//! # async fn handler(client: cartfunnel_client_types::client::Client) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let customer = tokio::task::spawn_blocking(move || client.get_customer(92310)).await??;
//! println!("{}", customer.email.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! ```no_run
//! use cartfunnel_client_types::client::Client;
//! use cartfunnel_client_types::{Api, Credentials, CustomerUpdate, NewCustomer};
//! use cartfunnel_client_types::Secret;
//!
//! let secret = Secret::new(std::env::var("CARTFUNNEL_API_SECRET")?);
//! let client = Client::new(Api::new(Credentials::new("myshop", secret)?));
//!
//! for customer in client.customers() {
//!     let customer = customer?;
//!     println!("{} {}", customer.id, customer.email.unwrap_or_default());
//! }
//! let anna = client.create_customer(NewCustomer::new("anna@example.com")?.first_name("Anna"))?;
//! client.update_customer(anna.id, CustomerUpdate::new().last_name("Jules"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rules (answers, limits, timeouts, no redirects, retries) are the async client's too:
//! see [`call`](crate::call).

use std::time::Duration;

use cartwire_core::call::ureq::failure;
use cartwire_core::retry::RetryPolicy;

use crate::call::{Attempted, Call, Step};
pub use crate::call::{ClientError, DEFAULT_TIMEOUT};
use crate::request::{Api, CreateCustomer, Endpoint, GetCustomer, ListCustomers, UpdateCustomer};
use crate::{Customer, CustomerPage, CustomerUpdate, NewCustomer};

/// A blocking Cartfunnel API client: one ureq agent (connection pool), the API, a timeout
/// and a retry policy (none unless set).
///
/// Every method blocks the calling thread; from async code, call them through
/// `tokio::task::spawn_blocking` or use [`reqwest::Client`](crate::reqwest::Client) (see the
/// [module docs](self)).
#[derive(Debug, Clone)]
pub struct Client {
    api: Api,
    agent: ureq::Agent,
    retry: RetryPolicy,
}

impl Client {
    /// A client for `api` with the [`DEFAULT_TIMEOUT`], without retries.
    pub fn new(api: Api) -> Self {
        Self::with_timeout(api, DEFAULT_TIMEOUT)
    }

    /// A client whose attempts each time out after `timeout`, without retries.
    pub fn with_timeout(api: Api, timeout: Duration) -> Self {
        let agent = cartwire_core::call::ureq::agent(
            timeout,
            concat!("cartfunnel-client-types/", env!("CARGO_PKG_VERSION")),
        );
        Self {
            api,
            agent,
            retry: RetryPolicy::none(),
        }
    }

    /// Repeats calls that got no answer, under `policy` (creates only when nothing was sent:
    /// see [`call`](crate::call#retries)).
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The credentials and base URL.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The retry policy.
    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }

    /// Sends an endpoint's request and reads the answer.
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`] when the API answered with an error, [`ClientError::Transport`]
    /// when it could not be reached.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, ClientError> {
        let mut call = Call::new(&self.api, endpoint, self.retry);
        loop {
            let attempted = call.span().in_scope(|| self.attempt(&call));
            match call.next(attempted) {
                Step::Retry(wait) => std::thread::sleep(wait),
                Step::Done(result) => {
                    call.finish(&result);
                    return result;
                }
            }
        }
    }

    fn attempt<E: Endpoint>(&self, call: &Call<'_, E>) -> Attempted<E::Output> {
        let (request, has_body) = call.http_request().map_err(|err| (None, err))?;
        let sent = if has_body {
            self.agent.run(request)
        } else {
            // No body at all (not an empty one), so a GET goes out without Content-Length.
            self.agent.run(request.map(|_| ()))
        };
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => return call.transport(failure(&err), Box::new(err)),
        };
        let status = response.status().as_u16();
        let limit = u64::try_from(crate::decode::MAX_BODY_BYTES).unwrap_or(u64::MAX);
        match response.body_mut().with_config().limit(limit).read_to_vec() {
            Ok(body) => call.answer(status, &body),
            Err(ureq::Error::BodyExceedsLimit(_)) => call.too_large(),
            Err(err) => call.transport(failure(&err), Box::new(err)),
        }
    }

    /// One page of customers (1-based).
    ///
    /// # Errors
    ///
    /// As [`Client::send`].
    pub fn list_customers(&self, page: u32) -> Result<CustomerPage, ClientError> {
        self.send(&ListCustomers::page(page))
    }

    /// One customer.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; an unknown id is [`ApiError::Status`](crate::ApiError::Status) with 404.
    pub fn get_customer(&self, id: u64) -> Result<Customer, ClientError> {
        self.send(&GetCustomer::new(id))
    }

    /// Creates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`](crate::ApiError::NotSaved).
    pub fn create_customer(&self, customer: NewCustomer) -> Result<Customer, ClientError> {
        self.send(&CreateCustomer::new(customer))
    }

    /// Updates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`](crate::ApiError::NotSaved).
    pub fn update_customer(
        &self,
        id: u64,
        changes: CustomerUpdate,
    ) -> Result<Customer, ClientError> {
        self.send(&UpdateCustomer::new(id, changes))
    }

    /// The customer list, page by page from the first, until a page of fewer than 100.
    pub fn customer_pages(&self) -> CustomerPages<'_> {
        CustomerPages {
            client: self,
            next: Some(ListCustomers::first_page()),
        }
    }

    /// Every customer, fetching pages as needed. After an error the iteration ends.
    pub fn customers(&self) -> Customers<'_> {
        Customers {
            pages: self.customer_pages(),
            current: Vec::new().into_iter(),
        }
    }
}

/// The pages of the customer list; see [`Client::customer_pages`].
#[derive(Debug)]
pub struct CustomerPages<'a> {
    client: &'a Client,
    next: Option<ListCustomers>,
}

impl Iterator for CustomerPages<'_> {
    type Item = Result<CustomerPage, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        let request = self.next.take()?;
        match self.client.send(&request) {
            Ok(page) => {
                self.next = page.next_page().map(ListCustomers::page);
                Some(Ok(page))
            }
            Err(err) => Some(Err(err)),
        }
    }
}

/// Every customer; see [`Client::customers`].
#[derive(Debug)]
pub struct Customers<'a> {
    pages: CustomerPages<'a>,
    current: std::vec::IntoIter<Customer>,
}

impl Iterator for Customers<'_> {
    type Item = Result<Customer, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(customer) = self.current.next() {
                return Some(Ok(customer));
            }
            match self.pages.next()? {
                Ok(page) => self.current = page.customers.into_iter(),
                Err(err) => return Some(Err(err)),
            }
        }
    }
}
