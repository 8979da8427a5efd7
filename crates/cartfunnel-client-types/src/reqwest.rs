//! An async client on [reqwest](https://docs.rs/reqwest) (feature `reqwest`; https with rustls
//! and the webpki roots, no native TLS or OpenSSL): the same client as the blocking
//! [`client::Client`](crate::client::Client), method for method, as `async fn`s, with the
//! customer list page by page as a [`Stream`].
//!
//! Both clients share every rule (see [`call`](crate::call)): any status is an answer read by
//! the endpoint, no redirects, the timeout and size limit, the opt-in retries.
//!
//! ```no_run
//! use cartfunnel_client_types::reqwest::Client;
//! use cartfunnel_client_types::{Api, Credentials, CustomerUpdate, NewCustomer, RetryPolicy, Secret};
//! use futures_util::TryStreamExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = Secret::new(std::env::var("CARTFUNNEL_API_SECRET")?);
//! let client = Client::new(Api::new(Credentials::new("myshop", secret)?))
//!     .with_retry(RetryPolicy::attempts(3));
//!
//! let mut pages = client.customer_pages();
//! while let Some(page) = pages.try_next().await? {
//!     println!("page {}: {} customers", page.page, page.customers.len());
//! }
//! let anna = client.create_customer(NewCustomer::new("anna@example.com")?.first_name("Anna")).await?;
//! client.update_customer(anna.id, CustomerUpdate::new().last_name("Jules")).await?;
//! # Ok(()) }
//! ```

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use cartwire_core::call::reqwest::{failure, read_limited};
use cartwire_core::retry::RetryPolicy;
use futures_core::Stream;

use crate::call::{Attempted, Call, Step};
pub use crate::call::{ClientError, DEFAULT_TIMEOUT};
use crate::decode::MAX_BODY_BYTES;
use crate::request::{Api, CreateCustomer, Endpoint, GetCustomer, ListCustomers, UpdateCustomer};
use crate::{Customer, CustomerPage, CustomerUpdate, NewCustomer};

/// The pages of the customer list, as a [`Stream`]; see [`Client::customer_pages`]. Boxed, so
/// that it can be named, stored and polled without pinning it first.
pub type CustomerPages<'a> =
    Pin<Box<dyn Stream<Item = Result<CustomerPage, ClientError>> + Send + 'a>>;

/// Every customer, as a [`Stream`]; see [`Client::customers`].
pub type Customers<'a> = Pin<Box<dyn Stream<Item = Result<Customer, ClientError>> + Send + 'a>>;

/// An async Cartfunnel API client: one reqwest client (connection pool), the API, a timeout
/// and a retry policy (none unless set). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    api: Api,
    http: Result<::reqwest::Client, Arc<str>>,
    retry: RetryPolicy,
}

impl Client {
    /// A client for `api` with the [`DEFAULT_TIMEOUT`], without retries.
    pub fn new(api: Api) -> Self {
        Self::with_timeout(api, DEFAULT_TIMEOUT)
    }

    /// A client whose attempts each time out after `timeout`, without retries.
    pub fn with_timeout(api: Api, timeout: Duration) -> Self {
        let http = cartwire_core::call::reqwest::client(
            timeout,
            concat!("cartfunnel-client-types/", env!("CARGO_PKG_VERSION")),
        )
        .map_err(|err| Arc::from(format!("cannot set up the HTTP client: {err}")));
        Self {
            api,
            http,
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
    /// when it could not be reached (or the TLS backend could not be set up when the client
    /// was built).
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, ClientError> {
        let mut call = Call::new(&self.api, endpoint, self.retry);
        loop {
            let attempted = self.attempt(&call).await;
            match call.next(attempted) {
                Step::Retry(wait) => tokio::time::sleep(wait).await,
                Step::Done(result) => {
                    call.finish(&result);
                    return result;
                }
            }
        }
    }

    async fn attempt<E: Endpoint>(&self, call: &Call<'_, E>) -> Attempted<E::Output> {
        let http = match &self.http {
            Ok(http) => http,
            Err(message) => return call.transport(None, message.as_ref().into()),
        };
        let (request, has_body) = call.http_request().map_err(|err| (None, err))?;
        let (parts, body) = request.into_parts();
        let mut builder = http
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers);
        if has_body {
            builder = builder.body(body);
        }
        let sent = call.span().in_scope_async(builder.send()).await;
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => return call.transport(failure(&err), Box::new(err)),
        };
        let status = response.status().as_u16();
        let read = read_limited(&mut response, MAX_BODY_BYTES);
        match call.span().in_scope_async(read).await {
            Ok(Some(body)) => call.answer(status, &body),
            Ok(None) => call.too_large(),
            Err(err) => call.transport(failure(&err), Box::new(err)),
        }
    }

    /// One page of customers (1-based).
    ///
    /// # Errors
    ///
    /// As [`Client::send`].
    pub async fn list_customers(&self, page: u32) -> Result<CustomerPage, ClientError> {
        self.send(&ListCustomers::page(page)).await
    }

    /// One customer.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; an unknown id is [`ApiError::Status`](crate::ApiError::Status)
    /// with 404.
    pub async fn get_customer(&self, id: u64) -> Result<Customer, ClientError> {
        self.send(&GetCustomer::new(id)).await
    }

    /// Creates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`](crate::ApiError::NotSaved).
    pub async fn create_customer(&self, customer: NewCustomer) -> Result<Customer, ClientError> {
        self.send(&CreateCustomer::new(customer)).await
    }

    /// Updates a customer and returns it as saved.
    ///
    /// # Errors
    ///
    /// As [`Client::send`]; a refused save is [`ApiError::NotSaved`](crate::ApiError::NotSaved).
    pub async fn update_customer(
        &self,
        id: u64,
        changes: CustomerUpdate,
    ) -> Result<Customer, ClientError> {
        self.send(&UpdateCustomer::new(id, changes)).await
    }

    /// The customer list, page by page from the first, until a page of fewer than 100; a page
    /// is fetched when polled for. After an error the stream ends.
    pub fn customer_pages(&self) -> CustomerPages<'_> {
        let first = Some(ListCustomers::first_page());
        Box::pin(futures_util::stream::unfold(
            first,
            move |next| async move {
                let request = next?;
                match self.send(&request).await {
                    Ok(page) => {
                        let next = page.next_page().map(ListCustomers::page);
                        Some((Ok(page), next))
                    }
                    Err(err) => Some((Err(err), None)),
                }
            },
        ))
    }

    /// Every customer, fetching pages as needed. After an error the stream ends.
    pub fn customers(&self) -> Customers<'_> {
        use futures_util::StreamExt as _;
        Box::pin(self.customer_pages().flat_map(|page| {
            let items: Vec<Result<Customer, ClientError>> = match page {
                Ok(page) => page.customers.into_iter().map(Ok).collect(),
                Err(err) => vec![Err(err)],
            };
            futures_util::stream::iter(items)
        }))
    }
}
