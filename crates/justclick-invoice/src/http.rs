//! JustClick's POST as an [`http::Request`] (feature `http`).
//!
//! Receiving needs nothing from this module: with the `http` feature, a request whose body
//! is read (`http::Request<B>`, `B: AsRef<[u8]>`) becomes a [`Delivery`](crate::Delivery)
//! with `Delivery::from(&request)`, which [`JustClickKey`](crate::JustClickKey) receives.
//! [`delivery`] builds the POST JustClick's servers make, for testing a receiver (and for
//! `cartwire send`).
//!
//! ```
//! use justclick_invoice::http::delivery;
//! use justclick_invoice::{decode, encode_signed, samples, Delivery, JustClickKey, Receiver};
//!
//! let key = JustClickKey::new(samples::SECRET)?;
//! let paid = decode(samples::PAID.as_bytes())?;
//! let request = delivery("http://127.0.0.1:8080/justclick", encode_signed(&paid, &key))?;
//!
//! // What the receiving service does with it.
//! assert_eq!(key.receive(&Delivery::from(&request))?, paid);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::Error;
use cartwire_core::http::FORM_CONTENT_TYPE;
use http::{Method, Request};

/// The POST JustClick's servers make to deliver a form `body` (from
/// [`encode_signed`](crate::encode_signed), say) to `url`, as
/// `application/x-www-form-urlencoded`.
///
/// # Errors
///
/// [`Error::Malformed`] naming `url` when it is not a URL the `http` crate accepts.
pub fn delivery(url: &str, body: impl Into<Vec<u8>>) -> Result<Request<Vec<u8>>, Error> {
    cartwire_core::http::delivery(
        Method::POST,
        url,
        &[("Content-Type", FORM_CONTENT_TYPE)],
        body.into(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Delivery, ErrorKind, JustClickKey, Receiver, encode_signed, samples};

    #[test]
    fn every_sample_is_delivered_and_verified() {
        let key = JustClickKey::new(samples::SECRET).unwrap();
        for (kind, wire) in samples::ALL {
            let request = delivery("http://127.0.0.1:1/jc", wire.as_bytes()).unwrap();
            assert_eq!(request.method(), Method::POST);
            assert_eq!(request.headers()["content-type"], FORM_CONTENT_TYPE);
            let notification = key.receive(&Delivery::from(&request)).unwrap();
            assert_eq!(notification.kind(), *kind);
            assert_eq!(
                JustClickKey::receive_unverified(&Delivery::from(&request)).unwrap(),
                notification
            );
            let resigned = delivery("/jc", encode_signed(&notification, &key)).unwrap();
            assert_eq!(
                key.receive(&Delivery::from(&resigned)).unwrap(),
                notification
            );
        }
    }

    #[test]
    fn wrong_key_wrong_method_bad_url() {
        let request = delivery("/jc", samples::PAID).unwrap();
        let err = JustClickKey::new("other")
            .unwrap()
            .receive(&Delivery::from(&request))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));

        let get = Request::get("/jc?id=1").body(Vec::<u8>::new()).unwrap();
        assert_eq!(
            JustClickKey::receive_unverified(&Delivery::from(&get))
                .unwrap_err()
                .field(),
            Some("method")
        );
        assert_eq!(
            delivery("http://a b/", "").unwrap_err().field(),
            Some("url")
        );
    }
}
