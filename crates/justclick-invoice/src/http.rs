//! Receiving and delivering notifications as [`http::Request`]s (feature `http`).
//!
//! JustClick POSTs its notifications; a request with another method is malformed (it names
//! the field `method`). [`delivery`] builds the POST JustClick's servers make, for testing a
//! receiver (and for `cartwire send`).
//!
//! ```
//! use justclick_invoice::http::{decode_verified_request, delivery};
//! use justclick_invoice::{decode, encode_signed, samples, Secret};
//!
//! let key = Secret::new(samples::SECRET);
//! let paid = decode(samples::PAID.as_bytes())?;
//! let request = delivery("http://127.0.0.1:8080/justclick", encode_signed(&paid, &key))?;
//!
//! // What the receiving service does with it.
//! assert_eq!(decode_verified_request(&request, &key)?, paid);
//! # Ok::<(), justclick_invoice::Error>(())
//! ```

use cartwire_core::Secret;
use cartwire_core::http::{FORM_CONTENT_TYPE, body};
use http::{Method, Request};

use crate::error::Error;
use crate::payload::Notification;

/// Decodes the notification in a POST's body, without verifying it.
///
/// # Errors
///
/// As [`decode()`](crate::decode()), and [`Error::Decode`] naming `method` when the request is
/// not a POST (PUT and PATCH are read too).
pub fn decode_request<B: AsRef<[u8]>>(request: &Request<B>) -> Result<Notification, Error> {
    crate::decode(body(request)?)
}

/// Decodes the notification in a POST's body and checks its `hash` with the API key of the
/// JustClick cabinet: what a receiver does first.
///
/// # Errors
///
/// As [`decode_request`] and [`decode_verified`](crate::decode_verified).
pub fn decode_verified_request<B: AsRef<[u8]>>(
    request: &Request<B>,
    secret: &Secret,
) -> Result<Notification, Error> {
    crate::decode_verified(body(request)?, secret)
}

/// The POST JustClick's servers make to deliver a form `body` (from
/// [`encode_signed`](crate::encode_signed), say) to `url`, as
/// `application/x-www-form-urlencoded`.
///
/// # Errors
///
/// [`Error::Decode`] naming `url` when it is not a URL the `http` crate accepts.
pub fn delivery(url: &str, body: impl Into<Vec<u8>>) -> Result<Request<Vec<u8>>, Error> {
    Ok(cartwire_core::http::delivery(
        Method::POST,
        url,
        &[("Content-Type", FORM_CONTENT_TYPE)],
        body.into(),
    )?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{VerifyError, encode_signed, samples};
    use cartwire_core::ErrorKind;

    #[test]
    fn every_sample_is_delivered_and_verified() {
        let key = Secret::new(samples::SECRET);
        for (kind, wire) in samples::ALL {
            let request = delivery("http://127.0.0.1:1/jc", wire.as_bytes()).unwrap();
            assert_eq!(request.method(), Method::POST);
            assert_eq!(request.headers()["content-type"], FORM_CONTENT_TYPE);
            let notification = decode_verified_request(&request, &key).unwrap();
            assert_eq!(notification.kind(), *kind);
            assert_eq!(decode_request(&request).unwrap(), notification);
            let resigned = delivery("/jc", encode_signed(&notification, &key)).unwrap();
            assert_eq!(
                decode_verified_request(&resigned, &key).unwrap(),
                notification
            );
        }
    }

    #[test]
    fn wrong_key_wrong_method_bad_url() {
        let request = delivery("/jc", samples::PAID).unwrap();
        let err = decode_verified_request(&request, &Secret::new("other")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert!(matches!(err, Error::Verify(VerifyError::Hash(_))));

        let get = Request::get("/jc?id=1").body(Vec::<u8>::new()).unwrap();
        assert_eq!(decode_request(&get).unwrap_err().field(), Some("method"));
        assert_eq!(
            delivery("http://a b/", "").unwrap_err().field(),
            Some("url")
        );
    }
}
