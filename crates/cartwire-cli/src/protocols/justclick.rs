//! `justclick`: JustClick invoice notifications (PHP bracket form, MD5 `hash`).
//!
//! * `decode` reads a form body (trailing white space, as left by `echo`, is ignored) and
//!   prints `justclick_invoice`'s JSON form: `"kind"`, then the fields as on the wire (money
//!   as decimal strings, `created`/`paid` in RFC 3339, `items` and `partners` as arrays,
//!   unknown fields as they came). With a secret (the API key of the JustClick cabinet) the
//!   hash is checked first and the JSON gets `"verified": true`; a bad or missing hash exits 3.
//! * `encode` writes the JSON back as the exact body JustClick sends (the vendor's field
//!   order); with a secret, with a freshly computed hash. A boolean `verified` is ignored.
//!   The JSON is read through `serde_json::Value`, whose objects are sorted, so unknown
//!   fields come back in name order; documented fields keep the vendor's order.
//! * `sign` recomputes the hash of a body (re-encoded canonically).
//! * `send` POSTs the body as `application/x-www-form-urlencoded`, as JustClick's servers
//!   do; with a secret it is signed (and re-encoded) first, without one it is sent as given
//!   once it decodes.

use cartwire_core::Secret;
use justclick_invoice::{Error, Notification, VerifyError, samples};
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample};

/// The justclick protocol.
pub(crate) struct JustClick;

impl From<Error> for CliError {
    fn from(err: Error) -> Self {
        match err {
            Error::Decode(err) => err.into(),
            Error::Verify(VerifyError::EmptySecret) => {
                CliError::Usage("the secret is empty: give JustClick's API key".to_owned())
            }
            Error::Verify(err) => CliError::Verify(err.to_string()),
            other => CliError::Malformed(other.to_string()),
        }
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

fn non_empty(secret: &Secret) -> Result<&Secret, CliError> {
    if secret.is_empty() {
        Err(Error::Verify(VerifyError::EmptySecret).into())
    } else {
        Ok(secret)
    }
}

/// The JSON `decode` prints (`listen` too), with `"verified": true` when the hash was
/// checked.
pub(crate) fn json(notification: &Notification, verified: bool) -> Result<Value, CliError> {
    let mut json = serde_json::to_value(notification)?;
    if let (true, Value::Object(map)) = (verified, &mut json) {
        map.insert("verified".to_owned(), Value::Bool(true));
    }
    Ok(json)
}

impl Protocol for JustClick {
    fn name(&self) -> &'static str {
        "justclick"
    }

    fn decode(&self, input: &[u8], secret: Option<&Secret>) -> Result<Value, CliError> {
        let input = body(input);
        let notification = match secret {
            Some(secret) => justclick_invoice::decode_verified(input, secret)?,
            None => justclick_invoice::decode(input)?,
        };
        json(&notification, secret.is_some())
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        let mut json = json.clone();
        if let Value::Object(map) = &mut json
            && map.get("verified").is_some_and(Value::is_boolean)
        {
            map.remove("verified");
        }
        let notification: Notification = serde_json::from_value(json)?;
        let wire = match secret {
            Some(secret) => justclick_invoice::encode_signed(&notification, non_empty(secret)?),
            None => justclick_invoice::encode(&notification),
        };
        Ok(wire.into_bytes())
    }

    fn sign(&self, input: &[u8], secret: &Secret) -> Result<Vec<u8>, CliError> {
        let notification = justclick_invoice::decode(body(input))?;
        Ok(justclick_invoice::encode_signed(&notification, non_empty(secret)?).into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        if !(to.starts_with("http://") || to.starts_with("https://")) {
            return Err(CliError::Usage(format!(
                "--to: expected an http:// or https:// URL, got {to:?}"
            )));
        }
        let input = body(input);
        let notification = justclick_invoice::decode(input)?;
        let body = match secret {
            Some(secret) => {
                justclick_invoice::encode_signed(&notification, non_empty(secret)?).into_bytes()
            }
            None => input.to_vec(),
        };
        Ok(Outgoing::from_http(justclick_invoice::http::delivery(
            to, body,
        )?))
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
            let json = JustClick.decode(&sample.wire, Some(&key)).unwrap();
            assert_eq!(json["verified"], true);
            assert_eq!(json["kind"], sample.name);
            assert_eq!(JustClick.encode(&json, None).unwrap(), sample.wire);
            assert_eq!(JustClick.sign(&sample.wire, &key).unwrap(), sample.wire);
        }
    }
}
