//! A blocking client on [ureq](https://docs.rs/ureq) (feature `client`): it sends the
//! [`Endpoint`]s of this crate and reads their answers, and walks the customer list page by
//! page.
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
//! Any HTTP status is an answer, read by the endpoint: a 403 is
//! [`ApiError::Forbidden`], not a transport error. Bodies are read
//! up to [`MAX_BODY_BYTES`]. Every call has a timeout (30
//! seconds unless [`Client::with_timeout`] says otherwise). https uses rustls with the
//! webpki roots.

use std::time::Duration;

use crate::decode::MAX_BODY_BYTES;
use crate::request::{Api, CreateCustomer, Endpoint, GetCustomer, ListCustomers, UpdateCustomer};
use crate::{ApiError, Customer, CustomerPage, CustomerUpdate, NewCustomer};

/// The timeout of a whole call when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call through the [`Client`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The API answered, and the answer is an error (403, a failed save, a bad body…).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The request could not be sent or the answer not read (DNS, TLS, timeout, a body over
    /// the size limit).
    #[error("cannot reach the Cartfunnel API at {url}: {source}")]
    Transport {
        /// The URL called.
        url: String,
        /// What went wrong.
        #[source]
        source: Box<ureq::Error>,
    },
    /// The request could not be built (a URL that `http` refuses).
    #[error("cannot build the request to {url}: {source}")]
    Request {
        /// The URL.
        url: String,
        /// What went wrong.
        #[source]
        source: http::Error,
    },
}

impl ClientError {
    /// The API error, when the API answered.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(err) => Some(err),
            _ => None,
        }
    }
}

/// A blocking Cartfunnel API client.
#[derive(Debug, Clone)]
pub struct Client {
    api: Api,
    agent: ureq::Agent,
}

impl Client {
    /// A client for `api` with the [`DEFAULT_TIMEOUT`].
    pub fn new(api: Api) -> Self {
        Self::with_timeout(api, DEFAULT_TIMEOUT)
    }

    /// A client whose calls each time out after `timeout`.
    pub fn with_timeout(api: Api, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!(
                "cartfunnel-client-types/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        Self { api, agent }
    }

    /// The credentials and base URL.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Sends an endpoint's request and reads the answer.
    ///
    /// # Errors
    ///
    /// [`ClientError::Api`] when the API answered with an error, [`ClientError::Transport`]
    /// when it could not be reached.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, ClientError> {
        let request = self.api.request(endpoint);
        let url = request.url().to_owned();
        let has_body = request.body().is_some();
        let http_request = request.to_http().map_err(|source| ClientError::Request {
            url: url.clone(),
            source,
        })?;
        let transport = |source: ureq::Error| ClientError::Transport {
            url: url.clone(),
            source: Box::new(source),
        };
        let mut response = if has_body {
            self.agent.run(http_request).map_err(transport)?
        } else {
            // No body at all (not an empty one), so a GET goes out without Content-Length.
            self.agent
                .run(http_request.map(|_| ()))
                .map_err(transport)?
        };
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(transport)?;
        Ok(endpoint.parse_response(status, &body)?)
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
    /// As [`Client::send`]; an unknown id is [`ApiError::Status`] with 404.
    pub fn get_customer(&self, id: u64) -> Result<Customer, ClientError> {
        self.send(&GetCustomer::new(id))
    }

    /// Creates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`].
    pub fn create_customer(&self, customer: NewCustomer) -> Result<Customer, ClientError> {
        self.send(&CreateCustomer::new(customer))
    }

    /// Updates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`].
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
