//! `cartfreak`: CartFreak outgoing notifications, both flavours.
//!
//! * `decode` takes a query string, a full URL, or a POST form body (detected, see
//!   `cartfreak_notify::decode`). With a secret (the product's API key) the `hash` is checked;
//!   a notification without one (the GET flavour) then fails verification.
//! * The JSON is `cartfreak_notify`'s serde shape: the documented fields with their wire names
//!   (money as decimal strings, `billing_id` null when blank), unknown fields under `extra`
//!   as an object in wire order, `hash` when the form carried one, `api_url` when a full URL
//!   was decoded. No separate "flavour" key is needed for a faithful round trip: `hash`
//!   present means the POST form, `api_url` present means the full URL, neither means the
//!   bare query string. `decode` adds `verified` and `dedup_key` (as for every protocol) and
//!   `total_mismatch` when `total` is not `amount - fee`; `encode` ignores those three.
//! * `encode` writes the wire form back (with a secret: the POST form with a fresh hash):
//!   documented fields in the vendor's order, then the unknown ones in their order.
//! * `sign` turns any flavour into the POST form with the hash of the given key.
//! * `send` delivers as the cart does: a GET to the API URL with the fields appended (query
//!   flavour), or a POST form to it when the payload has a `hash` or a secret is given.

use cartfreak_notify::{ApiUrl, CartFreakKey, Received, decode, samples};
use cartwire_core::{Delivery, EmptyKey, Secret};
use serde_json::Value;

use cartwire_core::event::{Event, ToEvent as _};

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample};
use crate::receiving::{self, Receiving, View};

/// The cartfreak protocol.
pub(crate) struct CartFreak;

/// The key `decode` adds to CartFreak's JSON besides `verified` and `dedup_key`.
const TOTAL_MISMATCH: &str = "total_mismatch";

fn api_url(to: &str) -> Result<ApiUrl, CliError> {
    ApiUrl::parse(to).map_err(|e| CliError::Usage(format!("--to: {e}")))
}

impl Receiving for CartFreakKey {
    fn key(secret: Secret) -> Result<Self, EmptyKey> {
        CartFreakKey::new(secret)
    }

    fn event(received: &Received) -> Event {
        received.to_event()
    }

    fn view(received: &Received) -> Result<Value, CliError> {
        let mut json = serde_json::to_value(received)?;
        if let (Err(mismatch), Value::Object(map)) =
            (received.notification.check_total(), &mut json)
        {
            map.insert(
                TOTAL_MISMATCH.to_owned(),
                Value::String(mismatch.to_string()),
            );
        }
        Ok(json)
    }
}

/// A file holding a full URL or a `?query` is what a GET to that URL carried; anything else
/// is a body (a query string and a form body are the same bytes).
fn as_get<'a>(delivery: &Delivery<'a>) -> Option<Delivery<'a>> {
    let text = std::str::from_utf8(delivery.body_bytes()).ok()?.trim();
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let is_url = lower.starts_with("http://") || lower.starts_with("https://");
    (is_url || text.starts_with('?')).then(|| {
        let mut get = Delivery::get(text);
        for (name, value) in delivery.headers() {
            get = get.header(name, value);
        }
        get
    })
}

impl Protocol for CartFreak {
    fn name(&self) -> &'static str {
        "cartfreak"
    }

    /// The form codec's default (1 MiB), which `cartfreak_notify::decode` applies.
    fn max_input(&self) -> usize {
        cartwire_core::form::Limits::default().max_bytes
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        match as_get(delivery) {
            Some(get) => receiving::decode::<CartFreakKey>(&get, secret, view),
            None => receiving::decode::<CartFreakKey>(delivery, secret, view),
        }
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        let mut json = receiving::without_derived(json);
        if let Value::Object(map) = &mut json {
            map.remove(TOTAL_MISMATCH);
        }
        let received: Received = serde_json::from_value(json)?;
        let wire = match secret {
            Some(secret) => received
                .notification
                .to_form(&receiving::key::<CartFreakKey>(secret)?),
            None => received.to_wire(),
        };
        Ok(wire.into_bytes())
    }

    fn sign(&self, input: &[u8], secret: &Secret) -> Result<Vec<u8>, CliError> {
        let key = receiving::key::<CartFreakKey>(secret)?;
        let received = decode(input)?;
        Ok(received.notification.to_form(&key).into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        let key = secret.map(receiving::key::<CartFreakKey>).transpose()?;
        let received = decode(input)?;
        let api_url = api_url(to)?;
        let request = cartfreak_notify::http::delivery(&received, &api_url, key.as_ref())?;
        Ok(Outgoing::from_http(request))
    }

    fn samples_note(&self) -> Option<String> {
        Some(format!(
            "the form samples are hashed with the API key `{}` (samples::SAMPLE_API_KEY); the query and URL samples carry no hash",
            samples::SAMPLE_API_KEY
        ))
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(&samples::ALL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_picks_the_flavour() {
        let get = CartFreak
            .outgoing(
                samples::REMOVE_QUERY.as_bytes(),
                "https://x.test/h.php?t=1#f",
                None,
            )
            .unwrap();
        assert_eq!(get.method, "GET");
        assert_eq!(
            get.url,
            "https://x.test/h.php?t=1&command=REMOVE&billing_id=224&email=user%40domain.com"
        );
        assert!(get.body.is_empty());

        let post = CartFreak
            .outgoing(samples::RENEW_FORM.as_bytes(), "https://x.test/h.php", None)
            .unwrap();
        assert_eq!(post.method, "POST");
        assert_eq!(post.body, samples::RENEW_FORM.as_bytes());

        let signed = CartFreak
            .outgoing(
                samples::REMOVE_QUERY.as_bytes(),
                "https://x.test/h.php",
                Some(&Secret::new(samples::SAMPLE_API_KEY)),
            )
            .unwrap();
        assert_eq!(signed.method, "POST");
        assert_eq!(signed.url, "https://x.test/h.php");
        assert!(
            signed
                .body
                .ends_with(b"&hash=4f5903323592304bcb55eb4783bcf19d158145a1")
        );

        let bad = CartFreak.outgoing(samples::REMOVE_QUERY.as_bytes(), "ftp://x", None);
        assert!(matches!(bad, Err(CliError::Usage(_))));
    }
}
