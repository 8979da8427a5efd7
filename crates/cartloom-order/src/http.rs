//! Receiving from and delivering as [`http::Request`]s (feature `http`).
//!
//! A service that has read the request's body receives it with
//! `token.receive(&Delivery::from(&request))` (the token from the request URI's query, checked
//! before the body is looked at; the order from the POST body, either shape). [`delivery`]
//! builds the POST Cartloom's notify server makes, for testing a receiver (and for
//! `cartwire send`).
//!
//! ```
//! use cartloom_order::http::delivery;
//! use cartloom_order::{decode, samples, CartloomToken, Delivery, Receiver};
//!
//! let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
//! let order = decode(samples::ORDER_JSON.as_bytes())?;
//! let notify_url = token.notify_url("http://127.0.0.1:8080/cartloom");
//! let request = delivery(&notify_url, &order)?;
//!
//! // What the receiving service does with it.
//! let received = token.receive(&Delivery::from(&request))?;
//! assert_eq!(received.order, order);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::Error;
use http::{Method, Request};

use crate::decode::BodyShape;
use crate::encode::encode_form;
use crate::payload::Order;

/// The POST Cartloom's notify server makes to deliver `order` to `notify_url` (which carries
/// the endpoint token, when the receiver wants one: [`CartloomToken::notify_url`]): the
/// `order=` form, `application/x-www-form-urlencoded`.
///
/// [`CartloomToken::notify_url`]: crate::CartloomToken::notify_url
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
    use super::*;
    use crate::{CartloomToken, Credential, Delivery, ErrorKind, Receiver, VerifyError, samples};

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    fn receive(request: &Request<Vec<u8>>) -> Result<crate::ReceivedOrder, Error> {
        CartloomToken::new(TOKEN)
            .unwrap()
            .receive(&Delivery::from(request))
    }

    #[test]
    fn a_delivery_is_verified_and_decoded() {
        let token = CartloomToken::new(TOKEN).unwrap();
        let order = crate::decode(samples::ORDER_JSON.as_bytes()).unwrap();
        let request = delivery(&token.notify_url("http://127.0.0.1:1/cl"), &order).unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(
            request.headers()["content-type"],
            BodyShape::Form.content_type()
        );
        assert_eq!(request.body(), samples::ORDER_FORM.trim().as_bytes());
        let received = receive(&request).unwrap();
        assert_eq!(received.order, order);
        assert_eq!(received.shape, BodyShape::Form);
        assert_eq!(
            delivery("http://x test/", &order).unwrap_err().field(),
            Some("url")
        );
    }

    #[test]
    fn the_token_is_checked_before_the_body() {
        let request = Request::post("/cl?token=guess")
            .body(b"{".to_vec())
            .unwrap();
        assert_eq!(
            receive(&request).unwrap_err(),
            VerifyError::Mismatch.at(Credential::Token, "token")
        );
        let request = Request::post("/cl").body(b"{".to_vec()).unwrap();
        let err = receive(&request).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.to_string(), "verification failed: `token` is missing");
        let request = Request::post(format!("/cl?token={TOKEN}"))
            .body(b"{".to_vec())
            .unwrap();
        assert_eq!(receive(&request).unwrap_err().kind(), ErrorKind::Malformed);
        let get = Request::get(format!("/cl?token={TOKEN}"))
            .body(Vec::new())
            .unwrap();
        assert_eq!(receive(&get).unwrap_err().field(), Some("method"));
    }
}
