//! Webhooks: the key that checks Cartfunnel's order and abandoned-cart webhooks
//! ([`CartfunnelWebhookSecret`]), their HMAC-SHA256 signature (**the hash is computed here**,
//! in [`hmac_sha256`]), and their body as raw JSON ([`Webhook`]).
//!
//! Cartfunnel sends these webhooks (POST or PUT) with a JSON body the merchant edits in the
//! dashboard, so the body has no fixed schema: [`Webhook`] exposes it as a
//! [`serde_json::Value`]. The header `X-Cartfunnel-Hmac-SHA256` ([`SIGNATURE_HEADER`])
//! carries an HMAC-SHA256 of the raw body, keyed with the webhook secret.
//!
//! Receive one with [`Receiver::receive`]: it checks the signature over the raw body first,
//! and only then parses the JSON, so a forged body is refused as forged whatever it contains.
//!
//! ```
//! use cartfunnel_client_types::verify::{self, SIGNATURE_HEADER};
//! use cartfunnel_client_types::{CartfunnelWebhookSecret, Delivery, ErrorKind, Receiver};
//!
//! let key = CartfunnelWebhookSecret::new("whsec_from_the_dashboard")?;
//! let body = br#"{"event":"order_created","order":{"id":3200291,"total_price":"49.95"}}"#;
//! let signature = verify::sign(body, &key); // what Cartfunnel would send
//!
//! let delivery = Delivery::post("/hooks/cartfunnel", body).header(SIGNATURE_HEADER, &signature);
//! let webhook = key.receive(&delivery)?;
//! assert_eq!(webhook.event(), Some("order_created"));
//! assert_eq!(webhook.json()["order"]["total_price"], "49.95");
//!
//! let tampered = br#"{"event":"order_created","order":{"id":3200291,"total_price":"0.01"}}"#;
//! let forged = Delivery::post("/hooks/cartfunnel", tampered).header(SIGNATURE_HEADER, &signature);
//! let err = key.receive(&forged).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::VerificationFailed);
//! assert_eq!(err.field(), Some(SIGNATURE_HEADER));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Decisions where the vendor is silent
//!
//! * **Encoding of the signature.** The vendor does not say, so both are accepted: exactly
//!   64 hexadecimal characters (either case) is hex; anything else must be standard base64
//!   (`+/`, padding optional) of 32 bytes. The two cannot be confused (base64 of 32 bytes is
//!   43 or 44 characters). A hex-looking value of the wrong length is reported as a length
//!   error, not as bad base64. [`sign`] writes lowercase hex; [`sign_base64`] writes base64.
//! * Surrounding white space in the header is ignored; nothing else is (no `sha256=` prefix).
//!   A repeated header, or one whose value is not visible ASCII, is malformed (400): one
//!   request, one signature.
//! * The hash covers the raw body bytes exactly as received: verify before parsing, and never
//!   re-serialize the JSON to check it.
//! * An empty secret cannot be built ([`CartfunnelWebhookSecret::new`] answers
//!   [`EmptyKey`]): anyone can compute an HMAC under an empty key, so a service whose secret
//!   is not configured fails at start-up, not with a 401 on every webhook.
//! * Comparison is constant-time and length-checked: an empty or truncated signature never
//!   matches.
//! * Errors are [`Error::Verify`] with [`Credential::Signature`], naming the header
//!   (`err.field()` is `Some("X-Cartfunnel-Hmac-SHA256")`).

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use hmac::{Mac, digest::KeyInit};
use serde_json::Value;
use sha2::{Digest, Sha256};

use cartwire_core::{
    Credential, Dedup, DedupKey, Delivery, EmptyKey, Error, Receiver, Secret, VerifyError,
    verify_digest_bytes, verify_hex_digest,
};

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Cartfunnel-Hmac-SHA256";

/// What the signature may be, for error messages.
const SIGNATURE_ENCODINGS: &str = "hex (64 characters) or base64 (of 32 bytes)";

type HmacSha256 = hmac::Hmac<Sha256>;

/// Standard alphabet, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The webhook secret from Cartfunnel's dashboard: the key that receives (verifies, then
/// parses) Cartfunnel's webhooks, and signs test webhooks.
///
/// It cannot be empty ([`new`](Self::new) answers [`EmptyKey`]), its [`Debug`] output never
/// shows the secret, and it implements [`Receiver`]: `key.receive(&delivery)` checks the
/// `X-Cartfunnel-Hmac-SHA256` header against the raw body of a POST or PUT, then parses the
/// body as JSON. With the `axum08` feature, put it in the router's state for
/// `axum08::VerifiedWebhook`.
///
/// ```
/// use cartfunnel_client_types::{CartfunnelWebhookSecret, EmptyKey};
///
/// let key = CartfunnelWebhookSecret::new("whsec_from_the_dashboard")?;
/// assert!(!format!("{key:?}").contains("whsec"));
/// assert!(CartfunnelWebhookSecret::new("").is_err());
/// # Ok::<(), EmptyKey>(())
/// ```
#[derive(Debug, Clone)]
pub struct CartfunnelWebhookSecret {
    secret: Secret,
}

impl CartfunnelWebhookSecret {
    /// The key, from the secret shown in Cartfunnel's dashboard.
    ///
    /// # Errors
    ///
    /// [`EmptyKey`] for the empty string: a missing configuration value.
    pub fn new(secret: impl Into<Secret>) -> Result<Self, EmptyKey> {
        Secret::non_empty(secret, "Cartfunnel webhook secret").map(|secret| Self { secret })
    }

    /// The secret (never empty).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

impl Receiver for CartfunnelWebhookSecret {
    type Notification = Webhook;

    const PROTOCOL: &'static str = "cartfunnel";

    /// Checks the `X-Cartfunnel-Hmac-SHA256` header against the raw body of a POST or PUT
    /// (or PATCH); the body is not parsed.
    ///
    /// # Errors
    ///
    /// [`Error::Verify`] naming the header ([`VerifyError::Missing`], [`VerifyError::Empty`],
    /// [`VerifyError::Length`], [`VerifyError::BadEncoding`], [`VerifyError::Mismatch`]);
    /// [`Error::Malformed`] naming `method` for a GET, or naming the header when it is
    /// repeated or not visible ASCII.
    fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
        let body = delivery.posted_body()?;
        let signature = delivery
            .header_value(SIGNATURE_HEADER)?
            .ok_or_else(|| VerifyError::Missing.at(Credential::Signature, SIGNATURE_HEADER))?;
        verify(body, signature, self)
    }

    /// Parses the body of a POST or PUT (or PATCH) as JSON, **without checking the
    /// signature**.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming `method` for a GET, as [`Webhook::parse`] otherwise.
    fn decode(delivery: &Delivery<'_>) -> Result<Webhook, Error> {
        Webhook::parse(delivery.posted_body()?)
    }
}

/// HMAC-SHA256 of `body` under `secret` (low level: the receiving and signing functions take
/// a [`CartfunnelWebhookSecret`], which is never empty).
pub fn hmac_sha256(body: &[u8], secret: &Secret) -> [u8; 32] {
    // RFC 2104 key schedule: a key longer than the 64-byte block is hashed first, a shorter
    // one is zero-padded. Building the MAC from the padded block is infallible, where
    // `new_from_slice` returns a Result (that is never an error for HMAC) we would have to
    // unwrap.
    let mut block = hmac::digest::Key::<HmacSha256>::default();
    let key = secret.expose_bytes();
    if key.len() > block.len() {
        let hashed = Sha256::digest(key);
        block
            .iter_mut()
            .zip(hashed.iter())
            .for_each(|(b, k)| *b = *k);
    } else {
        block.iter_mut().zip(key.iter()).for_each(|(b, k)| *b = *k);
    }
    let mut mac = <HmacSha256 as KeyInit>::new(&block);
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// The signature header value for `body`, in lowercase hex.
pub fn sign(body: &[u8], key: &CartfunnelWebhookSecret) -> String {
    cartwire_core::to_lower_hex(&hmac_sha256(body, key.secret()))
}

/// The signature header value for `body`, in standard padded base64.
pub fn sign_base64(body: &[u8], key: &CartfunnelWebhookSecret) -> String {
    general_purpose::STANDARD.encode(hmac_sha256(body, key.secret()))
}

/// A signature header value, sorted out (see the [module docs](self) for the rules).
enum Received<'a> {
    Hex(&'a str),
    Base64(Vec<u8>),
}

fn read_signature(header_value: &str) -> Result<Received<'_>, VerifyError> {
    let value = header_value.trim();
    if value.is_empty() {
        return Err(VerifyError::Empty);
    }
    let all_hex = value.bytes().all(|b| b.is_ascii_hexdigit());
    if all_hex && value.len() == 64 {
        return Ok(Received::Hex(value));
    }
    let base64_len = matches!(value.len(), 43 | 44);
    if all_hex && !base64_len {
        return Err(VerifyError::Length {
            expected: 64,
            found: value.len(),
        });
    }
    let bad_encoding = VerifyError::BadEncoding {
        encoding: SIGNATURE_ENCODINGS,
    };
    let bytes = BASE64.decode(value).map_err(|_| bad_encoding.clone())?;
    match bytes.len() {
        32 => Ok(Received::Base64(bytes)),
        // Base64 of another length: a truncated or padded signature, told in characters.
        _ if !base64_len => Err(VerifyError::Length {
            expected: 44,
            found: value.len(),
        }),
        _ => Err(bad_encoding),
    }
}

/// Checks a signature header value against a webhook's raw body (low level:
/// [`Receiver::receive`] finds the header in a [`Delivery`] and calls this).
///
/// # Errors
///
/// [`Error::Verify`] with [`Credential::Signature`] naming [`SIGNATURE_HEADER`]:
/// [`VerifyError::Empty`], [`VerifyError::Length`], [`VerifyError::BadEncoding`] or
/// [`VerifyError::Mismatch`].
pub fn verify(body: &[u8], header_value: &str, key: &CartfunnelWebhookSecret) -> Result<(), Error> {
    let at_header = |err: VerifyError| err.at(Credential::Signature, SIGNATURE_HEADER);
    let received = read_signature(header_value).map_err(at_header)?;
    let computed = hmac_sha256(body, key.secret());
    match received {
        Received::Hex(hex) => verify_hex_digest(hex, &computed),
        Received::Base64(bytes) => verify_digest_bytes(&bytes, &computed),
    }
    .map_err(at_header)
}

/// A webhook's body as raw JSON (the merchant decides its shape): what
/// [`CartfunnelWebhookSecret`] receives.
///
/// It keeps the body exactly as it arrived (and as it was signed), [`body`](Self::body), next
/// to its parsed form, [`json`](Self::json). Its JSON view is the body itself: there are no
/// typed fields, so nothing to keep aside as unknown.
///
/// # Numbers
///
/// [`serde_json::Value`] holds an integer up to 64 bits exactly and any other number as an
/// `f64`, so in [`json`](Self::json) a number past 64 bits, or with more digits than an `f64`
/// holds (`0.1000000000000000055511151231257827`), is the nearest `f64`. Everything else in
/// this type reads the body's own text, so nothing is rounded there:
///
/// * [`body`](Self::body) is the text as received;
/// * [`deserialize`](Self::deserialize) reads the text into a type of yours, so a field of
///   type [`&RawValue`](serde_json::value::RawValue), or a decimal type that reads JSON
///   numbers from their text, sees the number as it was written;
/// * [`dedup_key`](Self::dedup_key) keeps every number's text as written.
///
/// ```
/// use cartfunnel_client_types::Webhook;
///
/// let webhook = Webhook::parse(br#"{"order":{"id":123456789012345678901234567890}}"#)?;
/// // The parsed `Value` holds the nearest f64 …
/// assert!(webhook.json()["order"]["id"].is_f64());
/// // … the body and `deserialize` keep every digit.
/// #[derive(serde::Deserialize)]
/// struct Order<'a> {
///     #[serde(borrow)]
///     id: &'a serde_json::value::RawValue,
/// }
/// #[derive(serde::Deserialize)]
/// struct Body<'a> {
///     #[serde(borrow)]
///     order: Order<'a>,
/// }
/// let body: Body<'_> = webhook.deserialize()?;
/// assert_eq!(body.order.id.get(), "123456789012345678901234567890");
/// # Ok::<(), cartfunnel_client_types::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Webhook {
    body: Box<str>,
    json: Value,
}

impl Webhook {
    /// Parses a body **without checking a signature** (for tests, or a body checked
    /// already); a receiver calls [`Receiver::receive`] instead.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] for a body that is not one JSON document, [`Error::Limit`] for one
    /// over [`MAX_BODY_BYTES`](crate::decode::MAX_BODY_BYTES).
    pub fn parse(body: &[u8]) -> Result<Self, Error> {
        let json = crate::decode::json(body)?;
        // serde_json accepted the body, so it is UTF-8: outside strings JSON is ASCII, and
        // strings were checked as they were read.
        let body = std::str::from_utf8(body)
            .map_err(|e| Error::malformed("", format!("the body is not UTF-8: {e}")))?;
        Ok(Self {
            body: body.into(),
            json,
        })
    }

    /// The body, exactly as it arrived (the bytes the signature covers).
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The parsed body (numbers past 64 bits or an `f64`'s digits are the nearest `f64`: see
    /// [Numbers](Self#numbers)).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The parsed body, owned.
    pub fn into_json(self) -> Value {
        self.json
    }

    /// Reads the body into a type of yours, from the body's text: numbers reach your type
    /// as written (see [Numbers](Self#numbers)), and strings without escapes may be
    /// borrowed.
    ///
    /// ```
    /// use cartfunnel_client_types::Webhook;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct OrderCreated {
    ///     event: String,
    ///     order: Order,
    /// }
    /// #[derive(serde::Deserialize)]
    /// struct Order {
    ///     id: u64,
    /// }
    ///
    /// let webhook = Webhook::parse(br#"{"event":"order_created","order":{"id":3200291}}"#)?;
    /// let order: OrderCreated = webhook.deserialize()?;
    /// assert_eq!((order.event.as_str(), order.order.id), ("order_created", 3200291));
    ///
    /// let odd = Webhook::parse(br#"{"event":"order_created","order":{"id":"3200291A"}}"#)?;
    /// let err = odd.deserialize::<OrderCreated>().err().unwrap();
    /// assert_eq!(err.field(), Some("order.id"));
    /// # Ok::<(), cartfunnel_client_types::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming the field (`order.id`) when the body does not fit `T`.
    pub fn deserialize<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, Error> {
        let mut de = serde_json::Deserializer::from_str(&self.body);
        serde_path_to_error::deserialize(&mut de).map_err(cartwire_core::from_path_error)
    }

    /// The kind of webhook, when the merchant's template says it: the top-level `event`
    /// string (`order_created`, `abandoned_cart`), or else a top-level `topic` string.
    pub fn event(&self) -> Option<&str> {
        ["event", "topic"]
            .into_iter()
            .filter_map(|name| self.json.get(name).and_then(Value::as_str))
            .find(|event| !event.is_empty())
    }

    /// The idempotency key of this webhook: the same for every retried delivery of it, so a
    /// receiver that ships goods or sends a mail does so once.
    ///
    /// The body has no fixed schema (the merchant edits it), so there is no id field to pick:
    /// the webhook is identified by its whole content. The key is a [`DedupKey`] of protocol
    /// `cartfunnel`, kind [`event`](Self::event) (or `webhook` when there is none) and one
    /// field, `body`: the canonical JSON text of the body (object keys sorted, recursively,
    /// no white space, strings written with `serde_json`'s escapes, and every number's text
    /// exactly as it came, so numbers that differ only past an `f64`'s digits still give
    /// different keys). A retried webhook whose body is byte-identical, or re-serialized with
    /// other white space, another key order or other string escapes, gets the same key; any
    /// change of a value (or of a number's spelling, `1.0` for `1`) gives another.
    ///
    /// So if the merchant's template puts a per-attempt value in the body (a send time, an
    /// attempt counter), every attempt gets its own key: key on a field of your own then
    /// (`webhook.json()["order"]["id"]`).
    ///
    /// ```
    /// use cartfunnel_client_types::Webhook;
    ///
    /// let sent = Webhook::parse(br#"{"event":"order_created","order":{"id":7,"total":"9.50"}}"#)?;
    /// let retried = Webhook::parse(b"{\"order\": {\"total\": \"9.50\", \"id\": 7},\n \"event\": \"order_created\"}")?;
    /// let other = Webhook::parse(br#"{"event":"order_created","order":{"id":8,"total":"9.50"}}"#)?;
    /// assert_eq!(sent.dedup_key(), retried.dedup_key());
    /// assert_ne!(sent.dedup_key(), other.dedup_key());
    /// # Ok::<(), cartfunnel_client_types::Error>(())
    /// ```
    pub fn dedup_key(&self) -> DedupKey {
        let mut body = String::with_capacity(self.body.len());
        if canonical(self.body.trim(), &mut body).is_err() {
            // Unreachable for a body `parse` accepted (the same parser read it); were it to
            // happen, the parsed value's text still identifies the body.
            body = self.json.to_string();
        }
        DedupKey::builder(
            CartfunnelWebhookSecret::PROTOCOL,
            self.event().unwrap_or("webhook"),
        )
        .field("body", body)
        .finish()
    }
}

impl Dedup for Webhook {
    fn dedup_key(&self) -> DedupKey {
        Webhook::dedup_key(self)
    }
}

/// Writes the canonical text of the JSON document `text` to `out`: objects with their keys
/// sorted (a repeated key keeps its last value, as [`Value`] does), no white space, strings
/// re-escaped by `serde_json`, and numbers, `true`, `false` and `null` as written.
///
/// It reads each object and array as a map or list of [`RawValue`](serde_json::value::RawValue)s,
/// so a number's text is never read through an `f64`.
fn canonical(text: &str, out: &mut String) -> Result<(), serde_json::Error> {
    use serde_json::value::RawValue;
    use std::collections::BTreeMap;

    match text.as_bytes().first() {
        Some(b'{') => {
            let members: BTreeMap<String, &RawValue> = serde_json::from_str(text)?;
            out.push('{');
            for (index, (name, value)) in members.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&name)?);
                out.push(':');
                canonical(value.get(), out)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            out.push('[');
            for (index, item) in items.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical(item.get(), out)?;
            }
            out.push(']');
        }
        Some(b'"') => {
            let string: std::borrow::Cow<'_, str> = serde_json::from_str(text)?;
            out.push_str(&serde_json::to_string(&string)?);
        }
        // A number, `true`, `false` or `null`: its text, without surrounding white space.
        _ => out.push_str(text.trim()),
    }
    Ok(())
}

/// A correctly signed webhook, for testing a receiver: the body and the header to send with
/// it.
///
/// ```
/// use cartfunnel_client_types::verify::SignedWebhook;
/// use cartfunnel_client_types::{CartfunnelWebhookSecret, Receiver};
///
/// let key = CartfunnelWebhookSecret::new("whsec_test")?;
/// let signed = SignedWebhook::new(br#"{"event":"abandoned_cart"}"#.to_vec(), &key);
/// let (name, _value) = signed.header();
/// assert_eq!(name, "X-Cartfunnel-Hmac-SHA256");
/// let webhook = key.receive(&signed.delivery("/hooks/cartfunnel"))?;
/// assert_eq!(webhook.event(), Some("abandoned_cart"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedWebhook {
    /// The raw body.
    pub body: Vec<u8>,
    /// The signature header's value (lowercase hex, or base64 from
    /// [`new_base64`](Self::new_base64)).
    pub signature: String,
}

impl SignedWebhook {
    /// Signs `body` with `key` (hex signature).
    pub fn new(body: impl Into<Vec<u8>>, key: &CartfunnelWebhookSecret) -> Self {
        let body = body.into();
        let signature = sign(&body, key);
        Self { body, signature }
    }

    /// Signs `body` with a base64 signature instead.
    pub fn new_base64(body: impl Into<Vec<u8>>, key: &CartfunnelWebhookSecret) -> Self {
        let body = body.into();
        let signature = sign_base64(&body, key);
        Self { body, signature }
    }

    /// The header to send: `(SIGNATURE_HEADER, signature)`.
    pub fn header(&self) -> (&'static str, &str) {
        (SIGNATURE_HEADER, &self.signature)
    }

    /// The webhook as Cartfunnel delivers it to `target` (a path, or a full URL): a POST
    /// with a JSON content type and the signature header, ready for [`Receiver::receive`].
    pub fn delivery<'a>(&'a self, target: &'a str) -> Delivery<'a> {
        Delivery::post(target, &self.body)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, &self.signature)
    }

    /// The webhook as an [`http::Request`] (a POST to `uri` with a JSON content type).
    ///
    /// # Errors
    ///
    /// [`http::Error`] for a URI `http` refuses.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http(&self, uri: &str) -> Result<http::Request<Vec<u8>>, http::Error> {
        http::Request::builder()
            .method(http::Method::POST)
            .uri(uri)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, &self.signature)
            .body(self.body.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use cartwire_core::ErrorKind;

    // Vectors computed outside Rust:
    // python3 -c 'import hmac,hashlib,base64; d=hmac.new(b"whsec_test", open("tests/fixtures/webhook_order.json","rb").read(), hashlib.sha256).digest(); print(d.hex()); print(base64.b64encode(d).decode())'
    const ORDER: &[u8] = include_bytes!("../tests/fixtures/webhook_order.json");
    const ORDER_HEX: &str = "df305ca5f09417a5a9d7c784ea112b4404386dc3de5361766e9e141ff21382df";
    const ORDER_B64: &str = "3zBcpfCUF6Wp18eE6hErRAQ4bcPeU2F2bp4UH/ITgt8=";

    fn key(secret: &str) -> CartfunnelWebhookSecret {
        CartfunnelWebhookSecret::new(secret).unwrap()
    }

    fn secret() -> CartfunnelWebhookSecret {
        key("whsec_test")
    }

    /// The verification error naming the header.
    fn at_header(reason: VerifyError) -> Result<(), Error> {
        Err(reason.at(Credential::Signature, SIGNATURE_HEADER))
    }

    #[test]
    fn python_vectors() {
        assert_eq!(sign(ORDER, &secret()), ORDER_HEX);
        assert_eq!(sign_base64(ORDER, &secret()), ORDER_B64);
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            sign(b"what do ya want for nothing?", &key("Jefe")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A key longer than the block (hashed first):
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"k"*100, b"body", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"body", &key(&"k".repeat(100))),
            "a3306f78bc603683d9d9d98b9304be3e3e99497c42e660d7b00f6698b0df4e89"
        );
        // Exactly one block long (not hashed):
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"k"*64, b"body", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"body", &key(&"k".repeat(64))),
            "2e213d30b446410b3c21ed0982394dd2add15ccc4da5abab1cac32e7fd6eb01f"
        );
        assert_eq!(
            cartwire_core::to_lower_hex(&hmac_sha256(ORDER, secret().secret())),
            ORDER_HEX
        );
    }

    #[test]
    fn an_empty_secret_cannot_be_built() {
        let err = CartfunnelWebhookSecret::new("").unwrap_err();
        assert_eq!(err.what, "Cartfunnel webhook secret");
        assert_eq!(
            err.to_string(),
            "the Cartfunnel webhook secret is empty (a missing configuration value?)"
        );
        assert!(CartfunnelWebhookSecret::new(String::new()).is_err());
        assert_eq!(secret().secret().expose(), "whsec_test");
        let debug = format!("{:?}", secret());
        assert!(!debug.contains("whsec_test"), "{debug}");
    }

    #[test]
    fn accepts_hex_either_case_and_base64_with_or_without_padding() {
        let s = secret();
        assert_eq!(verify(ORDER, ORDER_HEX, &s), Ok(()));
        assert_eq!(verify(ORDER, &ORDER_HEX.to_uppercase(), &s), Ok(()));
        assert_eq!(verify(ORDER, &format!(" {ORDER_HEX}\r\n"), &s), Ok(()));
        assert_eq!(verify(ORDER, ORDER_B64, &s), Ok(()));
        assert_eq!(verify(ORDER, ORDER_B64.trim_end_matches('='), &s), Ok(()));
    }

    #[test]
    fn refuses_every_bad_signature() {
        let s = secret();
        let mismatch = at_header(VerifyError::Mismatch);
        // Wrong key, tampered body.
        assert_eq!(verify(ORDER, ORDER_HEX, &key("whsec_other")), mismatch);
        let mut tampered = ORDER.to_vec();
        tampered.push(b' ');
        assert_eq!(verify(&tampered, ORDER_HEX, &s), mismatch);
        // Empty and blank.
        for empty in ["", "   "] {
            assert_eq!(verify(ORDER, empty, &s), at_header(VerifyError::Empty));
        }
        // Truncated hex is a length error.
        assert_eq!(
            verify(ORDER, &ORDER_HEX[..62], &s),
            at_header(VerifyError::Length {
                expected: 64,
                found: 62
            })
        );
        assert_eq!(
            verify(ORDER, &format!("{ORDER_HEX}00"), &s),
            at_header(VerifyError::Length {
                expected: 64,
                found: 66
            })
        );
        // Truncated base64 decodes to fewer bytes: a length error, counted in characters.
        let err = verify(ORDER, &ORDER_B64[..40], &s).unwrap_err();
        assert_eq!(
            err,
            VerifyError::Length {
                expected: 44,
                found: 40
            }
            .at(Credential::Signature, SIGNATURE_HEADER)
        );
        assert_eq!(
            err.to_string(),
            "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature has 40 characters, expected 44"
        );
        // 44 characters that are not base64 of 32 bytes.
        assert!(matches!(
            verify(ORDER, &"A".repeat(44), &s),
            Err(Error::Verify(v)) if matches!(v.reason, VerifyError::BadEncoding { .. })
        ));
        // Neither hex nor base64.
        for bad in ["sha256=abc", "zz!!", "é", "a b"] {
            let err = verify(ORDER, bad, &s).unwrap_err();
            assert_eq!(
                err,
                VerifyError::BadEncoding {
                    encoding: SIGNATURE_ENCODINGS
                }
                .at(Credential::Signature, SIGNATURE_HEADER),
                "{bad:?}"
            );
        }
        // URL-safe base64 is not the standard alphabet.
        let url_safe = ORDER_B64.replace('+', "-").replace('/', "_");
        if url_safe != ORDER_B64 {
            assert!(verify(ORDER, &url_safe, &s).is_err());
        }
        // Base64 of 32 zero bytes is well formed but wrong.
        assert_eq!(
            verify(ORDER, &general_purpose::STANDARD.encode([0u8; 32]), &s),
            mismatch
        );
        let err = mismatch.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some(SIGNATURE_HEADER));
        assert_eq!(
            err.to_string(),
            "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature does not match (wrong key, or the payload was altered)"
        );
    }

    #[test]
    fn the_header_is_found_in_the_delivery_whatever_its_case() {
        let s = secret();
        let delivery = Delivery::post("/cf", ORDER)
            .header("content-type", "application/json")
            .header("x-cartfunnel-hmac-sha256", ORDER_HEX);
        assert_eq!(s.verify(&delivery), Ok(()));
        let put = Delivery::new("PUT", "/cf")
            .body(ORDER)
            .header(SIGNATURE_HEADER, ORDER_B64);
        assert_eq!(s.verify(&put), Ok(()));

        let unsigned = Delivery::post("/cf", ORDER).header("content-type", "application/json");
        let err = s.verify(&unsigned).unwrap_err();
        assert_eq!(
            err,
            VerifyError::Missing.at(Credential::Signature, SIGNATURE_HEADER)
        );
        assert_eq!(
            err.to_string(),
            "verification failed: `X-Cartfunnel-Hmac-SHA256` is missing"
        );

        // Two signatures for one body: malformed, whichever would match.
        let twice = Delivery::post("/cf", ORDER)
            .header(SIGNATURE_HEADER, ORDER_HEX)
            .header(SIGNATURE_HEADER, ORDER_HEX);
        let err = s.verify(&twice).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some(SIGNATURE_HEADER));

        // A GET has no body to sign: the method is at fault, not the signature.
        let get = Delivery::get("/cf").header(SIGNATURE_HEADER, ORDER_HEX);
        let err = s.verify(&get).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some("method"));
    }

    #[test]
    fn webhook_body_is_raw_json() {
        let signed = SignedWebhook::new(ORDER.to_vec(), &secret());
        assert_eq!(signed.signature, ORDER_HEX);
        let webhook = secret().receive(&signed.delivery("/cf")).unwrap();
        assert_eq!(webhook.json()["order"]["id"], 3200291);
        assert_eq!(webhook.event(), Some("order_created"));
        assert_eq!(webhook.clone().into_json()["shop"], "myshop");
        assert_eq!(webhook, Webhook::parse(ORDER).unwrap());
        let err = Webhook::parse(b"{\"event\":").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        // The signature is checked before the body is looked at.
        let signed = SignedWebhook::new(b"not json".to_vec(), &secret());
        let err = secret().receive(&signed.delivery("/cf")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        let forged = Delivery::post("/cf", b"not json").header(SIGNATURE_HEADER, ORDER_HEX);
        assert_eq!(
            secret().receive(&forged).unwrap_err(),
            VerifyError::Mismatch.at(Credential::Signature, SIGNATURE_HEADER)
        );
        let b64 = SignedWebhook::new_base64(ORDER.to_vec(), &secret());
        assert_eq!(b64.signature, ORDER_B64);
        assert_eq!(b64.header(), (SIGNATURE_HEADER, ORDER_B64));
        // Unverified, the body alone decides.
        assert!(CartfunnelWebhookSecret::receive_unverified(&forged).is_err());
        let unsigned = Delivery::post("/cf", ORDER);
        assert_eq!(
            CartfunnelWebhookSecret::receive_unverified(&unsigned).unwrap(),
            webhook
        );
    }

    #[test]
    fn the_event_is_read_from_event_or_topic() {
        let event = |body: &str| {
            Webhook::parse(body.as_bytes())
                .unwrap()
                .event()
                .map(str::to_owned)
        };
        assert_eq!(event(r#"{"event":"a","topic":"b"}"#).as_deref(), Some("a"));
        assert_eq!(event(r#"{"event":"","topic":"b"}"#).as_deref(), Some("b"));
        assert_eq!(event(r#"{"event":7,"topic":"b"}"#).as_deref(), Some("b"));
        assert_eq!(event(r#"{"order":{"event":"a"}}"#), None);
        assert_eq!(event(r#"["event"]"#), None);
        assert_eq!(event("\"event\""), None);
    }

    #[test]
    fn dedup_keys_follow_the_content_not_its_layout() {
        let parse = |body: &str| Webhook::parse(body.as_bytes()).unwrap().dedup_key();
        let sent =
            parse(r#"{"event":"order_created","order":{"id":1,"tags":["a","b"]},"shop":"s"}"#);
        for same in [
            r#"{"shop":"s","order":{"tags":["a","b"],"id":1},"event":"order_created"}"#,
            "{\n  \"event\" : \"order_created\",\r\n\t\"order\": { \"id\": 1, \"tags\": [ \"a\", \"b\" ] },\n  \"shop\": \"\\u0073\"\n}",
        ] {
            assert_eq!(parse(same), sent, "{same}");
        }
        for different in [
            r#"{"event":"order_created","order":{"id":2,"tags":["a","b"]},"shop":"s"}"#,
            r#"{"event":"order_created","order":{"id":"1","tags":["a","b"]},"shop":"s"}"#,
            r#"{"event":"order_created","order":{"id":1,"tags":["b","a"]},"shop":"s"}"#,
            r#"{"event":"order_updated","order":{"id":1,"tags":["a","b"]},"shop":"s"}"#,
            r#"{"topic":"order_created","order":{"id":1,"tags":["a","b"]},"shop":"s"}"#,
        ] {
            assert_ne!(parse(different), sent, "{different}");
        }
        // The kind is the event: a body without one is a `webhook`.
        let bare = Webhook::parse(br#"{"id":1}"#).unwrap();
        assert_eq!(
            bare.dedup_key(),
            DedupKey::builder("cartfunnel", "webhook")
                .field("body", r#"{"id":1}"#)
                .finish()
        );
        assert_eq!(Dedup::dedup_key(&bare), bare.dedup_key());
        let canonical_text = |text: &str| {
            let mut out = String::new();
            canonical(text, &mut out).unwrap();
            out
        };
        assert_eq!(
            canonical_text(r#"{"b": {"d": 1, "c": [{"f": 0, "e": null}]}, "a": "x"}"#),
            r#"{"a":"x","b":{"c":[{"e":null,"f":0}],"d":1}}"#
        );
        // Empty containers, escapes written one way, literals, a repeated key (the last
        // value wins, as in `Value`), numbers as written.
        assert_eq!(
            canonical_text(
                r#"{ "z" : [ ], "y": { }, "\u0078": "\u00e9\/\"", "w": [true, false, null], "v": 1, "v": -2.50E+3 }"#
            ),
            r#"{"v":-2.50E+3,"w":[true,false,null],"x":"é/\"","y":{},"z":[]}"#
        );
        // The canonical text is itself canonical, and reads as the same `Value`.
        for text in [
            ORDER,
            br#"[1, {"b": [2, {"d": 3, "c": 4}]}, "s"]"#.as_slice(),
        ] {
            let text = std::str::from_utf8(text).unwrap();
            let once = canonical_text(text.trim());
            assert_eq!(canonical_text(&once), once);
            assert_eq!(
                serde_json::from_str::<Value>(&once).unwrap(),
                serde_json::from_str::<Value>(text).unwrap()
            );
        }
    }

    #[test]
    fn numbers_are_kept_exactly_in_the_body_and_the_dedup_key() {
        // Each pair reads as the same f64, so `Value` cannot tell them apart.
        let pairs = [
            (
                "123456789012345678901234567890",
                "123456789012345678901234567891",
            ),
            ("0.1000000000000000055511151231257827", "0.1"),
            ("9007199254740993.0", "9007199254740992.0"),
            ("1e400", "1e401"),
        ];
        for (a, b) in pairs {
            let body = |n: &str| format!(r#"{{"event":"order_created","order":{{"total":{n}}}}}"#);
            let (one, two) = (body(a), body(b));
            let (wa, wb) = (
                Webhook::parse(one.as_bytes()),
                Webhook::parse(two.as_bytes()),
            );
            if a == "1e400" {
                // serde_json refuses a number past f64's range: refused, never rounded.
                assert_eq!(wa.unwrap_err().kind(), cartwire_core::ErrorKind::Malformed);
                assert!(wb.is_err());
                continue;
            }
            let (wa, wb) = (wa.unwrap(), wb.unwrap());
            assert_eq!(wa.json(), wb.json(), "{a} and {b} read as the same f64");
            assert_ne!(wa.dedup_key(), wb.dedup_key(), "{a} / {b}");
            assert_eq!(wa.body(), one);
            #[derive(serde::Deserialize)]
            struct Order<'a> {
                #[serde(borrow)]
                total: &'a serde_json::value::RawValue,
            }
            #[derive(serde::Deserialize)]
            struct Body<'a> {
                #[serde(borrow)]
                order: Order<'a>,
            }
            assert_eq!(wa.deserialize::<Body<'_>>().unwrap().order.total.get(), a);
        }
        // White space around the body does not change the key.
        let spaced = Webhook::parse(b" \n{\"id\": 123456789012345678901234567890 }\t").unwrap();
        let tight = Webhook::parse(br#"{"id":123456789012345678901234567890}"#).unwrap();
        assert_eq!(spaced.dedup_key(), tight.dedup_key());
        assert_eq!(
            tight.dedup_key(),
            DedupKey::builder("cartfunnel", "webhook")
                .field("body", r#"{"id":123456789012345678901234567890}"#)
                .finish()
        );
    }

    #[test]
    fn deserialize_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        struct Order {
            #[allow(dead_code)]
            id: u64,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Body {
            #[allow(dead_code)]
            order: Order,
        }
        let webhook = Webhook::parse(br#"{"order":{"id":"x"}}"#).unwrap();
        let err = webhook.deserialize::<Body>().unwrap_err();
        assert_eq!(err.kind(), cartwire_core::ErrorKind::Malformed);
        assert_eq!(err.field(), Some("order.id"));
    }

    #[cfg(feature = "http")]
    #[test]
    fn http_requests() {
        let signed = SignedWebhook::new(ORDER.to_vec(), &secret());
        let request = signed
            .to_http("https://shop.test/hooks/cartfunnel")
            .unwrap();
        assert_eq!(request.headers()[SIGNATURE_HEADER], ORDER_HEX);
        let webhook = secret().receive(&Delivery::from(&request)).unwrap();
        assert_eq!(webhook.json()["event"], "order_created");
        let bare = http::Request::post("/cf").body(ORDER.to_vec()).unwrap();
        assert_eq!(
            secret().receive(&Delivery::from(&bare)).unwrap_err(),
            VerifyError::Missing.at(Credential::Signature, SIGNATURE_HEADER)
        );
    }
}
