//! The request the cart makes, as an [`http::Request`] (feature `http`): [`delivery`], for
//! testing a receiver without CartFreak (and for `cartwire send`).
//!
//! Receiving needs no function of this module: with the `http` feature, a request whose body
//! is read becomes a [`Delivery`](crate::Delivery) (`Delivery::from(&request)`), and the
//! [`CartFreakKey`] receives it. The query of a GET is read (the documented flavour), the form
//! body of a POST (the hashed flavour); the query of a POST is not.
//!
//! ```
//! use cartfreak_notify::http::delivery;
//! use cartfreak_notify::{decode, samples, ApiUrl, CartFreakKey, Delivery, Receiver};
//!
//! let key = CartFreakKey::new(samples::SAMPLE_API_KEY)?;
//! let api_url = ApiUrl::parse("http://127.0.0.1:8080/cartfreak")?;
//! // A GET sample, delivered signed: the POST flavour with a fresh hash.
//! let request = delivery(&decode(samples::REMOVE_QUERY.as_bytes())?, &api_url, Some(&key))?;
//! assert_eq!(request.method(), "POST");
//!
//! // What the receiving service does with it.
//! let received = key.receive(&Delivery::from(&request))?;
//! assert_eq!(received.notification.billing_id(), Some("224"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::http::FORM_CONTENT_TYPE;
use http::{Method, Request};

use crate::Error;
use crate::api_url::ApiUrl;
use crate::decode::{Flavour, Received};
use crate::key::CartFreakKey;

/// The request the cart makes to deliver `received` to `api_url`:
///
/// * with the product's key: a POST form with a fresh `hash` (the receiver package's flavour);
/// * without a key, a notification that came as a form (it has a `hash`): the same POST form,
///   hash as received;
/// * otherwise a GET to the API URL with the fields appended (the documented flavour).
///
/// # Errors
///
/// [`Error::Malformed`] naming `url` if the `http` crate refuses the URL (the URL parser has
/// already normalized it, so this is not expected).
pub fn delivery(
    received: &Received,
    api_url: &ApiUrl,
    key: Option<&CartFreakKey>,
) -> Result<Request<Vec<u8>>, Error> {
    let body = match (key, received.flavour()) {
        (Some(key), _) => Some(received.notification.to_form(key)),
        (None, Flavour::Form) => Some(received.to_wire()),
        (None, _) => None,
    };
    match body {
        Some(body) => cartwire_core::http::delivery(
            Method::POST,
            api_url.as_str(),
            &[("Content-Type", FORM_CONTENT_TYPE)],
            body.into_bytes(),
        ),
        None => cartwire_core::http::delivery(
            Method::GET,
            &api_url.notification_url(&received.notification),
            &[],
            Vec::new(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Delivery, ErrorKind, Receiver, decode, samples};

    fn key() -> CartFreakKey {
        CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap()
    }

    fn request(method: Method, uri: &str, body: &[u8]) -> Request<Vec<u8>> {
        let mut request = Request::new(body.to_vec());
        *request.method_mut() = method;
        *request.uri_mut() = uri.parse().unwrap();
        request
    }

    #[test]
    fn requests_are_received_through_deliveries() {
        let uri = format!("/cf.php?{}", samples::REMOVE_QUERY);
        let get = request(Method::GET, &uri, b"");
        let received = CartFreakKey::receive_unverified(&Delivery::from(&get)).unwrap();
        assert_eq!(received.flavour(), Flavour::Query);
        assert_eq!(received.notification.billing_id(), Some("224"));
        // A GET has no hash: refused with a key.
        let err = key().receive(&Delivery::from(&get)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));

        let post = request(Method::POST, "/cf.php", samples::CREATE_FORM.as_bytes());
        let received = key().receive(&Delivery::from(&post)).unwrap();
        assert_eq!(received.notification.command_str(), "CREATE");

        let tampered = request(
            Method::POST,
            "/",
            samples::CREATE_TAMPERED_HASH_FORM.as_bytes(),
        );
        let err = key().receive(&Delivery::from(&tampered)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        let delete = request(Method::DELETE, "/?command=REMOVE", b"");
        let err = key().receive(&Delivery::from(&delete)).unwrap_err();
        assert_eq!(err.field(), Some("method"));
    }

    #[test]
    fn delivery_picks_the_flavour_and_round_trips() {
        let api_url = ApiUrl::parse("http://127.0.0.1:1/h.php?t=1#f").unwrap();
        for (name, wire) in samples::ALL {
            let received = decode(wire.as_bytes()).unwrap();

            let signed = delivery(&received, &api_url, Some(&key())).unwrap();
            assert_eq!(signed.method(), Method::POST, "{name}");
            assert_eq!(signed.uri(), "http://127.0.0.1:1/h.php?t=1");
            assert_eq!(signed.headers()["content-type"], FORM_CONTENT_TYPE);
            let back = key().receive(&Delivery::from(&signed)).unwrap();
            assert_eq!(back.notification, received.notification, "{name}");

            // (A query of the API URL's own would come back as unknown fields of a GET.)
            let bare = ApiUrl::parse("http://127.0.0.1:1/h.php").unwrap();
            let plain = delivery(&received, &bare, None).unwrap();
            let back = CartFreakKey::receive_unverified(&Delivery::from(&plain)).unwrap();
            assert_eq!(back.notification, received.notification, "{name}");
            assert_eq!(back.hash, received.hash, "{name}");
            let expected = if received.hash.is_some() {
                Method::POST
            } else {
                Method::GET
            };
            assert_eq!(plain.method(), expected, "{name}");
        }
    }
}
