//! Receiving and delivering notifications as [`http::Request`]s (feature `http`).
//!
//! * [`decode_request`] takes what the cart sent, either flavour: the query of a GET (the
//!   documented flavour), the form body of a POST (the hashed flavour). The query of a POST
//!   is not read (see [`cartwire_core::http`]).
//! * [`decode_verified_request`] checks the `hash` too. A GET notification carries no hash,
//!   so with a key it fails verification (`hash` is missing): a receiver that must accept the
//!   GET flavour decodes without verifying and protects its API URL some other way (a long
//!   random token in the URL's query, checked in constant time).
//! * [`delivery`] builds the request the cart makes, for testing a receiver (and for
//!   `cartwire send`).
//!
//! ```
//! use cartfreak_notify::http::{decode_verified_request, delivery};
//! use cartfreak_notify::{ApiUrl, decode, samples};
//! use cartwire_core::Secret;
//!
//! let key = Secret::new(samples::SAMPLE_API_KEY);
//! let api_url = ApiUrl::parse("http://127.0.0.1:8080/cartfreak")?;
//! // A GET sample, delivered signed: the POST flavour with a fresh hash.
//! let request = delivery(&decode(samples::REMOVE_QUERY.as_bytes())?, &api_url, Some(&key))?;
//! assert_eq!(request.method(), "POST");
//!
//! // What the receiving service does with it.
//! let notification = decode_verified_request(&request, &key)?;
//! assert_eq!(notification.billing_id(), Some("224"));
//! # Ok::<(), cartwire_core::Error>(())
//! ```

use cartwire_core::http::{FORM_CONTENT_TYPE, query_or_body};
use cartwire_core::{Error, Secret};
use http::{Method, Request};

use crate::api_url::ApiUrl;
use crate::decode::{Flavour, Received, decode};
use crate::payload::Notification;

/// Decodes a notification from a GET's query or a POST's form body, without verifying it.
///
/// # Errors
///
/// As [`decode()`](crate::decode()); [`Error::Malformed`] naming `method` for a method other
/// than GET, HEAD, POST, PUT or PATCH.
pub fn decode_request<B: AsRef<[u8]>>(request: &Request<B>) -> Result<Received, Error> {
    decode(query_or_body(request)?)
}

/// Decodes a notification and checks its `hash` with the product's API key: what a receiver
/// of the POST flavour does first.
///
/// # Errors
///
/// As [`decode_request`], and [`Error::Verify`] when the hash is missing (every GET
/// notification), wrong, or the key is empty.
pub fn decode_verified_request<B: AsRef<[u8]>>(
    request: &Request<B>,
    api_key: &Secret,
) -> Result<Notification, Error> {
    decode_request(request)?.into_verified(api_key)
}

/// The request the cart makes to deliver `received` to `api_url`:
///
/// * with an API key: a POST form with a fresh `hash` (the receiver package's flavour);
/// * without one, a notification that came as a form (it has a `hash`): the same POST form,
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
    api_key: Option<&Secret>,
) -> Result<Request<Vec<u8>>, Error> {
    let body = match (api_key, received.flavour()) {
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
    use crate::samples;
    use cartwire_core::{ErrorKind, VerifyError};

    fn key() -> Secret {
        Secret::new(samples::SAMPLE_API_KEY)
    }

    #[test]
    fn get_reads_the_query_and_post_the_body() {
        let get = Request::get(format!("/cf.php?{}", samples::REMOVE_QUERY.trim()))
            .body(Vec::new())
            .unwrap();
        let received = decode_request(&get).unwrap();
        assert_eq!(received.flavour(), Flavour::Query);
        assert_eq!(received.notification.billing_id(), Some("224"));

        let post = Request::post("/cf.php")
            .body(samples::CREATE_FORM.as_bytes().to_vec())
            .unwrap();
        let notification = decode_verified_request(&post, &key()).unwrap();
        assert_eq!(notification.command_str(), "CREATE");
    }

    #[test]
    fn a_get_has_no_hash_and_fails_verification() {
        let get = Request::get(format!("/cf.php?{}", samples::REMOVE_QUERY.trim()))
            .body(Vec::new())
            .unwrap();
        let err = decode_verified_request(&get, &key()).unwrap_err();
        assert_eq!(
            err,
            Error::Verify(VerifyError::Missing {
                field: "hash".to_owned()
            })
        );
    }

    #[test]
    fn tampered_malformed_and_wrong_method() {
        let tampered = Request::post("/")
            .body(samples::CREATE_TAMPERED_HASH_FORM.as_bytes().to_vec())
            .unwrap();
        assert_eq!(
            decode_verified_request(&tampered, &key())
                .unwrap_err()
                .kind(),
            ErrorKind::VerificationFailed
        );
        let malformed = Request::post("/").body(b"billing_id=1".to_vec()).unwrap();
        assert_eq!(
            decode_request(&malformed).unwrap_err().field(),
            Some("command")
        );
        let delete = Request::delete("/?command=REMOVE")
            .body(Vec::new())
            .unwrap();
        assert_eq!(decode_request(&delete).unwrap_err().field(), Some("method"));
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
            let back = decode_verified_request(&signed, &key()).unwrap();
            assert_eq!(back, received.notification, "{name}");

            // (A query of the API URL's own would come back as unknown fields of a GET.)
            let bare = ApiUrl::parse("http://127.0.0.1:1/h.php").unwrap();
            let plain = delivery(&received, &bare, None).unwrap();
            let back = decode_request(&plain).unwrap();
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
