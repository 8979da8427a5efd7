//! Receiving and delivering orders as [`http::Request`]s (feature `http`).
//!
//! Cartloom POSTs each order; a request with another method is malformed (naming the field
//! `method`). The endpoint token is read from the request URI's query (see
//! [`verify`](crate::verify)), and is checked before the body is parsed. [`delivery`] builds
//! the POST Cartloom's notify server makes, for testing a receiver (and for `cartwire send`).
//!
//! ```
//! use cartloom_order::http::{delivery, verify_and_decode_request};
//! use cartloom_order::{decode, samples, EndpointToken};
//!
//! let token = EndpointToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35");
//! let order = decode(samples::ORDER_JSON.as_bytes())?;
//! let notify_url = token.notify_url("http://127.0.0.1:8080/cartloom");
//! let request = delivery(&notify_url, &order)?;
//!
//! // What the receiving service does with it.
//! assert_eq!(verify_and_decode_request(&token, &request)?, order);
//! # Ok::<(), cartwire_core::Error>(())
//! ```

use cartwire_core::Error;
use cartwire_core::http::{body, query};
use http::{Method, Request};

use crate::decode::{BodyShape, Decoder};
use crate::encode::encode_form;
use crate::payload::Order;
use crate::verify::EndpointToken;

/// Decodes the order in a POST's body (either shape, default limits), without checking the
/// endpoint token.
///
/// # Errors
///
/// As [`decode()`](crate::decode()), and [`Error::Malformed`] naming `method` when the request
/// is not a POST (PUT and PATCH are read too).
pub fn decode_request<B: AsRef<[u8]>>(request: &Request<B>) -> Result<Order, Error> {
    decode_request_shaped(request).map(|(order, _)| order)
}

/// [`decode_request`], telling which shape the body had.
///
/// # Errors
///
/// As [`decode_request`].
pub fn decode_request_shaped<B: AsRef<[u8]>>(
    request: &Request<B>,
) -> Result<(Order, BodyShape), Error> {
    Decoder::new().decode_shaped(body(request)?)
}

/// Checks the token in the request URI's query, then decodes the body: the body of a request
/// without the right token is never parsed.
///
/// # Errors
///
/// As [`EndpointToken::verify_query`] and [`decode_request`].
pub fn verify_and_decode_request<B: AsRef<[u8]>>(
    token: &EndpointToken,
    request: &Request<B>,
) -> Result<Order, Error> {
    token.verify_query(query(request))?;
    decode_request(request)
}

/// The POST Cartloom's notify server makes to deliver `order` to `notify_url` (which carries
/// the endpoint token, when the receiver wants one: [`EndpointToken::notify_url`]): the
/// `order=` form, `application/x-www-form-urlencoded`.
///
/// # Errors
///
/// [`Error::Malformed`] naming `url` when it is not a URL the `http` crate accepts.
pub fn delivery(notify_url: &str, order: &Order) -> Result<Request<Vec<u8>>, Error> {
    cartwire_core::http::delivery(
        Method::POST,
        notify_url,
        &[("Content-Type", BodyShape::Form.content_type())],
        encode_form(order).into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use cartwire_core::{ErrorKind, VerifyError};

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    #[test]
    fn a_delivery_is_verified_and_decoded() {
        let token = EndpointToken::new(TOKEN);
        let order = crate::decode(samples::ORDER_JSON.as_bytes()).unwrap();
        let request = delivery(&token.notify_url("http://127.0.0.1:1/cl"), &order).unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.body(), samples::ORDER_FORM.trim().as_bytes());
        assert_eq!(verify_and_decode_request(&token, &request).unwrap(), order);
        let (_, shape) = decode_request_shaped(&request).unwrap();
        assert_eq!(shape, BodyShape::Form);
    }

    #[test]
    fn the_token_is_checked_before_the_body() {
        let token = EndpointToken::new(TOKEN);
        let request = Request::post("/cl?token=guess")
            .body(b"{".to_vec())
            .unwrap();
        assert_eq!(
            verify_and_decode_request(&token, &request).unwrap_err(),
            Error::Verify(VerifyError::Mismatch)
        );
        let request = Request::post("/cl").body(b"{".to_vec()).unwrap();
        assert_eq!(
            verify_and_decode_request(&token, &request)
                .unwrap_err()
                .kind(),
            ErrorKind::VerificationFailed
        );
        let request = Request::post(format!("/cl?token={TOKEN}"))
            .body(b"{".to_vec())
            .unwrap();
        assert_eq!(
            verify_and_decode_request(&token, &request)
                .unwrap_err()
                .kind(),
            ErrorKind::Malformed
        );
        let get = Request::get(format!("/cl?token={TOKEN}"))
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            verify_and_decode_request(&token, &get).unwrap_err().field(),
            Some("method")
        );
    }
}
