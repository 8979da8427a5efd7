//! The interface each protocol module implements for the generic subcommands.

use cartwire_core::{Delivery, Secret};
use serde_json::Value;

use crate::error::CliError;
use crate::receiving::View;

/// An HTTP request that `send` delivers, as the vendor's servers would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outgoing {
    /// `GET`, `POST` or `PUT`.
    pub(crate) method: &'static str,
    /// The full URL, query included.
    pub(crate) url: String,
    /// Headers besides the ones the HTTP client sets itself.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (empty for GET).
    pub(crate) body: Vec<u8>,
}

impl Outgoing {
    /// The request a protocol crate's `delivery` function built.
    pub(crate) fn from_http(request: http::Request<Vec<u8>>) -> Self {
        let (parts, body) = request.into_parts();
        let method = match parts.method {
            http::Method::GET => "GET",
            http::Method::PUT => "PUT",
            _ => "POST",
        };
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        Outgoing {
            method,
            url: parts.uri.to_string(),
            headers,
            body,
        }
    }
}

/// A named vendor-style sample of one message kind, in its wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sample {
    /// The kind (`create`, `paid`, …): `cartwire samples P NAME` prints this one alone.
    pub(crate) name: &'static str,
    /// The wire bytes, exactly as the vendor sends them.
    pub(crate) wire: Vec<u8>,
}

impl Sample {
    /// Samples from a crate's `(name, wire)` list (`samples::ALL` and the like).
    pub(crate) fn named(list: &[(&'static str, &str)]) -> Vec<Sample> {
        list.iter()
            .map(|(name, wire)| Sample {
                name,
                wire: wire.as_bytes().to_vec(),
            })
            .collect()
    }
}

/// What `decode`, `encode`, `sign`, `send` and `samples` need from a protocol.
///
/// The JSON is the typed payload serialized with its field names as on the wire, money as
/// decimal strings, times in RFC 3339 or null, unknown fields kept; `encode` reads the same
/// JSON back, so `decode | encode` round-trips.
pub(crate) trait Protocol {
    /// The name on the command line.
    fn name(&self) -> &'static str;

    /// The largest wire input the protocol's decoder accepts, in bytes: the commands stop
    /// reading one byte past it ([`crate::read_input`]).
    fn max_input(&self) -> usize;

    /// Decodes a delivery (the input file as the body, `--url` as the request target,
    /// `--header`s); verifies it too when a secret is given. A receiving protocol's JSON has
    /// `"verified"` and `"dedup_key"`, or is the event with [`View::Event`]
    /// ([`crate::receiving`]); the others refuse [`View::Event`] ([`no_event`]).
    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError>;

    /// Turns the decoded JSON back into the wire form.
    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError>;

    /// Sets the hash field of a wire payload (the secret is not empty: `sign` checks).
    fn sign(&self, _input: &[u8], _secret: &Secret) -> Result<Vec<u8>, CliError> {
        Err(CliError::unsupported(self.name(), "sign"))
    }

    /// The request a vendor's server would make to deliver this wire payload to `to`.
    fn outgoing(
        &self,
        _input: &[u8],
        _to: &str,
        _secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        Err(CliError::unsupported(self.name(), "send"))
    }

    /// A vendor-style sample of each message kind.
    fn samples(&self) -> Vec<Sample>;

    /// What signs the samples, if anything: `samples` says it on stderr, so that a user
    /// piping a sample into `decode --secret` knows which secret to give.
    fn samples_note(&self) -> Option<String> {
        None
    }
}

/// `send --to` must be an http:// or https:// URL (a usage error otherwise).
pub(crate) fn check_to(to: &str) -> Result<(), CliError> {
    if to.starts_with("http://") || to.starts_with("https://") {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "--to: expected an http:// or https:// URL, found {to:?}"
        )))
    }
}

/// `decode --event` for a protocol that receives no notifications (an API answer): a usage
/// error (exit 2).
/// The guard of `decode` for an API answer (a Cartfunnel customer or page, a CartStack
/// answer): it carries no hash or signature to check with `--secret`, and is no notification
/// to map with `--event`. Saying nothing would let a caller believe it was checked.
pub(crate) fn api_answer(
    protocol: &str,
    secret: Option<&Secret>,
    view: View,
) -> Result<(), CliError> {
    no_event(protocol, view)?;
    match secret {
        None => Ok(()),
        Some(_) => Err(CliError::Usage(format!(
            "{protocol} is an API answer: it carries no signature or hash, so there is nothing \
             to verify with --secret / CARTWIRE_SECRET (webhooks: `cartwire decode \
             cartfunnel-webhook`)"
        ))),
    }
}

pub(crate) fn no_event(protocol: &str, view: View) -> Result<(), CliError> {
    match view {
        View::Notification => Ok(()),
        View::Event => Err(CliError::Usage(format!(
            "{protocol}: `decode --event` is for notifications (cartfreak, cartloom, justclick, \
             cartfunnel-webhook); an API answer has no event"
        ))),
    }
}
