//! The receiving model: every sample through `JustClickKey::receive`, tampered, wrong-key,
//! forged-and-malformed deliveries, empty keys, bodies that are no notification at all, and
//! the idempotency key of retried deliveries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use justclick_invoice::{
    Credential, Delivery, ErrorKind, Form, JustClickKey, Kind, Notification, Receiver, VerifyError,
    decode, encode_signed, samples,
};

const HOOK: &str = "/hooks/justclick";

fn key() -> JustClickKey {
    JustClickKey::new(samples::SECRET).unwrap()
}

fn post(body: &[u8]) -> Delivery<'_> {
    Delivery::post(HOOK, body).header("Content-Type", "application/x-www-form-urlencoded")
}

/// What any receiver does with any protocol's key.
fn check<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> Result<R::Notification, String> {
    key.receive(delivery)
        .map_err(|err| format!("{:?} {:?} {err}", err.kind(), err.field()))
}

#[test]
fn every_sample_is_received() {
    let key = key();
    for (kind, wire) in samples::ALL {
        let n = check(&key, &post(wire.as_bytes())).unwrap();
        assert_eq!(n.kind(), *kind);
        assert_eq!(n.id(), "1001");
        assert_eq!(key.decode_verified(wire.as_bytes()).unwrap(), n);
        assert_eq!(
            JustClickKey::receive_unverified(&post(wire.as_bytes())).unwrap(),
            n
        );
        // PUT and PATCH carry a body too.
        let put = Delivery::new("PUT", HOOK).body(wire.as_bytes());
        assert_eq!(key.receive(&put).unwrap(), n);
    }
}

#[test]
fn a_tampered_delivery_is_refused_naming_the_hash() {
    let key = key();
    for (field, from, to) in [
        ("id", "id=1001&", "id=1002&"),
        (
            "email",
            "email=ivan.petrov%2Bshop",
            "email=ivan.petrov%2Bshoq",
        ),
        ("paid", "paid=1712048461", "paid=1712048462"),
    ] {
        let tampered = samples::PAID.replacen(from, to, 1);
        assert_ne!(tampered, samples::PAID, "{field}");
        let err = key.receive(&post(tampered.as_bytes())).unwrap_err();
        assert_eq!(
            err,
            VerifyError::Mismatch.at(Credential::Hash, "hash"),
            "{field}"
        );
    }
}

#[test]
fn a_wrong_key_is_refused_naming_the_hash() {
    let wrong = JustClickKey::new("jc-fixture-secret-4f2b").unwrap();
    for (_, wire) in samples::ALL {
        let err = wrong.receive(&post(wire.as_bytes())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));
        assert_eq!(
            err.to_string(),
            "verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
        );
    }
}

#[test]
fn a_body_both_forged_and_malformed_is_refused_as_forged() {
    let key = key();
    // No email, a sum that is no number, a time that is no time, a wrong hash.
    for body in [
        &b"id=1001&paid=1712048461&hash=034445528f4b2c73477cdd4cb631762e"[..],
        b"id=1001&email=a%40b.ru&paid=1712048461&items[0][sum]=lots&hash=00",
        b"status=new_order&created=yesterday&hash=",
        b"id=1001&paid=1712048461",
    ] {
        let err = key.receive(&post(body)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{err}");
        assert_eq!(err.field(), Some("hash"));
        // Unverified, the content is judged.
        let err = JustClickKey::receive_unverified(&post(body)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
    }
    // A correctly signed body that is malformed is judged on its content.
    let signed_without_email = {
        let mut n = decode(samples::PAID.as_bytes()).unwrap();
        n.invoice_mut().unwrap().email.clear();
        encode_signed(&n, &key)
    };
    let err = key
        .receive(&post(signed_without_email.as_bytes()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert_eq!(err.field(), Some("email"));
}

#[test]
fn an_empty_key_is_refused_when_built() {
    let err = JustClickKey::new("").unwrap_err();
    assert_eq!(err.what, "JustClick API key");
    assert!(JustClickKey::new(String::new()).is_err());
    assert!(JustClickKey::new("k").is_ok());
    assert_eq!(
        format!("{:?}", JustClickKey::new("s3cr3t").unwrap()),
        r#"JustClickKey { secret: Secret("[redacted]") }"#
    );
}

/// An empty body, noise, a JSON document: none has an `id` or an `email`.
const NOT_NOTIFICATIONS: [&[u8]; 3] = [b"", b"garbage%%%", br#"{"id":1}"#];

#[test]
fn a_body_with_neither_id_nor_email_is_malformed_naming_id() {
    for body in NOT_NOTIFICATIONS {
        for err in [
            decode(body).unwrap_err(),
            JustClickKey::receive_unverified(&post(body)).unwrap_err(),
        ] {
            assert_eq!(err.kind(), ErrorKind::Malformed, "{body:?}: {err}");
            assert_eq!(err.field(), Some("id"), "{body:?}: {err}");
        }
        // With a key, the missing hash is found first.
        let err = key().receive(&post(body)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{body:?}: {err}");
        assert_eq!(err, VerifyError::Missing.at(Credential::Hash, "hash"));
    }
    // And with a hash that is wrong.
    let err = key().receive(&post(b"garbage%%%&hash=00")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
}

#[test]
fn only_a_post_carries_a_notification() {
    let get = Delivery::get("/hooks/justclick?id=1001&email=a&paid=1&hash=00");
    let err = key().receive(&get).unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Malformed, Some("method"))
    );
}

/// The pairs of a body in the given order, every byte of keys and values percent-encoded.
fn re_encoded(body: &str, order: impl Fn(usize) -> usize) -> String {
    let form = Form::parse(body.as_bytes()).unwrap();
    let pairs: Vec<(&str, &str)> = form.pairs().collect();
    let escape = |text: &str| -> String { text.bytes().map(|b| format!("%{b:02X}")).collect() };
    (0..pairs.len())
        .map(|i| {
            let (k, v) = pairs[order(i) % pairs.len()];
            format!("{}={}", escape(k), escape(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn the_dedup_key_ignores_order_and_encoding_and_tells_events_apart() {
    let key = key();
    let mut keys = Vec::new();
    for (kind, wire) in samples::ALL {
        let n = key.receive(&post(wire.as_bytes())).unwrap();
        let count = Form::parse(wire.as_bytes()).unwrap().pairs().len();
        let reversed = re_encoded(wire, |i| count - 1 - i);
        let again = key.receive(&post(reversed.as_bytes())).unwrap();
        assert_eq!(again.dedup_key(), n.dedup_key(), "{kind}");
        assert_eq!(
            justclick_invoice::Dedup::dedup_key(&again),
            n.dedup_key(),
            "{kind}"
        );
        keys.push(n.dedup_key());
    }
    // Five kinds of event about one invoice: five keys.
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), samples::ALL.len());

    // Another invoice, or another payment time of the same one, is another event.
    let paid = decode(samples::PAID.as_bytes()).unwrap();
    let mut other = paid.clone();
    other.invoice_mut().unwrap().id = "1002".into();
    assert_ne!(other.dedup_key(), paid.dedup_key());
    let Notification::Paid(mut later) = paid.clone() else {
        panic!()
    };
    later.payment.paid = justclick_invoice::UnixTime::from_seconds(1_712_048_462).unwrap();
    assert_ne!(Notification::Paid(later).dedup_key(), paid.dedup_key());
    // Fields the hash does not cover do not change it.
    let mut renamed = paid.clone();
    renamed.invoice_mut().unwrap().first_name = "Пётр".into();
    assert_eq!(renamed.dedup_key(), paid.dedup_key());

    // Unknown kinds: their status tells them apart.
    let unknown = |status: &str| {
        decode(format!("status={status}&id=1001&email=a&created=1712044800").as_bytes()).unwrap()
    };
    assert_eq!(unknown("shipped").kind(), Kind::Unknown);
    assert_ne!(
        unknown("shipped").dedup_key(),
        unknown("delivered").dedup_key()
    );
    assert_eq!(
        unknown("shipped").dedup_key(),
        unknown("shipped").dedup_key()
    );
}

/// `receive` parses the body once for the check and the decode; it must answer exactly as the
/// two steps it stands for (`verify`, then `decode`), on good, forged, malformed and odd bodies.
#[test]
fn receive_is_verify_then_decode() {
    let mut bodies: Vec<Vec<u8>> = samples::ALL
        .iter()
        .map(|(_, body)| body.as_bytes().to_vec())
        .collect();
    let paid = samples::PAID.as_bytes();
    bodies.extend([
        paid.iter()
            .map(|&b| if b == b'7' { b'8' } else { b })
            .collect(),
        b"id=1001&paid=1&hash=00".to_vec(),
        b"id=1001&email=a&paid=yesterday&hash=00".to_vec(),
        b"id=1&id=2&hash=00".to_vec(),
        b"id=%FF&hash=00".to_vec(),
        b"a[b]=1&a=2".to_vec(),
        b"hash[x]=1&id=1".to_vec(),
        b"".to_vec(),
        b"garbage%%%".to_vec(),
        [paid, b"&items[0][id]=again"].concat(),
    ]);
    for key in [key(), JustClickKey::new("another key").unwrap()] {
        for body in &bodies {
            for delivery in [post(body), Delivery::get("/hooks/justclick?id=1")] {
                let one_pass = key.receive(&delivery);
                let two_steps = key
                    .verify(&delivery)
                    .and_then(|()| JustClickKey::decode(&delivery));
                assert_eq!(one_pass, two_steps, "{}", String::from_utf8_lossy(body));
            }
        }
    }
}
