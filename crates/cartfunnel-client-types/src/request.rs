//! Building API calls without doing I/O: credentials, the base URL, the [`Endpoint`]s, and the
//! [`ApiRequest`] they produce (method, URL, headers, body).
//!
//! Each endpoint knows its request and how to read its answer, so any HTTP stack works:
//!
//! ```
//! use cartfunnel_client_types::request::{Api, Credentials, Endpoint, GetCustomer};
//! use cartfunnel_client_types::Secret;
//!
//! let api = Api::new(Credentials::new("myshop", Secret::new("cf_live_0123456789abcdef"))?);
//! let get = GetCustomer::new(92310);
//! let request = api.request(&get);
//! assert_eq!(request.method().as_str(), "GET");
//! assert_eq!(request.url(), "https://api.cartfunnel.net/v1/customers/92310.json");
//! assert!(request.headers().contains(&("X-CARTFUNNEL-ACCOUNT", "myshop")));
//! assert!(!format!("{request:?}").contains("cf_live")); // the secret never shows
//!
//! // … send it with any HTTP client, then:
//! let (status, body) = (200, br#"{"id": 92310, "email": "joe@example.com", "persisted": "true"}"#);
//! let customer = get.parse_response(status, body)?;
//! assert_eq!(customer.email.as_deref(), Some("joe@example.com"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Decisions where the vendor is silent
//!
//! * Every request carries `Accept: application/json`; `Content-Type: application/json` goes
//!   with a body only (a GET has none).
//! * The account is the subdomain alone (`myshop`, not `myshop.cartfunnel.net`); it and the
//!   secret are checked to be valid header values when [`Credentials`] are built, so building
//!   a request cannot fail later.
//! * The vendor's example URL for PATCH lacks the id; the real path is
//!   `/customers/:id.json` (PROTOCOLS.md).
//! * The first page is requested without a `page` parameter, as the vendor's list example
//!   does; later pages carry `?page=N`. Page 0 is taken as page 1.

use core::fmt;
use core::str::FromStr;

use serde_json::Value;

use cartwire_core::{Error, Secret};

use crate::{ApiError, Customer, CustomerPage, CustomerUpdate, NewCustomer, decode};

/// The production endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.cartfunnel.net/v1";
/// The header naming the account (the shop's subdomain).
pub const ACCOUNT_HEADER: &str = "X-CARTFUNNEL-ACCOUNT";
/// The header carrying the API secret.
pub const API_SECRET_HEADER: &str = "X-CARTFUNNEL-API-SECRET";
/// The media type of request bodies (responses may say `text/json` too; both are read).
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Read.
    Get,
    /// Create.
    Post,
    /// Update.
    Patch,
    /// Destroy (no documented resource allows it yet; for [`RawRequest`](crate::raw::RawRequest)).
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The API's base URL: production by default, or an emulator's or a proxy's.
///
/// ```
/// use cartfunnel_client_types::request::BaseUrl;
///
/// assert_eq!(BaseUrl::default().as_str(), "https://api.cartfunnel.net/v1");
/// assert_eq!(BaseUrl::parse("http://127.0.0.1:8080/v1/")?.as_str(), "http://127.0.0.1:8080/v1");
/// assert!(BaseUrl::parse("api.cartfunnel.net/v1").is_err());
/// assert!(BaseUrl::parse("https://x.test/v1?debug=1").is_err());
/// # Ok::<(), cartfunnel_client_types::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks a base URL: `http://` or `https://`, a host, an optional path, no query or
    /// fragment, no white space. A trailing `/` is dropped.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `base_url`.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let field = "base_url";
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| Error::malformed(field, "expected an http:// or https:// URL"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(Error::malformed(field, "the URL has no host"));
        }
        if let Some(bad) = url
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
        {
            return Err(Error::malformed(
                field,
                format!("the URL may not contain {bad:?} (no query, fragment or white space)"),
            ));
        }
        Ok(Self(url.trim_end_matches('/').to_owned()))
    }

    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self(DEFAULT_BASE_URL.to_owned())
    }
}

impl FromStr for BaseUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The account (subdomain) and API secret every call carries. The secret never shows in
/// `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    account: String,
    api_secret: Secret,
}

impl Credentials {
    /// Credentials for the shop at `https://ACCOUNT.cartfunnel.net`.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `account` (empty, or not a bare subdomain) or
    /// `api_secret` (empty, or holding characters a header cannot carry).
    ///
    /// ```
    /// use cartfunnel_client_types::request::Credentials;
    /// use cartfunnel_client_types::Secret;
    ///
    /// assert!(Credentials::new("myshop", Secret::new("s3cr3t")).is_ok());
    /// let err = Credentials::new("myshop.cartfunnel.net", Secret::new("s3cr3t")).unwrap_err();
    /// assert_eq!(err.field(), Some("account"));
    /// let err = Credentials::new("myshop", Secret::new("")).unwrap_err();
    /// assert_eq!(err.field(), Some("api_secret"));
    /// ```
    pub fn new(account: impl Into<String>, api_secret: Secret) -> Result<Self, Error> {
        let account = account.into().trim().to_owned();
        if account.is_empty() {
            return Err(Error::missing("account"));
        }
        if !account
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(Error::malformed(
                "account",
                format!(
                    "expected the shop's subdomain alone (for https://myshop.cartfunnel.net, `myshop`), found {account:?}"
                ),
            ));
        }
        if api_secret.is_empty() {
            return Err(Error::missing("api_secret"));
        }
        if !api_secret
            .expose_bytes()
            .iter()
            .all(|b| (0x21..=0x7e).contains(b))
        {
            // The message must not quote the secret.
            return Err(Error::malformed(
                "api_secret",
                "the secret has white space or non-ASCII characters, which a header cannot carry",
            ));
        }
        Ok(Self {
            account,
            api_secret,
        })
    }

    /// The account (subdomain).
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The API secret.
    pub fn api_secret(&self) -> &Secret {
        &self.api_secret
    }
}

/// Where and as whom to call: credentials plus a base URL. Turns [`Endpoint`]s into
/// [`ApiRequest`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    credentials: Credentials,
    base_url: BaseUrl,
}

impl Api {
    /// The production API with these credentials.
    pub fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            base_url: BaseUrl::default(),
        }
    }

    /// The same, at another base URL (an emulator, a recording proxy).
    #[must_use]
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url;
        self
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The HTTP request for an endpoint.
    pub fn request<E: Endpoint + ?Sized>(&self, endpoint: &E) -> ApiRequest {
        ApiRequest {
            method: endpoint.method(),
            url: format!("{}{}", self.base_url.as_str(), endpoint.path()),
            account: self.credentials.account.clone(),
            api_secret: self.credentials.api_secret.clone(),
            body: endpoint.body().map(|json| json.to_string().into_bytes()),
        }
    }
}

/// One HTTP request to the API: method, URL, headers and body, ready for any HTTP client.
///
/// Its `Debug` output shows the secret header as redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    method: Method,
    url: String,
    account: String,
    api_secret: Secret,
    body: Option<Vec<u8>>,
}

impl ApiRequest {
    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The JSON body, if the request has one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The headers to send, in order: account, API secret, `Accept`, and `Content-Type` when
    /// there is a body.
    ///
    /// This hands out the secret (as the value of [`API_SECRET_HEADER`]): put it on the wire,
    /// not in a log.
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut headers = vec![
            (ACCOUNT_HEADER, self.account.as_str()),
            (API_SECRET_HEADER, self.api_secret.expose()),
            ("Accept", JSON_CONTENT_TYPE),
        ];
        if self.body.is_some() {
            headers.push(("Content-Type", JSON_CONTENT_TYPE));
        }
        headers
    }

    /// The same request as an [`http::Request`], the secret header marked sensitive.
    ///
    /// # Errors
    ///
    /// [`http::Error`] if the URL is not one `http` accepts (a [`BaseUrl`] with a malformed
    /// host, say); headers cannot fail, [`Credentials`] checked them.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http(&self) -> Result<http::Request<Vec<u8>>, http::Error> {
        let method = match self.method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        };
        let mut builder = http::Request::builder().method(method).uri(&self.url);
        for (name, value) in self.headers() {
            let mut value = http::HeaderValue::from_str(value)?;
            if name == API_SECRET_HEADER {
                value.set_sensitive(true);
            }
            builder = builder.header(name, value);
        }
        builder.body(self.body.clone().unwrap_or_default())
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("account", &self.account)
            .field("api_secret", &self.api_secret)
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
            .finish()
    }
}

/// One API operation: how to ask, and how to read the answer.
///
/// Implemented by the customer endpoints of this module and by
/// [`RawRequest`](crate::raw::RawRequest); implement it for an endpoint this crate does not
/// know yet.
pub trait Endpoint {
    /// What a successful answer decodes into.
    type Output;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// The path and query after the base URL, starting with `/` (`/customers.json?page=2`).
    fn path(&self) -> String;

    /// The JSON body, if any.
    fn body(&self) -> Option<Value> {
        None
    }

    /// Reads the answer: its status code and raw body.
    ///
    /// # Errors
    ///
    /// See [`ApiError`]: 403, other non-2xx statuses, an unsaved record, or a body that does
    /// not decode.
    fn parse_response(&self, status: u16, body: &[u8]) -> Result<Self::Output, ApiError>;

    /// Reads an [`http::Response`].
    ///
    /// # Errors
    ///
    /// As [`Endpoint::parse_response`].
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    fn parse_http_response<B: AsRef<[u8]>>(
        &self,
        response: &http::Response<B>,
    ) -> Result<Self::Output, ApiError>
    where
        Self: Sized,
    {
        self.parse_response(response.status().as_u16(), response.body().as_ref())
    }
}

/// `GET /customers.json[?page=N]`: one page of up to 100 customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ListCustomers {
    /// The page; `None` asks for the first without a `page` parameter.
    pub page: Option<u32>,
}

impl ListCustomers {
    /// The first page.
    pub fn first_page() -> Self {
        Self { page: None }
    }

    /// Page `page` (1-based; 0 is taken as 1).
    pub fn page(page: u32) -> Self {
        Self {
            page: Some(page.max(1)),
        }
    }

    /// The page number this asks for.
    pub fn page_number(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }
}

impl Endpoint for ListCustomers {
    type Output = CustomerPage;

    fn method(&self) -> Method {
        Method::Get
    }

    fn path(&self) -> String {
        match self.page {
            None => "/customers.json".to_owned(),
            Some(_) => format!("/customers.json?page={}", self.page_number()),
        }
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<CustomerPage, ApiError> {
        decode::customer_page_response(self.page_number(), status, body)
    }
}

/// `GET /customers/:id.json`: one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct GetCustomer {
    /// The customer's id.
    pub id: u64,
}

impl GetCustomer {
    /// The customer with this id.
    pub fn new(id: u64) -> Self {
        Self { id }
    }
}

impl Endpoint for GetCustomer {
    type Output = Customer;

    fn method(&self) -> Method {
        Method::Get
    }

    fn path(&self) -> String {
        format!("/customers/{}.json", self.id)
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<Customer, ApiError> {
        decode::customer_response(status, body)
    }
}

/// `POST /customers.json`: create a customer; answers with the saved customer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreateCustomer {
    /// What to create.
    pub customer: NewCustomer,
}

impl CreateCustomer {
    /// Creates this customer.
    pub fn new(customer: NewCustomer) -> Self {
        Self { customer }
    }
}

impl Endpoint for CreateCustomer {
    type Output = Customer;

    fn method(&self) -> Method {
        Method::Post
    }

    fn path(&self) -> String {
        "/customers.json".to_owned()
    }

    fn body(&self) -> Option<Value> {
        Some(self.customer.to_body())
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<Customer, ApiError> {
        decode::customer_response(status, body)
    }
}

/// `PATCH /customers/:id.json`: change a customer; answers with the customer as saved.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UpdateCustomer {
    /// The customer's id.
    pub id: u64,
    /// The changes (only the attributes set are sent).
    pub changes: CustomerUpdate,
}

impl UpdateCustomer {
    /// Applies `changes` to the customer `id`.
    pub fn new(id: u64, changes: CustomerUpdate) -> Self {
        Self { id, changes }
    }
}

impl Endpoint for UpdateCustomer {
    type Output = Customer;

    fn method(&self) -> Method {
        Method::Patch
    }

    fn path(&self) -> String {
        format!("/customers/{}.json", self.id)
    }

    fn body(&self) -> Option<Value> {
        Some(self.changes.to_body())
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<Customer, ApiError> {
        decode::customer_response(status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api() -> Api {
        Api::new(Credentials::new("myshop", Secret::new("cf_secret_xyz")).unwrap())
    }

    #[test]
    fn list_get_create_update_requests() {
        let api = api();
        let first = api.request(&ListCustomers::first_page());
        assert_eq!(first.method(), Method::Get);
        assert_eq!(first.url(), "https://api.cartfunnel.net/v1/customers.json");
        assert_eq!(first.body(), None);
        assert_eq!(
            first.headers(),
            [
                ("X-CARTFUNNEL-ACCOUNT", "myshop"),
                ("X-CARTFUNNEL-API-SECRET", "cf_secret_xyz"),
                ("Accept", "application/json"),
            ]
        );
        assert_eq!(
            api.request(&ListCustomers::page(2)).url(),
            "https://api.cartfunnel.net/v1/customers.json?page=2"
        );
        assert_eq!(
            api.request(&ListCustomers::page(0)).url(),
            "https://api.cartfunnel.net/v1/customers.json?page=1"
        );
        assert_eq!(
            api.request(&GetCustomer::new(92310)).url(),
            "https://api.cartfunnel.net/v1/customers/92310.json"
        );

        let create = api.request(&CreateCustomer::new(
            NewCustomer::new("anna.benning@example.com")
                .unwrap()
                .first_name("Anna")
                .last_name("Benning"),
        ));
        assert_eq!(create.method(), Method::Post);
        assert_eq!(create.url(), "https://api.cartfunnel.net/v1/customers.json");
        let body: Value = serde_json::from_slice(create.body().unwrap()).unwrap();
        // The vendor's example request body.
        let fixture: Value =
            serde_json::from_str(include_str!("../tests/fixtures/create_request.json")).unwrap();
        assert_eq!(body, fixture);
        assert!(
            create
                .headers()
                .contains(&("Content-Type", "application/json"))
        );

        let update = api.request(&UpdateCustomer::new(
            32199,
            CustomerUpdate::new().first_name("Anna").last_name("Jules"),
        ));
        assert_eq!(update.method(), Method::Patch);
        assert_eq!(
            update.url(),
            "https://api.cartfunnel.net/v1/customers/32199.json"
        );
        let body: Value = serde_json::from_slice(update.body().unwrap()).unwrap();
        let fixture: Value =
            serde_json::from_str(include_str!("../tests/fixtures/update_request.json")).unwrap();
        assert_eq!(body, fixture);
    }

    #[test]
    fn base_url_is_configurable() {
        let api = api().with_base_url(BaseUrl::parse("http://127.0.0.1:4000/v1/").unwrap());
        assert_eq!(
            api.request(&GetCustomer::new(1)).url(),
            "http://127.0.0.1:4000/v1/customers/1.json"
        );
        for bad in [
            "",
            "ftp://x/v1",
            "https://",
            "https:///v1",
            "https://a b/v1",
            "https://x/v1#f",
        ] {
            assert_eq!(
                BaseUrl::parse(bad).unwrap_err().field(),
                Some("base_url"),
                "{bad:?}"
            );
        }
        assert_eq!(
            "https://x.test".parse::<BaseUrl>().unwrap().to_string(),
            "https://x.test"
        );
    }

    #[test]
    fn credentials_are_checked_and_never_printed() {
        for bad in [
            "",
            "my shop",
            "myshop.cartfunnel.net",
            "https://myshop",
            "sh\nop",
        ] {
            let err = Credentials::new(bad, Secret::new("s")).unwrap_err();
            assert_eq!(err.field(), Some("account"), "{bad:?}");
        }
        for bad in ["", "has space", "tab\there", "ünïcode", "line\r\nX-Evil: 1"] {
            let err = Credentials::new("myshop", Secret::new(bad)).unwrap_err();
            assert_eq!(err.field(), Some("api_secret"), "{bad:?}");
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad));
            }
        }
        let api = api();
        assert!(!format!("{api:?}").contains("cf_secret_xyz"));
        let request = api.request(&CreateCustomer::new(NewCustomer::new("a@b.c").unwrap()));
        let debug = format!("{request:?}");
        assert!(!debug.contains("cf_secret_xyz"), "{debug}");
        assert!(debug.contains("a@b.c"), "{debug}");
    }

    #[test]
    fn endpoints_read_their_answers() {
        let page = ListCustomers::page(3)
            .parse_response(200, br#"[{"id": 1}, {"id": 2}]"#)
            .unwrap();
        assert_eq!(page.page, 3);
        assert!(page.is_last());
        let saved = GetCustomer::new(1)
            .parse_response(200, br#"{"id": 1, "persisted": "true"}"#)
            .unwrap();
        assert_eq!(saved.id, 1);
        let err = UpdateCustomer::new(1, CustomerUpdate::new().note("x"))
            .parse_response(200, br#"{"id": 1, "persisted": "true", "errors": ["Bad"]}"#)
            .unwrap_err();
        assert_eq!(
            err,
            ApiError::NotSaved {
                messages: vec!["Bad".into()],
                record: Box::new(json!({"id": 1, "persisted": "true", "errors": ["Bad"]})),
            }
        );
    }

    #[cfg(feature = "http")]
    #[test]
    fn as_http_request() {
        let request = api()
            .request(&UpdateCustomer::new(5, CustomerUpdate::new().note("hi")))
            .to_http()
            .unwrap();
        assert_eq!(request.method(), http::Method::PATCH);
        assert_eq!(
            request.uri().to_string(),
            "https://api.cartfunnel.net/v1/customers/5.json"
        );
        assert_eq!(request.headers()["x-cartfunnel-account"], "myshop");
        assert!(request.headers()["x-cartfunnel-api-secret"].is_sensitive());
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.body(), br#"{"customer":{"note":"hi"}}"#);
        let response = http::Response::builder()
            .status(403)
            .body(b"Forbidden".to_vec())
            .unwrap();
        assert!(matches!(
            GetCustomer::new(5).parse_http_response(&response),
            Err(ApiError::Forbidden { .. })
        ));
    }
}
