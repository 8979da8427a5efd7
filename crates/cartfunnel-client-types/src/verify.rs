//! Webhooks: the HMAC-SHA256 signature of Cartfunnel's order and abandoned-cart webhooks, and
//! their body as raw JSON. **The hash is computed here**, in [`hmac_sha256`].
//!
//! Cartfunnel sends these webhooks (POST or PUT) with a JSON body the merchant edits in the
//! dashboard, so the body has no fixed schema: [`Webhook`] exposes it as a
//! [`serde_json::Value`]. The header `X-Cartfunnel-Hmac-SHA256` carries an HMAC-SHA256 of the
//! raw body, keyed with the webhook secret.
//!
//! # Decisions where the vendor is silent
//!
//! * **Encoding of the signature.** The vendor does not say, so both are accepted: exactly
//!   64 hexadecimal characters (either case) is hex; anything else must be standard base64
//!   (`+/`, padding optional) of 32 bytes. The two cannot be confused (base64 of 32 bytes is
//!   43 or 44 characters). A hex-looking value of the wrong length is reported as a length
//!   error, not as bad base64. [`sign`] writes lowercase hex; [`sign_base64`] writes base64.
//! * Surrounding white space in the header is ignored; nothing else is (no `sha256=` prefix).
//! * The hash covers the raw body bytes exactly as received: verify before parsing, and never
//!   re-serialize the JSON to check it.
//! * An empty secret is refused ([`WebhookError::EmptySecret`]): anyone can compute an HMAC
//!   under an empty key.
//! * Comparison is constant-time and length-checked (through
//!   [`cartwire_core::verify_hex_digest`] and [`cartwire_core::verify_digest_bytes`]): an
//!   empty or truncated signature never matches.
//!
//! ```
//! use cartfunnel_client_types::verify::{self, Webhook};
//! use cartwire_core::Secret;
//!
//! let secret = Secret::new("whsec_from_the_dashboard");
//! let body = br#"{"event":"order_created","order":{"id":3200291,"total_price":"49.95"}}"#;
//! let header = verify::sign(body, &secret); // what Cartfunnel would send
//!
//! let webhook = Webhook::verify_and_parse(body, &header, &secret)?;
//! assert_eq!(webhook.json()["order"]["total_price"], "49.95");
//!
//! let tampered = br#"{"event":"order_created","order":{"id":3200291,"total_price":"0.01"}}"#;
//! assert!(Webhook::verify_and_parse(tampered, &header, &secret).is_err());
//! # Ok::<(), cartfunnel_client_types::WebhookError>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use hmac::{Mac, digest::KeyInit};
use serde_json::Value;
use sha2::{Digest, Sha256};

use cartwire_core::{Secret, VerifyError, verify_digest_bytes, verify_hex_digest};

use crate::WebhookError;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Cartfunnel-Hmac-SHA256";

type HmacSha256 = hmac::Hmac<Sha256>;

/// Standard alphabet, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// HMAC-SHA256 of `body` under `secret`.
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
pub fn sign(body: &[u8], secret: &Secret) -> String {
    cartwire_core::to_lower_hex(&hmac_sha256(body, secret))
}

/// The signature header value for `body`, in standard padded base64.
pub fn sign_base64(body: &[u8], secret: &Secret) -> String {
    general_purpose::STANDARD.encode(hmac_sha256(body, secret))
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
    if all_hex && value.len() != 43 && value.len() != 44 {
        return Err(VerifyError::Length {
            expected: 64,
            found: value.len(),
        });
    }
    BASE64
        .decode(value)
        .map(Received::Base64)
        .map_err(|_| VerifyError::BadEncoding {
            encoding: "hex (64 characters) or base64 (of 32 bytes)",
        })
}

/// Checks the signature header of a webhook against its raw body.
///
/// # Errors
///
/// [`WebhookError::EmptySecret`], or [`WebhookError::Signature`] with
/// [`VerifyError::Empty`], [`VerifyError::Length`], [`VerifyError::BadEncoding`] or
/// [`VerifyError::Mismatch`].
pub fn verify(body: &[u8], header_value: &str, secret: &Secret) -> Result<(), WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::EmptySecret);
    }
    let computed = hmac_sha256(body, secret);
    match read_signature(header_value)? {
        Received::Hex(hex) => verify_hex_digest(hex, &computed)?,
        Received::Base64(bytes) => verify_digest_bytes(&bytes, &computed)?,
    }
    Ok(())
}

/// Finds the signature among headers (name compared case-insensitively) and checks it.
///
/// # Errors
///
/// As [`verify`], plus [`VerifyError::Missing`] naming the header when it is absent.
pub fn verify_headers<'a>(
    body: &[u8],
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    secret: &Secret,
) -> Result<(), WebhookError> {
    let value = headers
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, value)| value)
        .ok_or_else(|| VerifyError::Missing {
            field: SIGNATURE_HEADER.to_owned(),
        })?;
    verify(body, value, secret)
}

/// A webhook's body as raw JSON (the merchant decides its shape).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Webhook {
    json: Value,
}

impl Webhook {
    /// Parses the body without checking a signature (for tests, or a body checked already).
    ///
    /// # Errors
    ///
    /// [`WebhookError::Body`] for a body that is not JSON (or is over
    /// [`MAX_BODY_BYTES`](crate::decode::MAX_BODY_BYTES)).
    pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
        let json = crate::decode::json(body).map_err(WebhookError::Body)?;
        Ok(Self { json })
    }

    /// Checks the signature, then parses the body.
    ///
    /// # Errors
    ///
    /// As [`verify`] and [`Webhook::parse`].
    pub fn verify_and_parse(
        body: &[u8],
        header_value: &str,
        secret: &Secret,
    ) -> Result<Self, WebhookError> {
        verify(body, header_value, secret)?;
        Self::parse(body)
    }

    /// Checks and parses an [`http::Request`] (the signature from its headers).
    ///
    /// # Errors
    ///
    /// As [`verify_headers`] and [`Webhook::parse`]; a header value that is not visible
    /// ASCII counts as a malformed signature.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn from_http<B: AsRef<[u8]>>(
        request: &http::Request<B>,
        secret: &Secret,
    ) -> Result<Self, WebhookError> {
        let value = request
            .headers()
            .get(SIGNATURE_HEADER)
            .ok_or_else(|| VerifyError::Missing {
                field: SIGNATURE_HEADER.to_owned(),
            })?
            .to_str()
            .map_err(|_| VerifyError::BadEncoding {
                encoding: "hex (64 characters) or base64 (of 32 bytes)",
            })?;
        Self::verify_and_parse(request.body().as_ref(), value, secret)
    }

    /// Parses the body of an [`http::Request`] without checking a signature (a POST, PUT or
    /// PATCH: Cartfunnel sends POST or PUT).
    ///
    /// # Errors
    ///
    /// [`WebhookError::Body`] naming `method` for another method, and as [`Webhook::parse`].
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn parse_http<B: AsRef<[u8]>>(request: &http::Request<B>) -> Result<Self, WebhookError> {
        let body = cartwire_core::http::body(request).map_err(WebhookError::Body)?;
        Self::parse(body)
    }

    /// The body.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The body, owned.
    pub fn into_json(self) -> Value {
        self.json
    }
}

/// A correctly signed webhook, for testing a receiver: the body and the header to send with
/// it.
///
/// ```
/// use cartfunnel_client_types::verify::{self, SignedWebhook};
/// use cartwire_core::Secret;
///
/// let secret = Secret::new("whsec_test");
/// let signed = SignedWebhook::new(br#"{"event":"abandoned_cart"}"#.to_vec(), &secret);
/// let (name, value) = signed.header();
/// assert_eq!(name, "X-Cartfunnel-Hmac-SHA256");
/// assert!(verify::verify(&signed.body, value, &secret).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedWebhook {
    /// The raw body.
    pub body: Vec<u8>,
    /// The signature header's value (lowercase hex).
    pub signature: String,
}

impl SignedWebhook {
    /// Signs `body` with `secret` (hex signature).
    pub fn new(body: impl Into<Vec<u8>>, secret: &Secret) -> Self {
        let body = body.into();
        let signature = sign(&body, secret);
        Self { body, signature }
    }

    /// Signs `body` with a base64 signature instead.
    pub fn new_base64(body: impl Into<Vec<u8>>, secret: &Secret) -> Self {
        let body = body.into();
        let signature = sign_base64(&body, secret);
        Self { body, signature }
    }

    /// The header to send: `(SIGNATURE_HEADER, signature)`.
    pub fn header(&self) -> (&'static str, &str) {
        (SIGNATURE_HEADER, &self.signature)
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
    use super::*;

    // Vectors computed outside Rust:
    // python3 -c 'import hmac,hashlib,base64; d=hmac.new(b"whsec_test", open("tests/fixtures/webhook_order.json","rb").read(), hashlib.sha256).digest(); print(d.hex()); print(base64.b64encode(d).decode())'
    const ORDER: &[u8] = include_bytes!("../tests/fixtures/webhook_order.json");
    const ORDER_HEX: &str = "df305ca5f09417a5a9d7c784ea112b4404386dc3de5361766e9e141ff21382df";
    const ORDER_B64: &str = "3zBcpfCUF6Wp18eE6hErRAQ4bcPeU2F2bp4UH/ITgt8=";

    fn secret() -> Secret {
        Secret::new("whsec_test")
    }

    #[test]
    fn python_vectors() {
        assert_eq!(sign(ORDER, &secret()), ORDER_HEX);
        assert_eq!(sign_base64(ORDER, &secret()), ORDER_B64);
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            sign(b"what do ya want for nothing?", &Secret::new("Jefe")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // A key longer than the block (hashed first):
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"k"*100, b"body", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"body", &Secret::new("k".repeat(100))),
            "a3306f78bc603683d9d9d98b9304be3e3e99497c42e660d7b00f6698b0df4e89"
        );
        // Exactly one block long (not hashed):
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"k"*64, b"body", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign(b"body", &Secret::new("k".repeat(64))),
            "2e213d30b446410b3c21ed0982394dd2add15ccc4da5abab1cac32e7fd6eb01f"
        );
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
        let mismatch = Err(WebhookError::Signature(VerifyError::Mismatch));
        // Wrong key, tampered body.
        assert_eq!(
            verify(ORDER, ORDER_HEX, &Secret::new("whsec_other")),
            mismatch
        );
        let mut tampered = ORDER.to_vec();
        tampered.push(b' ');
        assert_eq!(verify(&tampered, ORDER_HEX, &s), mismatch);
        // Empty and blank.
        for empty in ["", "   "] {
            assert_eq!(
                verify(ORDER, empty, &s),
                Err(WebhookError::Signature(VerifyError::Empty))
            );
        }
        // Truncated hex is a length error.
        assert_eq!(
            verify(ORDER, &ORDER_HEX[..62], &s),
            Err(WebhookError::Signature(VerifyError::Length {
                expected: 64,
                found: 62
            }))
        );
        assert_eq!(
            verify(ORDER, &format!("{ORDER_HEX}00"), &s),
            Err(WebhookError::Signature(VerifyError::Length {
                expected: 64,
                found: 66
            }))
        );
        // Truncated base64 decodes to fewer bytes: a length error.
        assert!(matches!(
            verify(ORDER, &ORDER_B64[..40], &s),
            Err(WebhookError::Signature(VerifyError::Length {
                expected: 32,
                ..
            }))
        ));
        // Neither hex nor base64.
        for bad in ["sha256=abc", "zz!!", "é", "a b"] {
            assert!(
                matches!(
                    verify(ORDER, bad, &s),
                    Err(WebhookError::Signature(VerifyError::BadEncoding { .. }))
                ),
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
        assert_eq!(
            verify(ORDER, ORDER_HEX, &Secret::new("")),
            Err(WebhookError::EmptySecret)
        );
    }

    #[test]
    fn header_lookup_ignores_case() {
        let s = secret();
        assert_eq!(
            verify_headers(
                ORDER,
                [
                    ("content-type", "application/json"),
                    ("x-cartfunnel-hmac-sha256", ORDER_HEX)
                ],
                &s
            ),
            Ok(())
        );
        assert_eq!(
            verify_headers(ORDER, [("content-type", "application/json")], &s),
            Err(WebhookError::Signature(VerifyError::Missing {
                field: SIGNATURE_HEADER.to_owned()
            }))
        );
    }

    #[test]
    fn webhook_body_is_raw_json() {
        let webhook = Webhook::verify_and_parse(ORDER, ORDER_HEX, &secret()).unwrap();
        assert_eq!(webhook.json()["order"]["id"], 3200291);
        assert_eq!(webhook.clone().into_json()["shop"], "myshop");
        let err = Webhook::parse(b"{\"event\":").unwrap_err();
        assert!(matches!(err, WebhookError::Body(_)), "{err}");
        // The signature is checked before the body is looked at.
        let signed = SignedWebhook::new(b"not json".to_vec(), &secret());
        assert!(matches!(
            Webhook::verify_and_parse(&signed.body, &signed.signature, &secret()),
            Err(WebhookError::Body(_))
        ));
        assert!(matches!(
            Webhook::verify_and_parse(b"not json", ORDER_HEX, &secret()),
            Err(WebhookError::Signature(VerifyError::Mismatch))
        ));
        let b64 = SignedWebhook::new_base64(ORDER.to_vec(), &secret());
        assert_eq!(b64.signature, ORDER_B64);
    }

    #[cfg(feature = "http")]
    #[test]
    fn http_requests() {
        let signed = SignedWebhook::new(ORDER.to_vec(), &secret());
        let request = signed
            .to_http("https://shop.test/hooks/cartfunnel")
            .unwrap();
        let webhook = Webhook::from_http(&request, &secret()).unwrap();
        assert_eq!(webhook.json()["event"], "order_created");
        let bare = http::Request::builder().body(ORDER.to_vec()).unwrap();
        assert!(matches!(
            Webhook::from_http(&bare, &secret()),
            Err(WebhookError::Signature(VerifyError::Missing { .. }))
        ));
    }
}
