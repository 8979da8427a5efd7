//! Reading a notification's wire input from an [`http::Request`], and building the requests
//! that deliver one (feature `http`).
//!
//! The protocol crates' `http` modules are thin layers over these helpers: each knows which
//! methods its vendor uses and where the payload sits.
//!
//! # Decisions
//!
//! * **GET and HEAD** carry the payload in the URI's query (without the `?`; an absent query
//!   is empty input). Their body, if any, is ignored.
//! * **POST, PUT and PATCH** carry it in the body. The query is not merged in: a hash checked
//!   over the body and a field read from the URL is a forgery waiting to happen.
//! * **Any other method** is [`Error::Malformed`] naming the field `method`: there is no
//!   notification in a `DELETE`. (An HTTP server would rather answer 405; the error kinds
//!   are shared with the decoders, so this maps to 400, which every sender treats as a
//!   refusal.)
//! * A header value that is not visible ASCII is malformed, naming the header.
//!
//! ```
//! use cartwire_core::http::{body, query_or_body};
//!
//! let get = http::Request::get("/hook?command=REMOVE&email=a%40b.c").body(Vec::new())?;
//! assert_eq!(query_or_body(&get)?, b"command=REMOVE&email=a%40b.c");
//!
//! let post = http::Request::post("/hook?ignored=1").body(b"command=CREATE".to_vec())?;
//! assert_eq!(query_or_body(&post)?, b"command=CREATE");
//! assert!(body(&get).is_err()); // a GET has no body to read a POST-only protocol from
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use http::{Method, Request};

use crate::Error;

/// The content type of form bodies.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The content type of JSON bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json";

fn carries_body(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH)
}

fn reads_query(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

fn wrong_method(found: &Method, expected: &str) -> Error {
    Error::malformed("method", format!("expected {expected}, found {found}"))
}

/// The request's query string, without the `?` (empty when there is none).
pub fn query<B>(request: &Request<B>) -> &str {
    request.uri().query().unwrap_or_default()
}

/// The wire input of a protocol that is delivered both ways: the query of a GET or HEAD, the
/// body of a POST, PUT or PATCH (see the [module docs](self)).
///
/// # Errors
///
/// [`Error::Malformed`] naming `method` for any other method.
pub fn query_or_body<B: AsRef<[u8]>>(request: &Request<B>) -> Result<&[u8], Error> {
    let method = request.method();
    if reads_query(method) {
        Ok(query(request).as_bytes())
    } else if carries_body(method) {
        Ok(request.body().as_ref())
    } else {
        Err(wrong_method(method, "GET or POST"))
    }
}

/// The body of a POST, PUT or PATCH: the wire input of a protocol that is only ever posted.
///
/// # Errors
///
/// [`Error::Malformed`] naming `method` for a GET or any other method without a body.
pub fn body<B: AsRef<[u8]>>(request: &Request<B>) -> Result<&[u8], Error> {
    let method = request.method();
    if carries_body(method) {
        Ok(request.body().as_ref())
    } else {
        Err(wrong_method(method, "POST"))
    }
}

/// A header's value as text, `None` when absent.
///
/// # Errors
///
/// [`Error::Malformed`] naming the header when its value is not visible ASCII.
pub fn header<'a, B>(request: &'a Request<B>, name: &str) -> Result<Option<&'a str>, Error> {
    match request.headers().get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| Error::malformed(name, "the header value is not visible ASCII")),
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
    fn get_and_head_read_the_query() {
        for method in [Method::GET, Method::HEAD] {
            let r = request(method, "http://x.test/h?a=1&b=%20", b"body ignored");
            assert_eq!(query_or_body(&r).unwrap(), b"a=1&b=%20");
        }
        let r = request(Method::GET, "/h", b"");
        assert_eq!(query_or_body(&r).unwrap(), b"");
        assert_eq!(query(&r), "");
    }

    #[test]
    fn posts_read_the_body_only() {
        for method in [Method::POST, Method::PUT, Method::PATCH] {
            let r = request(method, "/h?from=url", b"from=body");
            assert_eq!(query_or_body(&r).unwrap(), b"from=body");
            assert_eq!(body(&r).unwrap(), b"from=body");
        }
    }

    #[test]
    fn other_methods_are_malformed_naming_the_method() {
        let r = request(Method::DELETE, "/h?a=1", b"a=1");
        let err = query_or_body(&r).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some("method"));
        assert_eq!(
            err.to_string(),
            "field `method`: expected GET or POST, found DELETE"
        );
        let err = body(&request(Method::GET, "/h?a=1", b"")).unwrap_err();
        assert_eq!(err.to_string(), "field `method`: expected POST, found GET");
    }

    #[test]
    fn headers_are_read_as_text() {
        let mut r = request(Method::POST, "/h", b"");
        r.headers_mut()
            .insert("x-sig", http::HeaderValue::from_static("abc"));
        r.headers_mut()
            .insert("x-bin", http::HeaderValue::from_bytes(&[0xff]).unwrap());
        assert_eq!(header(&r, "X-Sig").unwrap(), Some("abc"));
        assert_eq!(header(&r, "x-none").unwrap(), None);
        assert_eq!(header(&r, "x-bin").unwrap_err().field(), Some("x-bin"));
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
