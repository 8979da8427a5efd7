//! Receiving through the one model: every sample through `token.receive(&delivery)`, and the
//! deliveries a receiver must refuse; the idempotency key of retried deliveries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use cartloom_order::{
    BodyShape, CartloomToken, Credential, Decimal, Delivery, EmptyKey, Error, ErrorKind, Order,
    ReceivedOrder, Receiver, ShippingStatus, VerifyError, decode, encode_form, encode_json,
    samples,
};
use common::fixture;

const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

fn token() -> CartloomToken {
    CartloomToken::new(TOKEN).unwrap()
}

fn notify_target() -> String {
    format!("/hooks/cartloom?token={TOKEN}")
}

/// What any receiver does with a delivery, whatever the protocol.
fn check<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> Result<R::Notification, Error> {
    let notification = key.receive(delivery)?;
    // The key of a notification is stable.
    assert_eq!(
        cartloom_order::Dedup::dedup_key(&notification),
        cartloom_order::Dedup::dedup_key(&notification)
    );
    Ok(notification)
}

#[test]
fn every_sample_is_received() {
    let target = notify_target();
    for (name, body, shape) in [
        ("ORDER_JSON", samples::ORDER_JSON, BodyShape::Json),
        ("ORDER_FORM", samples::ORDER_FORM, BodyShape::Form),
        ("VENDOR_PAGE", samples::VENDOR_PAGE, BodyShape::Form),
    ] {
        let delivery =
            Delivery::post(&target, body.as_bytes()).header("Content-Type", shape.content_type());
        let received = check(&token(), &delivery).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(received.shape, shape, "{name}");
        assert_eq!(received.order.oid, "0000123456", "{name}");
        assert_eq!(received.order.items.len(), 2, "{name}");
        assert_eq!(
            received,
            CartloomToken::receive_unverified(&delivery).unwrap()
        );
    }
    for name in [
        "vendor-sample.json",
        "vendor-sample.compact.json",
        "vendor-sample.form",
        "shipped.json",
        "nulls.json",
        "numbers.json",
        "missing-optional.json",
        "unknown-fields.json",
    ] {
        let body = fixture(name);
        let received = check(&token(), &Delivery::post(&target, &body))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(received.order, decode(&body).unwrap(), "{name}");
    }
}

#[test]
fn a_tampered_token_is_refused() {
    let body = samples::ORDER_FORM.as_bytes();
    let mut tampered = TOKEN.to_owned();
    tampered.replace_range(0..1, "6");
    for target in [
        format!("/hooks/cartloom?token={tampered}"),
        format!("/hooks/cartloom?token={}", &TOKEN[..16]),
        format!("/hooks/cartloom?token={TOKEN}x"),
        format!("/hooks/cartloom?token={}", TOKEN.to_uppercase()),
    ] {
        let err = check(&token(), &Delivery::post(&target, body)).unwrap_err();
        assert_eq!(
            err,
            VerifyError::Mismatch.at(Credential::Token, "token"),
            "{target}"
        );
    }
}

#[test]
fn cartloom_signs_nothing_so_an_altered_body_with_the_token_passes() {
    // Only HTTPS protects the body in transit: the token proves the sender knew the URL.
    let altered = samples::ORDER_JSON.replace("\"19.95\"", "\"0.01\"");
    let received = check(
        &token(),
        &Delivery::post(&notify_target(), altered.as_bytes()),
    )
    .unwrap();
    assert_eq!(received.order.grandtotal.to_string(), "0.01");
}

#[test]
fn a_wrong_key_is_refused_naming_the_parameter() {
    let other = CartloomToken::new("another-token-another-token-0000").unwrap();
    let err = check(
        &other,
        &Delivery::post(&notify_target(), samples::ORDER_FORM.as_bytes()),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    assert_eq!(err.field(), Some("token"));
    let message = err.to_string();
    assert_eq!(
        message,
        "verification failed: `token`: the token does not match (wrong token, or a request to a guessed URL)"
    );
    assert!(!message.contains("hash"), "{message}");
    assert!(!message.contains(TOKEN), "{message}");

    // Another parameter name: the error names it.
    let keyed = token().with_param("key").unwrap();
    let err = check(
        &keyed,
        &Delivery::post(&notify_target(), samples::ORDER_FORM.as_bytes()),
    )
    .unwrap_err();
    assert_eq!(err, VerifyError::Missing.at(Credential::Token, "key"));
    assert_eq!(err.to_string(), "verification failed: `key` is missing");
    let err = check(&keyed, &Delivery::post("/h?key=", b"")).unwrap_err();
    assert_eq!(err, VerifyError::Empty.at(Credential::Token, "key"));
    assert_eq!(
        err.to_string(),
        "verification failed: `key`: the token is empty"
    );
}

#[test]
fn an_unauthenticated_malformed_body_is_refused_as_unauthenticated() {
    for body in [
        &b""[..],
        b"{",
        b"order=%7B",
        b"\xff\xfe garbage",
        br#"{"subtotal":"1"}"#,
        b"order=1&order=2",
    ] {
        for target in ["/hooks/cartloom?token=guess", "/hooks/cartloom"] {
            let err = check(&token(), &Delivery::post(target, body)).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::VerificationFailed,
                "{target} {body:?}"
            );
            // With the right token, the same body is malformed.
            let err = check(&token(), &Delivery::post(&notify_target(), body)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{body:?}");
        }
    }
    // Even the method is judged after the token.
    let err = check(&token(), &Delivery::get("/hooks/cartloom?token=guess")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    let err = check(&token(), &Delivery::get(&notify_target())).unwrap_err();
    assert_eq!(err.field(), Some("method"));
}

#[test]
fn an_empty_token_cannot_be_configured() {
    let err: EmptyKey = CartloomToken::new("").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the Cartloom endpoint token is empty (a missing configuration value?)"
    );
    assert!(CartloomToken::new(String::new()).is_err());
    assert!(CartloomToken::new(cartloom_order::Secret::new("")).is_err());
}

#[test]
fn the_token_is_read_from_the_query_only() {
    // A token in the body, or in a header, is not a token.
    let body = format!("token={TOKEN}&{}", samples::ORDER_FORM.trim());
    let delivery = Delivery::post("/hooks/cartloom", body.as_bytes()).header("token", TOKEN);
    let err = check(&token(), &delivery).unwrap_err();
    assert_eq!(err, VerifyError::Missing.at(Credential::Token, "token"));
}

// ---------------------------------------------------------------------------------------
// dedup_key

fn key_of(body: &[u8]) -> cartloom_order::DedupKey {
    decode(body).unwrap().dedup_key()
}

/// Percent-encodes every byte of the JSON, with upper- or lower-case hex.
fn percent_encode_all(json: &str, upper: bool) -> String {
    let mut out = String::from("order=");
    for byte in json.bytes() {
        if upper {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push_str(&format!("%{byte:02x}"));
        }
    }
    out
}

#[test]
fn a_retried_delivery_has_the_same_key() {
    let order = decode(samples::ORDER_JSON.as_bytes()).unwrap();
    let key = order.dedup_key();
    assert_eq!(key.as_str().len(), 64);
    // The same order in every shape and spelling.
    assert_eq!(key_of(samples::ORDER_FORM.as_bytes()), key);
    assert_eq!(key_of(samples::VENDOR_PAGE.as_bytes()), key);
    assert_eq!(key_of(&fixture("vendor-sample.json")), key);
    assert_eq!(
        key_of(percent_encode_all(samples::ORDER_JSON, true).as_bytes()),
        key
    );
    assert_eq!(
        key_of(percent_encode_all(samples::ORDER_JSON, false).as_bytes()),
        key
    );
    // Keys reordered: inserted in reverse (a `serde_json::Map` either keeps that order, with
    // serde_json's `preserve_order`, or sorts them; both differ from the wire's order).
    let value: serde_json::Value = serde_json::from_str(samples::ORDER_JSON).unwrap();
    let reversed: serde_json::Map<String, serde_json::Value> = value
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let sorted = serde_json::to_string(&reversed).unwrap();
    assert_ne!(sorted, samples::ORDER_JSON);
    assert_eq!(key_of(sorted.as_bytes()), key);
    // Numbers for strings, the same values.
    let numbers = samples::ORDER_JSON.replace(r#""subscribed":1"#, r#""subscribed":"1""#);
    assert_eq!(key_of(numbers.as_bytes()), key);
    // The notification, received in either shape, has the order's key.
    let target = notify_target();
    for body in [samples::ORDER_JSON, samples::ORDER_FORM] {
        let received = token()
            .receive(&Delivery::post(&target, body.as_bytes()))
            .unwrap();
        assert_eq!(received.dedup_key(), key);
        assert_eq!(cartloom_order::Dedup::dedup_key(&received), key);
    }
    // Amounts are compared by value.
    let mut a = order.clone();
    a.refund_amount = Some("10.0".parse().unwrap());
    let mut b = order.clone();
    b.refund_amount = Some("10.00".parse().unwrap());
    assert_eq!(a.dedup_key(), b.dedup_key());
    // Fields that do not identify the delivery do not change it.
    let mut edited = order.clone();
    edited.billing.phone = "555".into();
    edited.notes = "called the buyer".into();
    assert_eq!(edited.dedup_key(), key);
}

#[test]
fn a_new_reason_to_post_gives_a_new_key() {
    let order = decode(samples::ORDER_JSON.as_bytes()).unwrap();
    let key = order.dedup_key();
    type Change = (&'static str, fn(&mut Order));
    let changes: [Change; 9] = [
        ("oid", |o| o.oid = "0000123457".into()),
        ("refunded", |o| o.refunded = true),
        ("refund_amount", |o| {
            o.refund_amount = Some(Decimal::new(1995, 2))
        }),
        ("on_hold", |o| o.on_hold = true),
        ("shipping_status", |o| {
            o.shipping_status = ShippingStatus::Shipped
        }),
        ("shipping_status unknown", |o| {
            o.shipping_status = ShippingStatus::Unknown("2".into());
        }),
        ("subscribed", |o| o.subscribed = false),
        ("invoice", |o| o.invoice = "000004322".into()),
        ("trans_id", |o| o.trans_id = "re_1".into()),
    ];
    let mut keys = vec![key.clone()];
    for (name, change) in changes {
        let mut changed = order.clone();
        change(&mut changed);
        let changed_key = changed.dedup_key();
        assert!(!keys.contains(&changed_key), "{name}");
        keys.push(changed_key.clone());
        // Through the wire and back, the change is still seen.
        let wire = encode_form(&changed);
        assert_eq!(key_of(wire.as_bytes()), changed_key, "{name}");
    }
    // A refund of the order: a new key, the same one for the refund's own retries.
    let refund = samples::ORDER_JSON.replace(
        r#""refunded":"0","refund_amount":"""#,
        r#""refunded":"1","refund_amount":"19.95""#,
    );
    assert_ne!(refund, samples::ORDER_JSON);
    let refund_key = key_of(refund.as_bytes());
    assert_ne!(refund_key, key);
    let refund_order = decode(refund.as_bytes()).unwrap();
    assert_eq!(key_of(encode_json(&refund_order).as_bytes()), refund_key);
    assert_eq!(
        ReceivedOrder::new(refund_order, BodyShape::Form).dedup_key(),
        refund_key
    );
}
