//! [`Delivery`]s from [`http::Request`]s, and building the requests that deliver a payload
//! (feature `http`).
//!
//! `Delivery::from(&request)` borrows everything (method, path and query, headers, body) from
//! a request whose body is already read (`http::Request<B>` with `B: AsRef<[u8]>`: `Vec<u8>`,
//! `Bytes`, `String`…); a [`Receiver`](crate::Receiver) takes it from there. [`delivery`]
//! builds the request a vendor's server makes, for testing a receiver.
//!
//! ```
//! use cartwire_core::Delivery;
//!
//! let request = http::Request::post("/hook?token=t")
//!     .header("X-Sig", "ab12")
//!     .body(b"command=REMOVE&email=a%40b.c".to_vec())?;
//! let delivery = Delivery::from(&request);
//! assert_eq!(delivery.method(), "POST");
//! assert_eq!(delivery.query(), "token=t");
//! assert_eq!(delivery.header_value("x-sig")?, Some("ab12"));
//! assert_eq!(delivery.posted_body()?, b"command=REMOVE&email=a%40b.c");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use http::{Method, Request};

use crate::{Delivery, Error};

/// The content type of form bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The content type of JSON bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json";

impl<'a, B: AsRef<[u8]>> From<&'a Request<B>> for Delivery<'a> {
    fn from(request: &'a Request<B>) -> Self {
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", http::uri::PathAndQuery::as_str);
        let mut delivery =
            Delivery::new(request.method().as_str(), target).body(request.body().as_ref());
        for (name, value) in request.headers() {
            delivery = delivery.header(name.as_str(), value.as_bytes());
        }
        delivery
    }
}

/// A request delivering a payload: `method` to `url` with the given headers and body. The
/// protocol crates' `delivery` functions build their vendor's request with it.
///
/// # Errors
///
/// [`Error::Malformed`] naming `url` when `http` refuses the URL, or naming the header whose
/// name or value it refuses.
pub fn delivery(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Request<Vec<u8>>, Error> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| Error::malformed("url", e))?;
    let mut request = Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    for (name, value) in headers {
        let name: http::HeaderName = name
            .parse()
            .map_err(|_| Error::malformed(*name, "not a valid header name"))?;
        let value = http::HeaderValue::from_str(value)
            .map_err(|_| Error::malformed(name.as_str(), "not a valid header value"))?;
        request.headers_mut().append(name, value);
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ErrorKind;

    fn request(method: Method, uri: &str, body: &[u8]) -> Request<Vec<u8>> {
        let mut request = Request::new(body.to_vec());
        *request.method_mut() = method;
        *request.uri_mut() = uri.parse().unwrap();
        request
    }

    #[test]
    fn requests_become_deliveries() {
        let mut r = request(Method::PUT, "http://x.test/h?a=1&b=%20", b"body");
        r.headers_mut()
            .insert("x-sig", http::HeaderValue::from_static("abc"));
        r.headers_mut()
            .insert("x-bin", http::HeaderValue::from_bytes(&[0xff]).unwrap());
        let d = Delivery::from(&r);
        assert_eq!(d.method(), "PUT");
        assert_eq!(d.target(), "/h?a=1&b=%20");
        assert_eq!(d.query(), "a=1&b=%20");
        assert_eq!(d.posted_body().unwrap(), b"body");
        assert_eq!(d.header_value("X-Sig").unwrap(), Some("abc"));
        assert_eq!(d.header_value("x-bin").unwrap_err().field(), Some("x-bin"));
        let r = request(Method::GET, "/h", b"");
        assert_eq!(Delivery::from(&r).query_or_body().unwrap(), b"");
        let err = Delivery::from(&request(Method::DELETE, "/h", b""))
            .query_or_body()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
    }

    #[test]
    fn delivery_builds_the_request_or_names_the_fault() {
        let r = delivery(
            Method::POST,
            "http://127.0.0.1:8080/hook?t=1",
            &[("Content-Type", FORM_CONTENT_TYPE)],
            b"a=1".to_vec(),
        )
        .unwrap();
        assert_eq!(r.method(), Method::POST);
        assert_eq!(r.uri(), "http://127.0.0.1:8080/hook?t=1");
        assert_eq!(r.headers()["content-type"], FORM_CONTENT_TYPE);
        assert_eq!(r.body(), b"a=1");

        let err = delivery(Method::GET, "http://x test/", &[], Vec::new()).unwrap_err();
        assert_eq!(err.field(), Some("url"));
        let err = delivery(Method::GET, "/h", &[("bad name", "v")], Vec::new()).unwrap_err();
        assert_eq!(err.field(), Some("bad name"));
        let err = delivery(Method::GET, "/h", &[("x-a", "line\nbreak")], Vec::new()).unwrap_err();
        assert_eq!(err.field(), Some("x-a"));
    }
}
