//! `justclick`: JustClick invoice notifications (PHP bracket form, MD5 `hash`).
//!
//! * `decode` reads a form body (trailing white space, as left by `echo`, is ignored) and
//!   prints `justclick_invoice`'s JSON form: `"kind"`, then the fields as on the wire (money
//!   as decimal strings, `created`/`paid` in RFC 3339, `items` and `partners` as arrays,
//!   unknown fields under `extra` in arrival order). With a secret (the API key of the
//!   JustClick cabinet) the hash is checked first and the JSON gets `"verified": true`; a bad
//!   or missing hash exits 3.
//! * `encode` writes the JSON back as the exact body JustClick sends (the vendor's field
//!   order, unknown fields in theirs); with a secret, with a freshly computed hash.
//!   `verified` and `dedup_key` are ignored.
//! * `sign` recomputes the hash of a body (re-encoded canonically).
//! * `send` POSTs the body as `application/x-www-form-urlencoded`, as JustClick's servers
//!   do; with a secret it is signed (and re-encoded) first, without one it is sent as given
//!   once it decodes.

use cartwire_core::{Delivery, EmptyKey, Secret};
use justclick_invoice::{JustClickKey, Notification, samples};
use serde_json::Value;

use cartwire_core::event::{Event, ToEvent as _};

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample, check_to};
use crate::receiving::{self, Receiving, View};

/// The justclick protocol.
pub(crate) struct JustClick;

impl Receiving for JustClickKey {
    fn key(secret: Secret) -> Result<Self, EmptyKey> {
        JustClickKey::new(secret)
    }

    fn event(notification: &Notification) -> Event {
        notification.to_event()
    }

    fn view(notification: &Notification) -> Result<Value, CliError> {
        Ok(serde_json::to_value(notification)?)
    }
}

/// The body without the trailing white space a shell or an editor leaves (a form body never
/// ends in raw white space: JustClick encodes it).
fn body(input: &[u8]) -> &[u8] {
    let end = input
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |last| last + 1);
    input.get(..end).unwrap_or_default()
}

impl Protocol for JustClick {
    fn name(&self) -> &'static str {
        "justclick"
    }

    /// The form codec's default (1 MiB), which `justclick_invoice::decode` applies.
    fn max_input(&self) -> usize {
        cartwire_core::form::Limits::default().max_bytes
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        let trimmed = delivery.clone().body(body(delivery.body_bytes()));
        receiving::decode::<JustClickKey>(&trimmed, secret, view)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        let notification: Notification = serde_json::from_value(receiving::without_derived(json))?;
        let wire = match secret {
            Some(secret) => justclick_invoice::encode_signed(
                &notification,
                &receiving::key::<JustClickKey>(secret)?,
            ),
            None => justclick_invoice::encode(&notification),
        };
        Ok(wire.into_bytes())
    }

    fn sign(&self, input: &[u8], secret: &Secret) -> Result<Vec<u8>, CliError> {
        let key = receiving::key::<JustClickKey>(secret)?;
        let notification = justclick_invoice::decode(body(input))?;
        Ok(justclick_invoice::encode_signed(&notification, &key).into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        let key = secret.map(receiving::key::<JustClickKey>).transpose()?;
        check_to(to)?;
        let input = body(input);
        let notification = justclick_invoice::decode(input)?;
        let body = match &key {
            Some(key) => justclick_invoice::encode_signed(&notification, key).into_bytes(),
            None => input.to_vec(),
        };
        Ok(Outgoing::from_http(justclick_invoice::http::delivery(
            to, body,
        )?))
    }

    fn samples_note(&self) -> Option<String> {
        Some(format!(
            "the samples are signed with the API key `{}` (samples::SECRET)",
            samples::SECRET
        ))
    }

    fn samples(&self) -> Vec<Sample> {
        samples::ALL
            .iter()
            .map(|(kind, wire)| Sample {
                name: kind.as_str(),
                wire: wire.as_bytes().to_vec(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn trailing_white_space_is_ignored() {
        assert_eq!(body(b"id=1\r\n"), b"id=1");
        assert_eq!(body(b" \n"), b"");
        assert_eq!(body(b"a=+"), b"a=+");
    }

    #[test]
    fn every_sample_round_trips_through_the_protocol() {
        let key = Secret::new(samples::SECRET);
        for sample in JustClick.samples() {
            let delivery = Delivery::post("/", &sample.wire);
            let json = JustClick
                .decode(&delivery, Some(&key), View::Notification)
                .unwrap();
            assert_eq!(json["dedup_key"].as_str().unwrap().len(), 64);
            assert_eq!(json["verified"], true);
            assert_eq!(json["kind"], sample.name);
            assert_eq!(JustClick.encode(&json, None).unwrap(), sample.wire);
            assert_eq!(JustClick.sign(&sample.wire, &key).unwrap(), sample.wire);
        }
    }
}
