//! `cartloom`: Cartloom notify-server orders.
//!
//! * `decode` takes a notify POST body of either shape (the raw JSON object, or a form whose
//!   `order` field holds it; detected, see `cartloom_order::decode`) and prints the order's
//!   JSON view (`cartloom_order::ReceivedOrder`'s serde form): the wire's flat keys, flags as
//!   booleans, amounts as decimal strings (`"19.95"`), counts as numbers, dates as
//!   `YYYY-MM-DDTHH:MM:SS` (ISO 8601 without an offset: the wire has none, the time is the
//!   store's wall clock) or `null`, unknown fields under `extra` in arrival order. Wire text
//!   the typed JSON cannot show (a glued date, raw JSON spacing) is noted under `_wire`, with
//!   `"body": "form"` when the input was a form. With `--secret` (the endpoint token) and
//!   `--url` (the URL the order was posted to, `https://shop.example/hook?token=…`) the token
//!   is checked first, as a receiver does; without `--url` the token is missing and the check
//!   fails (exit 3).
//! * `encode` reads that JSON back and writes the wire: raw JSON, or the `order=` form when
//!   `_wire.body` is `"form"`. So `decode | encode` gives back the input's bytes for any body
//!   Cartloom writes (compact JSON, as PHP's `json_encode` does; other spacing between the
//!   tokens of the order object itself is not kept). `--secret` is a usage error: nothing in
//!   the body is signed.
//! * `send` POSTs the order to `--to` as Cartloom's notify server does: the `order=` form,
//!   `application/x-www-form-urlencoded`. With `--secret`, the secret is added to the URL as
//!   the `token` query parameter (unless the URL already carries it), as it sits in the
//!   Notify URL a protected receiver gives Cartloom.
//! * `samples`: `order` (the vendor's sample order as raw JSON) and `order-form` (the same as
//!   the `order=` form).

use cartloom_order::{CartloomToken, Decoder, ReceivedOrder, samples};
use cartwire_core::{Delivery, EmptyKey, Error, Secret, Verification, VerifyError};
use serde::Deserialize as _;
use serde_json::Value;

use cartwire_core::event::{Event, ToEvent as _};

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample, check_to};
use crate::receiving::{self, Receiving, View};

/// The cartloom protocol.
pub(crate) struct Cartloom;

impl Receiving for CartloomToken {
    fn key(secret: Secret) -> Result<Self, EmptyKey> {
        CartloomToken::new(secret)
    }

    fn event(received: &ReceivedOrder) -> Event {
        received.to_event()
    }

    fn view(received: &ReceivedOrder) -> Result<Value, CliError> {
        serde_json::to_value(received).map_err(|e| CliError::Malformed(format!("JSON view: {e}")))
    }
}

impl Protocol for Cartloom {
    fn name(&self) -> &'static str {
        "cartloom"
    }

    /// The decoder's default (2 MiB).
    fn max_input(&self) -> usize {
        cartloom_order::Decoder::DEFAULT_MAX_BYTES
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        receiving::decode::<CartloomToken>(delivery, secret, view)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(CliError::Usage(
                "cartloom: `encode` takes no secret: Cartloom signs nothing (the endpoint \
                 token is in the notify URL: `send --secret` adds it there)"
                    .to_owned(),
            ));
        }
        let json = receiving::without_derived(json);
        let received =
            ReceivedOrder::deserialize(&json).map_err(|e| CliError::Malformed(e.to_string()))?;
        Ok(received.encode().into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        let token = secret.map(receiving::key::<CartloomToken>).transpose()?;
        let received = Decoder::new().decode_shaped(input)?;
        check_to(to)?;
        let url = match &token {
            None => to.to_owned(),
            Some(token) => notify_url(to, token)?,
        };
        Ok(Outgoing::from_http(cartloom_order::http::delivery(
            &url,
            &received.order,
        )?))
    }

    fn samples_note(&self) -> Option<String> {
        Some("Cartloom signs nothing: a receiver checks the token in its Notify URL; decode a sample \
         with --url 'https://shop.example/hook?token=T' --secret T"
            .to_owned())
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(&samples::ALL)
    }
}

/// `--to` with the token in its query, unless it is there already.
fn notify_url(to: &str, token: &CartloomToken) -> Result<String, CliError> {
    match token.verify_url(to) {
        Ok(()) => Ok(to.to_owned()),
        Err(Error::Verify(Verification {
            reason: VerifyError::Missing,
            ..
        })) => Ok(token.notify_url(to)),
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
        let secret = CartloomToken::new("s3cret").unwrap();
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
