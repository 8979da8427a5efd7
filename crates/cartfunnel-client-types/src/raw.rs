//! The undocumented resources (addresses, subscriptions, products, orders): typed paths and
//! raw JSON requests and answers, so a user is not stuck waiting for the vendor's docs.
//!
//! The paths follow the convention of the documented customers resource (Rails routes with a
//! `.json` suffix, nested under the customer where the vendor's page nests them):
//!
//! | resource                                     | path                                   |
//! |----------------------------------------------|----------------------------------------|
//! | [`Resource::CustomerAddresses`]              | `/customers/:customer_id/addresses.json` |
//! | [`Resource::CustomerAddress`]                | `/customers/:customer_id/addresses/:id.json` |
//! | [`Resource::CustomerSubscriptions`]          | `/customers/:customer_id/subscriptions.json` |
//! | [`Resource::CustomerSubscription`]           | `/customers/:customer_id/subscriptions/:id.json` |
//! | [`Resource::Products`], [`Resource::Product`] | `/products.json`, `/products/:id.json` |
//! | [`Resource::Orders`], [`Resource::Order`]     | `/orders.json`, `/orders/:id.json`     |
//!
//! They are educated guesses; when one turns out wrong, [`Resource::Other`] takes any path.
//! Answers go through the same rules as the typed endpoints (403, other statuses, a failed
//! save) and come back as [`serde_json::Value`].
//!
//! ```
//! use cartfunnel_client_types::raw::{RawRequest, Resource};
//! use cartfunnel_client_types::request::{Api, Credentials, Endpoint};
//! use cartfunnel_client_types::Secret;
//!
//! let api = Api::new(Credentials::new("myshop", Secret::new("s3cr3t"))?);
//! let orders = RawRequest::get(Resource::Orders).page(2);
//! assert_eq!(api.request(&orders).url(), "https://api.cartfunnel.net/v1/orders.json?page=2");
//! let json = orders.parse_response(200, br#"[{"id": 3200291, "total_price": "49.95"}]"#)?;
//! assert_eq!(json[0]["total_price"], "49.95");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use serde_json::Value;

use cartwire_core::Error;

use crate::ApiError;
use crate::decode;
use crate::request::{Endpoint, Method};

/// A resource of the API, by its path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resource {
    /// `/customers.json`
    Customers,
    /// `/customers/:id.json`
    Customer {
        /// The customer's id.
        id: u64,
    },
    /// `/customers/:customer_id/addresses.json`
    CustomerAddresses {
        /// The customer's id.
        customer_id: u64,
    },
    /// `/customers/:customer_id/addresses/:id.json`
    CustomerAddress {
        /// The customer's id.
        customer_id: u64,
        /// The address's id.
        id: u64,
    },
    /// `/customers/:customer_id/subscriptions.json`
    CustomerSubscriptions {
        /// The customer's id.
        customer_id: u64,
    },
    /// `/customers/:customer_id/subscriptions/:id.json`
    CustomerSubscription {
        /// The customer's id.
        customer_id: u64,
        /// The subscription's id.
        id: u64,
    },
    /// `/products.json`
    Products,
    /// `/products/:id.json`
    Product {
        /// The product's id.
        id: u64,
    },
    /// `/orders.json`
    Orders,
    /// `/orders/:id.json`
    Order {
        /// The order's id.
        id: u64,
    },
    /// Any other path.
    Other(RawPath),
}

impl Resource {
    /// The path after the base URL.
    pub fn path(&self) -> String {
        match self {
            Resource::Customers => "/customers.json".to_owned(),
            Resource::Customer { id } => format!("/customers/{id}.json"),
            Resource::CustomerAddresses { customer_id } => {
                format!("/customers/{customer_id}/addresses.json")
            }
            Resource::CustomerAddress { customer_id, id } => {
                format!("/customers/{customer_id}/addresses/{id}.json")
            }
            Resource::CustomerSubscriptions { customer_id } => {
                format!("/customers/{customer_id}/subscriptions.json")
            }
            Resource::CustomerSubscription { customer_id, id } => {
                format!("/customers/{customer_id}/subscriptions/{id}.json")
            }
            Resource::Products => "/products.json".to_owned(),
            Resource::Product { id } => format!("/products/{id}.json"),
            Resource::Orders => "/orders.json".to_owned(),
            Resource::Order { id } => format!("/orders/{id}.json"),
            Resource::Other(path) => path.as_str().to_owned(),
        }
    }

    /// Any other path, checked (see [`RawPath::new`]).
    ///
    /// # Errors
    ///
    /// As [`RawPath::new`].
    pub fn other(path: &str) -> Result<Self, Error> {
        RawPath::new(path).map(Resource::Other)
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// A path after the base URL for a resource this crate has no name for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawPath(String);

impl RawPath {
    /// Checks a path: it starts with `/`, and holds only letters, digits and `/ . - _ ~`, with
    /// no empty, `.` or `..` segment. Queries go through [`RawRequest::query`], which encodes
    /// them.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `path`.
    ///
    /// ```
    /// use cartfunnel_client_types::raw::RawPath;
    ///
    /// assert_eq!(RawPath::new("/products/7/variants.json")?.as_str(), "/products/7/variants.json");
    /// assert!(RawPath::new("products.json").is_err());
    /// assert!(RawPath::new("/../admin").is_err());
    /// assert!(RawPath::new("/orders.json?page=2").is_err());
    /// # Ok::<(), cartfunnel_client_types::Error>(())
    /// ```
    pub fn new(path: &str) -> Result<Self, Error> {
        let field = "path";
        let Some(rest) = path.strip_prefix('/') else {
            return Err(Error::malformed(field, "a path starts with `/`"));
        };
        if let Some(bad) = path
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | '~')))
        {
            return Err(Error::malformed(
                field,
                format!("a path holds letters, digits and / . - _ ~ only, found {bad:?}"),
            ));
        }
        if rest
            .split('/')
            .any(|segment| segment.is_empty() || segment == "." || segment == "..")
        {
            return Err(Error::malformed(
                field,
                "a path has no empty, `.` or `..` segment",
            ));
        }
        Ok(Self(path.to_owned()))
    }

    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request to any resource with a raw JSON body; the answer is raw JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RawRequest {
    /// The method.
    pub method: Method,
    /// The resource.
    pub resource: Resource,
    /// Query parameters, in order (URL-encoded when the request is built).
    pub query: Vec<(String, String)>,
    /// The JSON body.
    pub body: Option<Value>,
}

impl RawRequest {
    /// A request with no body and no query.
    pub fn new(method: Method, resource: Resource) -> Self {
        Self {
            method,
            resource,
            query: Vec::new(),
            body: None,
        }
    }

    /// `GET` the resource.
    pub fn get(resource: Resource) -> Self {
        Self::new(Method::Get, resource)
    }

    /// `POST` a body to the resource.
    pub fn post(resource: Resource, body: Value) -> Self {
        Self::new(Method::Post, resource).with_body(body)
    }

    /// `PATCH` the resource with a body.
    pub fn patch(resource: Resource, body: Value) -> Self {
        Self::new(Method::Patch, resource).with_body(body)
    }

    /// `DELETE` the resource.
    pub fn delete(resource: Resource) -> Self {
        Self::new(Method::Delete, resource)
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a query parameter.
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds `page=N` (0 is taken as 1), the customers list's pagination parameter.
    #[must_use]
    pub fn page(self, page: u32) -> Self {
        self.query("page", page.max(1).to_string())
    }
}

impl Endpoint for RawRequest {
    type Output = Value;

    fn method(&self) -> Method {
        self.method
    }

    fn path(&self) -> String {
        let mut path = self.resource.path();
        if !self.query.is_empty() {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(self.query.iter())
                .finish();
            path.push('?');
            path.push_str(&query);
        }
        path
    }

    fn body(&self) -> Option<Value> {
        self.body.clone()
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<Value, ApiError> {
        decode::json_response(status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_path() {
        let cases = [
            (Resource::Customers, "/customers.json"),
            (Resource::Customer { id: 9 }, "/customers/9.json"),
            (
                Resource::CustomerAddresses { customer_id: 9 },
                "/customers/9/addresses.json",
            ),
            (
                Resource::CustomerAddress {
                    customer_id: 9,
                    id: 2,
                },
                "/customers/9/addresses/2.json",
            ),
            (
                Resource::CustomerSubscriptions { customer_id: 9 },
                "/customers/9/subscriptions.json",
            ),
            (
                Resource::CustomerSubscription {
                    customer_id: 9,
                    id: 4,
                },
                "/customers/9/subscriptions/4.json",
            ),
            (Resource::Products, "/products.json"),
            (Resource::Product { id: 5 }, "/products/5.json"),
            (Resource::Orders, "/orders.json"),
            (Resource::Order { id: 6 }, "/orders/6.json"),
            (Resource::other("/shop.json").unwrap(), "/shop.json"),
        ];
        for (resource, path) in cases {
            assert_eq!(resource.path(), path);
            assert_eq!(resource.to_string(), path);
        }
    }

    #[test]
    fn bad_paths_are_refused() {
        for bad in [
            "", "x", "/", "//x", "/a//b", "/a/./b", "/a/../b", "/a b", "/a?b", "/a#b", "/é",
            "/a%2e",
        ] {
            assert_eq!(
                RawPath::new(bad).unwrap_err().field(),
                Some("path"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn queries_are_encoded_and_bodies_sent() {
        let request = RawRequest::get(Resource::Products)
            .query("q", "a&b c")
            .page(0);
        assert_eq!(request.path(), "/products.json?q=a%26b+c&page=1");
        let post = RawRequest::post(
            Resource::CustomerAddresses { customer_id: 1 },
            json!({"address": {"city": "Ottawa"}}),
        );
        assert_eq!(post.method(), Method::Post);
        assert_eq!(
            Endpoint::body(&post),
            Some(json!({"address": {"city": "Ottawa"}}))
        );
        assert_eq!(
            RawRequest::delete(Resource::Order { id: 1 }).method(),
            Method::Delete
        );
        assert_eq!(
            RawRequest::patch(Resource::Product { id: 1 }, json!({})).method(),
            Method::Patch
        );
    }

    #[test]
    fn answers_follow_the_common_rules() {
        let get = RawRequest::get(Resource::Orders);
        assert_eq!(get.parse_response(200, b"[]"), Ok(json!([])));
        assert!(matches!(
            get.parse_response(403, b""),
            Err(ApiError::Forbidden { .. })
        ));
        assert!(matches!(
            get.parse_response(200, br#"{"persisted": "false", "errors": ["Zip is invalid"]}"#),
            Err(ApiError::NotSaved { messages, .. }) if messages == ["Zip is invalid"]
        ));
        assert!(matches!(
            get.parse_response(200, b"<html>"),
            Err(ApiError::Decode(_))
        ));
    }
}
