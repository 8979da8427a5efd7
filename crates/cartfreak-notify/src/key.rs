//! [`CartFreakKey`]: the product's API key, and receiving with it.

use cartwire_core::form::{Options, parse_pairs};
use cartwire_core::receive::observe;
use cartwire_core::{Delivery, EmptyKey, Error, Receiver, Secret};

use crate::decode::{Received, decode_delivery, decode_parsed, form_text, with_api_url};
use crate::reply::Reply;
use crate::verify::{verify_form, verify_pairs};

/// The product's API key, as set in CartFreak: what the POST flavour's `hash` is computed
/// with, and the [`Receiver`] of CartFreak deliveries.
///
/// [`receive`](Receiver::receive) checks the `hash` of a delivery (the GET's query or the
/// POST's form body) on the raw `command` and `hash` **before** anything else is judged, then
/// decodes it into a [`Received`]. The documented GET flavour carries no hash, so `receive`
/// refuses it (`hash` is missing, 401): a receiver that must accept it calls
/// [`CartFreakKey::receive_unverified`](Receiver::receive_unverified), named so on purpose,
/// and protects its API URL with a secret token of its own (see [`verify`](crate::verify)).
///
/// Its [`Debug`](core::fmt::Debug) output never shows the key.
///
/// ```
/// use cartfreak_notify::{samples, CartFreakKey, Delivery, ErrorKind, Receiver};
///
/// let key = CartFreakKey::new(samples::SAMPLE_API_KEY)?;
/// let received = key.receive(&Delivery::post("/hooks/cartfreak", samples::CREATE_FORM.as_bytes()))?;
/// assert_eq!(received.notification.command_str(), "CREATE");
///
/// // The documented GET flavour has no hash: refused with a key, decoded without one.
/// let get = Delivery::get("/hooks/cartfreak?command=REMOVE&billing_id=224&email=user%40domain.com");
/// let err = key.receive(&get).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::VerificationFailed);
/// assert_eq!(err.field(), Some("hash"));
/// let unverified = CartFreakKey::receive_unverified(&get)?;
/// assert_eq!(unverified.notification.billing_id(), Some("224"));
///
/// assert!(!format!("{key:?}").contains("sk_cartfreak_demo"));
/// assert!(CartFreakKey::new("").is_err()); // a missing configuration value fails at start-up
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CartFreakKey {
    api_key: Secret,
}

impl CartFreakKey {
    /// The key, refused when empty: the hash of an empty key is the SHA-1 of the command
    /// alone, which anyone can compute.
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] for the empty string.
    pub fn new(api_key: impl Into<Secret>) -> Result<Self, EmptyKey> {
        Secret::non_empty(api_key, "CartFreak API key").map(|api_key| Self { api_key })
    }

    /// The key itself, for [`compute_hash`](crate::compute_hash) and other low-level uses.
    pub fn secret(&self) -> &Secret {
        &self.api_key
    }

    /// Verifies and decodes a POST-flavour form body: [`receive`](Receiver::receive) of a
    /// POST of `body`, for a receiver that has the body only (everything CartFreak's hash
    /// covers is in it).
    ///
    /// # Errors
    ///
    /// As [`receive`](Receiver::receive).
    ///
    /// ```
    /// use cartfreak_notify::{samples, CartFreakKey};
    ///
    /// let key = CartFreakKey::new(samples::SAMPLE_API_KEY)?;
    /// let received = key.decode_verified(samples::REMOVE_FORM.as_bytes())?;
    /// assert_eq!(received.notification.email(), Some("user+tag@domain.com"));
    /// assert!(key.decode_verified(samples::CREATE_TAMPERED_HASH_FORM.as_bytes()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode_verified(&self, body: &[u8]) -> Result<Received, Error> {
        self.receive(&Delivery::post("/", body))
    }
}

impl Receiver for CartFreakKey {
    type Notification = Received;

    const PROTOCOL: &'static str = "cartfreak";

    /// Checks the `hash` of the GET's query or the POST's body, reading only the raw
    /// `command` and `hash` (see [`verify`](crate::verify)).
    fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
        verify_form(&self.api_key, form_text(delivery.query_or_body()?))
    }

    /// Decodes the GET's query or the POST's body, **without checking the hash** (see
    /// [`decode`](mod@crate::decode)).
    fn decode(delivery: &Delivery<'_>) -> Result<Received, Error> {
        decode_delivery(delivery)
    }

    /// [`verify`](Receiver::verify), then [`decode`](Receiver::decode), on one parse of the
    /// pairs: the hash is checked on the raw `command` and `hash` before any field is judged,
    /// exactly as the two steps do, and the tracing event is the provided method's. Input the
    /// pairs parser refuses (a repeated key, bytes that are not UTF-8) takes the two steps,
    /// whose check reads such input its own careful way.
    fn receive(&self, delivery: &Delivery<'_>) -> Result<Received, Error> {
        let result = delivery.query_or_body().and_then(|input| {
            let options = Options::default();
            match parse_pairs(form_text(input), &options) {
                Ok(pairs) => {
                    verify_pairs(&self.api_key, &pairs)?;
                    with_api_url(delivery, decode_parsed(pairs, &options)?)
                }
                Err(_) => self
                    .verify(delivery)
                    .and_then(|()| decode_delivery(delivery)),
            }
        });
        observe(Self::PROTOCOL, true, result)
    }

    /// CartFreak's reply format, as its receiver package answers: `ERROR <reason>`.
    fn refusal_body(error: &Error) -> String {
        Reply::error(error.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;
    use cartwire_core::{Credential, ErrorKind, VerifyError};

    fn key() -> CartFreakKey {
        CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap()
    }

    #[test]
    fn an_empty_key_is_refused() {
        let err = CartFreakKey::new("").unwrap_err();
        assert_eq!(err.what, "CartFreak API key");
        assert_eq!(
            err.to_string(),
            "the CartFreak API key is empty (a missing configuration value?)"
        );
        assert_eq!(key().secret().expose(), samples::SAMPLE_API_KEY);
        assert!(!format!("{:?}", key()).contains(samples::SAMPLE_API_KEY));
    }

    #[test]
    fn refusals_answer_in_cartfreaks_format() {
        let err = VerifyError::Mismatch.at(Credential::Hash, "hash");
        assert_eq!(
            CartFreakKey::refusal_body(&err),
            "ERROR verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
        );
        let err = key().receive(&Delivery::get("/cf")).unwrap_err();
        assert_eq!(
            CartFreakKey::refusal_body(&err),
            "ERROR verification failed: `hash` is missing"
        );
    }

    #[test]
    fn verify_reads_what_decode_reads() {
        // White space around a body and a leading `?` are read alike by both.
        let body = format!("\r\n?{}\n", samples::REMOVE_FORM);
        let received = key().decode_verified(body.as_bytes()).unwrap();
        assert_eq!(received.to_wire(), samples::REMOVE_FORM);
        // The query of a POST is read by neither.
        let target = format!("/cf?{}", samples::REMOVE_FORM);
        let err = key()
            .receive(&Delivery::post(&target, b"command=REMOVE"))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        // Neither reads a DELETE.
        let err = key()
            .receive(&Delivery::new("DELETE", &target))
            .unwrap_err();
        assert_eq!(err.field(), Some("method"));
    }

    #[test]
    fn a_get_to_a_full_url_records_the_api_url() {
        let received =
            CartFreakKey::receive_unverified(&Delivery::get(samples::REMOVE_URL)).unwrap();
        assert_eq!(
            received.api_url.as_ref().map(crate::ApiUrl::as_str),
            Some("http://www.yourdomain.com/script.php")
        );
        assert_eq!(received.to_wire(), samples::REMOVE_URL);
        let path = format!("/script.php?{}", samples::REMOVE_QUERY);
        let received = CartFreakKey::receive_unverified(&Delivery::get(&path)).unwrap();
        assert_eq!(received.api_url, None);
        // A POST's target is never an API URL of the notification.
        let form = samples::REMOVE_FORM.as_bytes();
        let received = key()
            .receive(&Delivery::post("https://x.test/cf.php", form))
            .unwrap();
        assert_eq!(received.api_url, None);
    }
}
