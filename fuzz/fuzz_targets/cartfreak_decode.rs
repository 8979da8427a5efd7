//! CartFreak decoding and receiving on arbitrary bytes: nothing panics, and whatever decodes
//! is written back and decodes to the same notification, with the same de-duplication key.
//! The reply and API URL parsers get the same bytes.
//!
//! Receiving ([`CartFreakKey`] as a [`Receiver`]), with the bytes as a POST body and, when
//! they are UTF-8, as the query of a GET:
//!
//! * whenever `key.receive(&delivery)` succeeds, `CartFreakKey::receive_unverified(&delivery)`
//!   succeeds too, with an equal notification (verifying never changes what is decoded);
//! * whatever `receive_unverified` decodes without a `hash`, with the hash of its command
//!   appended, is received with the key, to the same notification: the hash check and the
//!   decoder read the same `command`;
//! * a key that did not sign is refused as forged (`VerificationFailed`, naming `hash`),
//!   whatever else is wrong with the body;
//! * a notification signed with [`Notification::to_form`] is received with the key, equal.
//!
//! Seeds: the crate's fixtures (`crates/cartfreak-notify/tests/fixtures/`), e.g.
//! `mkdir -p corpus/cartfreak_decode && cp ../crates/cartfreak-notify/tests/fixtures/*.{query,form,url} corpus/cartfreak_decode/`.
#![no_main]

use cartfreak_notify::{
    ApiUrl, CartFreakKey, Delivery, ErrorKind, Notification, Receiver, Reply, SubscriptionEvent,
    compute_hash, decode,
};
use cartwire_core::ToEvent as _;
use libfuzzer_sys::fuzz_target;

const TARGET: &str = "/hooks/cartfreak";

/// The central property of the receiving model, on one delivery.
fn receive_implies_unverified(key: &CartFreakKey, delivery: &Delivery<'_>) {
    let verified = key.receive(delivery);
    let unverified = CartFreakKey::receive_unverified(delivery);
    if let Ok(received) = &verified {
        let unverified = unverified
            .as_ref()
            .unwrap_or_else(|e| panic!("received with the key, but not without: {e}"));
        assert_eq!(received, unverified, "verifying changed the notification");
        assert_eq!(received.dedup_key(), unverified.dedup_key());
        // The event mapping never panics, and carries the notification's key.
        assert_eq!(received.to_event().dedup_key, received.dedup_key());
        assert!(received.hash.is_some(), "received with a key but no hash");
    }
    // Verified first: another key refuses a delivery as forged, naming `hash`; and a
    // delivery this key accepts is never judged malformed by another key (only the
    // credential is read before the check, and it was readable).
    let wrong = CartFreakKey::new("not-the-fuzz-key").unwrap();
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
}

fuzz_target!(|data: &[u8]| {
    let key = CartFreakKey::new("fuzz-key").unwrap();

    if let Ok(received) = decode(data) {
        let notification = &received.notification;
        let _ = notification.check_total();
        let dedup = notification.dedup_key();

        let wire = received.to_wire();
        let again = decode(wire.as_bytes())
            .unwrap_or_else(|e| panic!("written-back wire failed to decode: {e}\n{wire}"));
        assert_eq!(
            again, received,
            "wire round trip changed the notification\n{wire}"
        );
        assert_eq!(again.notification.dedup_key(), dedup);
        assert_eq!(again.to_wire(), wire, "encoding is not stable");

        // Signed, it is received with the key, to the same notification and key.
        let form = notification.to_form(&key);
        let signed = key
            .receive(&Delivery::post(TARGET, form.as_bytes()))
            .unwrap_or_else(|e| panic!("signed form is refused: {e}\n{form}"));
        assert_eq!(&signed.notification, notification);
        assert_eq!(signed.dedup_key(), dedup);
        let wrong = CartFreakKey::new("not-the-fuzz-key").unwrap();
        let err = wrong
            .receive(&Delivery::post(TARGET, form.as_bytes()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed);
        assert_eq!(err.field(), Some("hash"));
    }

    // The bytes as a POST body.
    let post = Delivery::post(TARGET, data);
    receive_implies_unverified(&key, &post);
    if let Ok(received) = CartFreakKey::receive_unverified(&post) {
        // The dedup key survives the written-back body.
        let wire = received.to_wire();
        let again = CartFreakKey::receive_unverified(&Delivery::post(TARGET, wire.as_bytes()))
            .unwrap_or_else(|e| panic!("written-back body failed to decode: {e}\n{wire}"));
        assert_eq!(again.dedup_key(), received.dedup_key());

        // Signed over the command the decoder read, it is received with the key.
        if received.hash.is_none() {
            // The pairs' text as the crate reads it (trimmed, one leading `?` dropped), behind
            // a `?` so that it is read back verbatim, then the hash.
            let text = data.trim_ascii();
            let text = text.strip_prefix(b"?").unwrap_or(text);
            let hash = compute_hash(key.secret(), received.notification.command_str());
            let mut body = b"?".to_vec();
            body.extend_from_slice(text);
            body.extend_from_slice(b"&hash=");
            body.extend_from_slice(hash.as_bytes());
            let signed = Delivery::post(TARGET, &body);
            let verified = key.receive(&signed).unwrap_or_else(|e| {
                panic!(
                    "a body signed over its decoded command is refused: {e}\n{}",
                    String::from_utf8_lossy(&body)
                )
            });
            assert_eq!(verified.notification, received.notification);
            receive_implies_unverified(&key, &signed);
        }
    }

    if let Ok(text) = std::str::from_utf8(data) {
        // The bytes as the query of a GET (the documented flavour carries no hash, but a
        // query with one is checked like a body).
        let target = format!("{TARGET}?{text}");
        receive_implies_unverified(&key, &Delivery::get(&target));

        if let Ok(reply) = Reply::parse(text) {
            assert_eq!(Reply::parse(&reply.to_string()), Ok(reply));
        }
        if let Ok(api_url) = ApiUrl::parse(text) {
            let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
            let url = api_url.notification_url(&remove);
            assert!(!url.contains('#'));
            assert!(url.ends_with("command=REMOVE&billing_id=224&email=user%40domain.com"));
        }
    }
});
