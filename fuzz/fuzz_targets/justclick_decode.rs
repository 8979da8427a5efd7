//! JustClick decoding and receiving on arbitrary bytes: nothing panics; whatever decodes is
//! written back and decodes to the same notification, with the same de-duplication key (and
//! the canonical body is stable); signing it makes it verify, through the typed check and the
//! raw-body check alike. (The JSON form is covered by the crate's property tests; the fuzz
//! crate has no JSON dependency.)
//!
//! Receiving ([`JustClickKey`] as a [`Receiver`]), with the bytes as a POST body:
//!
//! * the raw check (`key.verify(&delivery)`) and the typed one agree on every decodable body;
//!   a body that does not decode can pass the raw check, never `key.receive`;
//! * whenever `key.receive(&delivery)` succeeds, `JustClickKey::receive_unverified(&delivery)`
//!   succeeds too, with an equal notification;
//! * a decodable body without a `hash`, with the hash of its decoded values appended, is
//!   received with the key, to the decoded notification signed: the hash check on the raw
//!   values and the decoder read the same `id`, `email`, kind and time;
//! * a key that did not sign refuses it as forged (`VerificationFailed`, naming `hash`).
//!
//! Seeds: the crate's fixtures, e.g.
//! `mkdir -p corpus/justclick_decode && cp ../crates/justclick-invoice/tests/fixtures/*.txt corpus/justclick_decode/`.
#![no_main]

use cartwire_core::ToEvent as _;
use justclick_invoice::{
    Delivery, ErrorKind, Form, JustClickKey, Notification, Receiver, decode, encode, encode_signed,
};
use libfuzzer_sys::fuzz_target;

const TARGET: &str = "/hooks/justclick";

/// The central property of the receiving model, on one delivery.
fn receive_implies_unverified(key: &JustClickKey, delivery: &Delivery<'_>) -> Option<Notification> {
    let verified = key.receive(delivery);
    let unverified = JustClickKey::receive_unverified(delivery);
    if let Ok(notification) = &verified {
        let unverified = unverified
            .as_ref()
            .unwrap_or_else(|e| panic!("received with the key, but not without: {e}"));
        assert_eq!(
            notification, unverified,
            "verifying changed the notification"
        );
        // The event mapping never panics, and carries the notification's key.
        assert_eq!(notification.to_event().dedup_key, notification.dedup_key());
        assert_eq!(notification.dedup_key(), unverified.dedup_key());
    }
    // Another key refuses as forged, naming `hash`; a delivery this key accepts is never
    // judged malformed by another key.
    let wrong = JustClickKey::new("not-the-fuzz-key").unwrap();
    if let Err(err) = wrong.receive(delivery) {
        if err.kind() == ErrorKind::VerificationFailed {
            assert_eq!(err.field(), Some("hash"), "{err}");
        } else {
            assert!(
                verified.is_err(),
                "accepted with the key, but {err} with another"
            );
        }
    }
    verified.ok()
}

fuzz_target!(|data: &[u8]| {
    let key = JustClickKey::new("fuzz-key").unwrap();
    let post = Delivery::post(TARGET, data);
    let raw = key.verify(&post);
    receive_implies_unverified(&key, &post);
    match decode(data) {
        Ok(notification) => {
            // The raw check and the typed one agree on every decodable body.
            assert_eq!(
                raw.is_ok(),
                notification.verify(&key).is_ok() && key.receive(&post).is_ok(),
                "raw and typed verification disagree"
            );
            let dedup = notification.dedup_key();

            let wire = encode(&notification);
            let again = decode(wire.as_bytes())
                .unwrap_or_else(|e| panic!("written-back body failed to decode: {e}\n{wire}"));
            assert_eq!(
                again, notification,
                "wire round trip changed the notification\n{wire}"
            );
            assert_eq!(
                again.dedup_key(),
                dedup,
                "dedup key changed on a round trip"
            );
            assert_eq!(encode(&again), wire, "encoding is not stable");

            let signed = encode_signed(&notification, &key);
            let decoded = key
                .receive(&Delivery::post(TARGET, signed.as_bytes()))
                .unwrap_or_else(|e| panic!("signed body failed to verify: {e}\n{signed}"));
            assert!(
                key.verify(&Delivery::post(TARGET, signed.as_bytes()))
                    .is_ok()
            );
            assert_eq!(decoded.id(), notification.id());
            assert_eq!(decoded.dedup_key(), dedup, "signing changed the dedup key");
            let other = JustClickKey::new("other-key").unwrap();
            assert!(decoded.verify(&other).is_err());
            let err = other
                .receive(&Delivery::post(TARGET, signed.as_bytes()))
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::VerificationFailed);
            assert_eq!(err.field(), Some("hash"));
            receive_implies_unverified(&key, &Delivery::post(TARGET, signed.as_bytes()));

            // The body as it came, with the hash of its decoded values appended.
            let has_hash = Form::parse(data).is_ok_and(|form| form.tree().get("hash").is_some());
            if !has_hash {
                let mut body = data.to_vec();
                body.extend_from_slice(b"&hash=");
                body.extend_from_slice(notification.expected_hash(&key).as_bytes());
                let delivery = Delivery::post(TARGET, &body);
                let received = receive_implies_unverified(&key, &delivery).unwrap_or_else(|| {
                    panic!(
                        "a body signed over its decoded values is refused: {:?}\n{}",
                        key.receive(&delivery).err(),
                        String::from_utf8_lossy(&body)
                    )
                });
                let mut expected = notification.clone();
                expected.sign(&key);
                assert_eq!(received, expected);
                assert_eq!(received.dedup_key(), dedup);
            }
        }
        Err(_) => {
            // A body that does not decode can still pass the raw check (it checks only what
            // PHP's example checks), but never the combined one.
            assert!(key.receive(&post).is_err());
        }
    }
});
