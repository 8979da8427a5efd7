//! `cartloom`: Cartloom notify-server orders.
//!
//! * `decode` takes a notify POST body of either shape (the raw JSON object, or a form whose
//!   `order` field holds it; detected, see `cartloom_order::decode`) and prints the order's
//!   JSON view: the wire's flat keys, flags as booleans, amounts as decimal strings
//!   (`"19.95"`), counts as numbers, dates as `YYYY-MM-DDTHH:MM:SS` (ISO 8601 without an
//!   offset: the wire has none, the time is the store's wall clock) or `null`, unknown fields
//!   as received. Wire text the typed JSON cannot show (a glued date, raw JSON spacing, the
//!   order of unknown keys) is noted under `_wire` (see `cartloom_order::encode`); this
//!   command adds `"_wire": {"body": "form"}` when the input was a form.
//! * `encode` reads that JSON back and writes the wire: raw JSON, or the `order=` form when
//!   `_wire.body` is `"form"`. So `decode | encode` gives back the input's bytes for any body
//!   Cartloom writes (compact JSON, as PHP's `json_encode` does; other spacing between the
//!   tokens of the order object itself is not kept).
//! * `send` POSTs the order to `--to` as Cartloom's notify server does: the `order=` form,
//!   `application/x-www-form-urlencoded`. With `--secret`, the secret is added to the URL as
//!   the `token` query parameter (unless the URL already carries it), as it sits in the
//!   Notify URL a protected receiver gives Cartloom.
//! * `--secret` with `decode` or `encode` is a usage error (exit 2): Cartloom signs nothing,
//!   and the endpoint token lives in the request URL, which neither command sees. Receivers
//!   check it with `cartloom_order::EndpointToken`.
//! * `samples`: `order` (the vendor's sample order as raw JSON) and `order-form` (the same as
//!   the `order=` form).

use cartloom_order::{BodyShape, Decoder, EndpointToken, Order, encode, samples};
use cartwire_core::{Error, Secret, VerifyError};
use serde::Deserialize as _;
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample};

/// The cartloom protocol.
pub(crate) struct Cartloom;

/// The view's notes object, and the note this command adds to it.
const WIRE: &str = "_wire";
const BODY: &str = "body";
const FORM: &str = "form";

fn no_secret(command: &str) -> CliError {
    CliError::Usage(format!(
        "cartloom: `{command}` takes no secret: Cartloom signs nothing, and the endpoint token \
         is in the notify URL's query, which `{command}` does not see (receivers check it with \
         cartloom_order::EndpointToken; `send --secret` adds it to the URL)"
    ))
}

/// The JSON `decode` prints (`listen` too): the order's JSON view, with
/// `"_wire": {"body": "form"}` when it came as a form.
pub(crate) fn json(order: &Order, shape: BodyShape) -> Result<Value, CliError> {
    let mut json =
        serde_json::to_value(order).map_err(|e| CliError::Malformed(format!("JSON view: {e}")))?;
    if shape == BodyShape::Form
        && let Value::Object(map) = &mut json
    {
        let notes = map
            .entry(WIRE)
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Value::Object(notes) = notes {
            notes.insert(BODY.to_owned(), Value::String(FORM.to_owned()));
        }
    }
    Ok(json)
}

impl Protocol for Cartloom {
    fn name(&self) -> &'static str {
        "cartloom"
    }

    fn decode(&self, input: &[u8], secret: Option<&Secret>) -> Result<Value, CliError> {
        if secret.is_some() {
            return Err(no_secret("decode"));
        }
        let (order, shape) = Decoder::new().decode_shaped(input)?;
        json(&order, shape)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(no_secret("encode"));
        }
        let shape = match json.get(WIRE).and_then(|notes| notes.get(BODY)) {
            Some(Value::String(body)) if body == FORM => BodyShape::Form,
            _ => BodyShape::Json,
        };
        // `&Value` deserializes in place, with no copy of the JSON.
        let order = Order::deserialize(json).map_err(|e| CliError::Malformed(e.to_string()))?;
        Ok(encode(&order, shape).into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        let order = cartloom_order::decode(input)?;
        if !(to.starts_with("http://") || to.starts_with("https://")) {
            return Err(CliError::Usage(format!(
                "--to: expected an http:// or https:// URL, found {to:?}"
            )));
        }
        let url = match secret {
            None => to.to_owned(),
            Some(secret) => notify_url(to, secret)?,
        };
        Ok(Outgoing::from_http(cartloom_order::http::delivery(
            &url, &order,
        )?))
    }

    fn samples(&self) -> Vec<Sample> {
        vec![
            Sample {
                name: "order",
                wire: samples::ORDER_JSON.as_bytes().to_vec(),
            },
            Sample {
                name: "order-form",
                wire: samples::ORDER_FORM.as_bytes().to_vec(),
            },
        ]
    }
}

/// `to` with the token in its query, as the receiver's Notify URL carries it.
fn notify_url(to: &str, secret: &Secret) -> Result<String, CliError> {
    let token = EndpointToken::new(secret.clone());
    match token.verify_url(to) {
        Ok(()) => Ok(to.to_owned()),
        Err(Error::Verify(VerifyError::Missing { .. })) => Ok(token.notify_url(to)),
        Err(_) => Err(CliError::Usage(format!(
            "--to already has a `{}` parameter, and it is not --secret",
            token.param()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_adds_the_token_once() {
        let secret = Secret::new("s3cret");
        assert_eq!(
            notify_url("http://127.0.0.1:1/hook", &secret).unwrap(),
            "http://127.0.0.1:1/hook?token=s3cret"
        );
        assert_eq!(
            notify_url("http://127.0.0.1:1/hook?a=1&token=s3cret", &secret).unwrap(),
            "http://127.0.0.1:1/hook?a=1&token=s3cret"
        );
        assert!(matches!(
            notify_url("http://127.0.0.1:1/hook?token=other", &secret),
            Err(CliError::Usage(_))
        ));
    }
}
