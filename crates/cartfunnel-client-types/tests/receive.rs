//! Receiving webhooks through the shared model: every sample through
//! `CartfunnelWebhookSecret` as a `Receiver`, the refusals (tampered, wrong key, forged and
//! malformed at once, empty key), and de-duplication keys that follow the content, not its
//! layout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfunnel_client_types::verify::{SIGNATURE_HEADER, SignedWebhook, sign};
use cartfunnel_client_types::{
    CartfunnelWebhookSecret, Credential, Dedup, Delivery, EmptyKey, Error, ErrorKind, Receiver,
    VerifyError, Webhook, samples,
};
use proptest::prelude::*;
use serde_json::Value;

const SECRET: &str = "whsec_test";

fn key() -> CartfunnelWebhookSecret {
    CartfunnelWebhookSecret::new(SECRET).unwrap()
}

/// Receives a delivery that must be accepted, and checks what every receiver promises: the
/// verified notification is the one decoding alone gives, with the same idempotency key.
fn check<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> R::Notification {
    let notification = key
        .receive(delivery)
        .unwrap_or_else(|err| panic!("{delivery:?}: {err}"));
    let unverified = R::receive_unverified(delivery).unwrap();
    assert_eq!(notification.dedup_key(), unverified.dedup_key());
    notification
}

/// A refusal of the signature, naming the header.
fn assert_refused(err: &Error, reason: &VerifyError) {
    assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{err}");
    assert_eq!(err.field(), Some(SIGNATURE_HEADER), "{err}");
    match err {
        Error::Verify(v) => {
            assert_eq!(v.credential, Credential::Signature);
            assert_eq!(&v.reason, reason);
        }
        other => panic!("{other:?}"),
    }
}

/// Every sample is JSON, so every sample is a webhook body a merchant could configure.
const SAMPLES: [&str; 9] = [
    samples::WEBHOOK_ORDER,
    samples::WEBHOOK_ABANDONED_CART,
    samples::CUSTOMER,
    samples::CUSTOMER_CREATED,
    samples::CUSTOMER_UPDATE_FAILED,
    samples::CUSTOMER_CREATE_FAILED,
    samples::CUSTOMER_PAGE,
    samples::CREATE_REQUEST,
    samples::UPDATE_REQUEST,
];

#[test]
fn every_sample_is_received_posted_or_put_hex_or_base64() {
    let key = key();
    for sample in SAMPLES {
        let expected: Value = serde_json::from_str(sample).unwrap();
        for signed in [
            SignedWebhook::new(sample, &key),
            SignedWebhook::new_base64(sample, &key),
        ] {
            let webhook = check(&key, &signed.delivery("/hooks/cartfunnel"));
            assert_eq!(webhook.json(), &expected);
            let put = Delivery::new("PUT", "https://shop.example/hooks/cartfunnel?shop=myshop")
                .body(&signed.body)
                .header("x-cartfunnel-hmac-sha256", &signed.signature);
            assert_eq!(check(&key, &put), webhook);
        }
    }
    let order = check(
        &key,
        &SignedWebhook::new(samples::WEBHOOK_ORDER, &key).delivery("/h"),
    );
    assert_eq!(order.event(), Some("order_created"));
    assert_eq!(order.json()["order"]["total_price"], "49.95");
}

#[test]
fn a_tampered_body_is_refused() {
    let key = key();
    let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &key);
    let tampered = samples::WEBHOOK_ORDER.replace("49.95", "0.01");
    let delivery =
        Delivery::post("/h", tampered.as_bytes()).header(SIGNATURE_HEADER, &signed.signature);
    let err = key.receive(&delivery).unwrap_err();
    assert_refused(&err, &VerifyError::Mismatch);
    assert_eq!(
        err.to_string(),
        "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature does not match (wrong key, or the payload was altered)"
    );
    // Unverified, the tampered body decodes: only the signature tells it apart.
    assert_eq!(
        CartfunnelWebhookSecret::receive_unverified(&delivery)
            .unwrap()
            .json()["order"]["total_price"],
        "0.01"
    );
}

#[test]
fn a_wrong_key_is_refused_naming_the_header() {
    let other = CartfunnelWebhookSecret::new("whsec_other").unwrap();
    for sample in SAMPLES {
        let signed = SignedWebhook::new(sample, &other);
        let err = key().receive(&signed.delivery("/h")).unwrap_err();
        assert_refused(&err, &VerifyError::Mismatch);
    }
}

#[test]
fn a_forged_body_is_refused_as_forged_even_when_it_is_not_json() {
    let key = key();
    let valid_elsewhere = sign(samples::WEBHOOK_ORDER.as_bytes(), &key);
    for body in [&b"not json"[..], b"", b"{\"event\":", b"\xff\xfe"] {
        let wrong = Delivery::post("/h", body).header(SIGNATURE_HEADER, &valid_elsewhere);
        assert_refused(&key.receive(&wrong).unwrap_err(), &VerifyError::Mismatch);
        let unsigned = Delivery::post("/h", body);
        assert_refused(&key.receive(&unsigned).unwrap_err(), &VerifyError::Missing);
        let blank = Delivery::post("/h", body).header(SIGNATURE_HEADER, "  ");
        assert_refused(&key.receive(&blank).unwrap_err(), &VerifyError::Empty);
        // Decoded without the check, the same body is malformed.
        assert_eq!(
            CartfunnelWebhookSecret::receive_unverified(&wrong)
                .unwrap_err()
                .kind(),
            ErrorKind::Malformed
        );
    }
    // Correctly signed but not JSON: now the content is judged.
    let signed = SignedWebhook::new(&b"{\"event\":"[..], &key);
    let err = key.receive(&signed.delivery("/h")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
}

#[test]
fn an_empty_secret_cannot_be_built() {
    let err: EmptyKey = CartfunnelWebhookSecret::new("").unwrap_err();
    assert_eq!(err.what, "Cartfunnel webhook secret");
    assert_eq!(
        err.to_string(),
        "the Cartfunnel webhook secret is empty (a missing configuration value?)"
    );
    assert_eq!(CartfunnelWebhookSecret::PROTOCOL, "cartfunnel");
}

#[test]
fn the_key_and_the_delivery_keep_secrets_out_of_debug() {
    let key = key();
    let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &key);
    let debug = format!("{key:?} {:?}", signed.delivery("/h?token=t0k"));
    for secret in [SECRET, signed.signature.as_str(), "t0k", "order_created"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

/// JSON text with every object's keys in reverse order and generous white space: what another
/// serializer, or a retry through another queue, might send for the same content.
fn reformatted(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Object(map) => {
                out.push_str("{\n");
                for (i, (name, value)) in map.iter().rev().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\r\n");
                    }
                    out.push('\t');
                    out.push_str(&Value::String(name.clone()).to_string());
                    out.push_str(" : ");
                    write(value, out);
                }
                out.push_str("\n}");
            }
            Value::Array(items) => {
                out.push_str("[ ");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push_str(" ]");
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut out = String::from(" ");
    write(value, &mut out);
    out.push('\n');
    out
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,4}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A webhook body: an object, with an `event` now and then.
fn body() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop_oneof![Just("order_created"), Just("abandoned_cart")]),
        prop::collection::btree_map("[a-z_]{1,6}", json(), 0..5),
    )
        .prop_map(|(event, fields)| {
            let mut map: serde_json::Map<String, Value> = fields.into_iter().collect();
            if let Some(event) = event {
                map.insert("event".into(), Value::from(event));
            }
            Value::Object(map)
        })
}

proptest! {
    #[test]
    fn a_retry_reformatted_gets_the_same_key(value in body()) {
        let key = key();
        let compact = SignedWebhook::new(value.to_string(), &key);
        let pretty = SignedWebhook::new(serde_json::to_string_pretty(&value).unwrap(), &key);
        let reordered = SignedWebhook::new(reformatted(&value), &key);
        let first = check(&key, &compact.delivery("/h"));
        prop_assert_eq!(first.json(), &value);
        for retry in [&pretty, &reordered] {
            let again = check(&key, &retry.delivery("/h"));
            prop_assert_eq!(again.dedup_key(), first.dedup_key());
        }
    }

    #[test]
    fn different_content_gets_a_different_key(a in body(), b in body()) {
        prop_assume!(a != b);
        let a = Webhook::parse(a.to_string().as_bytes()).unwrap();
        let b = Webhook::parse(reformatted(&b).as_bytes()).unwrap();
        prop_assert_ne!(a.dedup_key(), b.dedup_key());
    }
}
