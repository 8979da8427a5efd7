//! Cartfunnel on arbitrary bytes: no decoder panics, and whatever reads as a customer writes
//! back in the wire form and reads the same.
//!
//! Every input goes to the customer and page decoders, the response parsers (2xx, 403, 500),
//! the raw JSON and webhook readers, the signature check (the first line is taken as the
//! header value) and the tag-list reader, so one corpus covers them all; seeds are the crate's
//! fixtures (`crates/cartfunnel-client-types/tests/fixtures/`).
//!
//! Receiving webhooks ([`CartfunnelWebhookSecret`] as a [`Receiver`]), the bytes as the body
//! of a POST with the first line as the `X-Cartfunnel-Hmac-SHA256` header, and the whole
//! bytes as a body with their own signature:
//!
//! * whenever `key.receive(&delivery)` succeeds, `CartfunnelWebhookSecret::receive_unverified`
//!   succeeds too, with an equal webhook, and with the same de-duplication key;
//! * a correctly signed body is received exactly when it parses as a webhook, to that webhook;
//!   with another key it is refused as forged (`VerificationFailed`, naming the header),
//!   whatever the body holds;
//! * the de-duplication key of a webhook is the same for its body written back compactly or
//!   pretty-printed (when that reads back to the same JSON: floats may move by one ULP).
#![no_main]

use cartfunnel_client_types::verify::{self, SIGNATURE_HEADER, Webhook};
use cartfunnel_client_types::{
    CartfunnelWebhookSecret, Customer, Delivery, ErrorKind, Receiver, TagList, decode, encode,
};
use cartwire_core::ToEvent as _;
use libfuzzer_sys::fuzz_target;

const TARGET: &str = "/hooks/cartfunnel";

/// The central property of the receiving model, on one delivery.
fn receive_implies_unverified(key: &CartfunnelWebhookSecret, delivery: &Delivery<'_>) {
    let verified = key.receive(delivery);
    let unverified = CartfunnelWebhookSecret::receive_unverified(delivery);
    if let Ok(webhook) = &verified {
        let unverified = unverified
            .as_ref()
            .unwrap_or_else(|e| panic!("received with the key, but not without: {e}"));
        assert_eq!(webhook, unverified, "verifying changed the webhook");
        assert_eq!(webhook.dedup_key(), unverified.dedup_key());
        // The event mapping never panics, and carries the notification's key.
        assert_eq!(webhook.to_event().dedup_key, webhook.dedup_key());
    }
    let wrong = CartfunnelWebhookSecret::new("whsec_not_the_fuzz_key").unwrap();
    if let Err(err) = wrong.receive(delivery) {
        if err.kind() == ErrorKind::VerificationFailed {
            assert_eq!(err.field(), Some(SIGNATURE_HEADER), "{err}");
        } else {
            assert!(
                verified.is_err(),
                "accepted with the key, but {err} with another"
            );
        }
    }
}

/// The webhook's body written back by serde_json, compact and pretty, reads back to the same
/// JSON, and both texts have the same de-duplication key (they differ only in white space;
/// numbers are spelled the same in both). The original body may spell a number otherwise
/// (`1e2`, `9.50`), and its key keeps that spelling, so it is not compared with them.
fn dedup_survives_rewriting(webhook: &Webhook) {
    let compact = webhook.json().to_string();
    let pretty = format!("{:#}", webhook.json());
    let mut keys = Vec::new();
    for text in [&compact, &pretty] {
        let again = Webhook::parse(text.as_bytes())
            .unwrap_or_else(|e| panic!("written-back webhook failed to parse: {e}\n{text}"));
        assert_eq!(again.body(), text.as_str());
        keys.push(again.dedup_key());
    }
    assert_eq!(keys[0], keys[1], "{compact}");
}

/// Equal, comparing unknown attributes by name only, in any order: the wire form is a
/// `serde_json::Value`, so their text comes back as serde_json writes their value, in the
/// order of its map (sorted without `preserve_order`).
fn same(a: &Customer, b: &Customer) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    let mut keys_a: Vec<String> = a.extra.keys().cloned().collect();
    let mut keys_b: Vec<String> = b.extra.keys().cloned().collect();
    keys_a.sort();
    keys_b.sort();
    a.extra.clear();
    b.extra.clear();
    a == b && keys_a == keys_b
}

fn round_trip(customer: &Customer) {
    let wire = customer.to_wire().to_string();
    let again = decode::customer(wire.as_bytes())
        .unwrap_or_else(|e| panic!("written customer failed to read: {e}\n{wire}"));
    assert!(
        same(&again, customer),
        "customer round trip\n{customer:?}\n{again:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(customer) = decode::customer(data) {
        round_trip(&customer);
    }
    if let Ok(customers) = decode::customer_list(data) {
        for customer in &customers {
            round_trip(customer);
        }
        let wire = encode::customer_page(&customers).to_string();
        assert_eq!(
            decode::customer_list(wire.as_bytes()).map(|c| c.len()).ok(),
            Some(customers.len())
        );
    }
    for status in [200, 403, 500] {
        if let Ok(customer) = decode::customer_response(status, data) {
            assert!(customer.is_saved());
        }
        let _ = decode::customer_page_response(1, status, data);
        let _ = decode::json_response(status, data);
    }
    if let Ok(json) = decode::json(data) {
        let _ = decode::not_saved(&json);
    }
    let parsed = Webhook::parse(data);
    if let Ok(webhook) = &parsed {
        dedup_survives_rewriting(webhook);
    }
    let key = CartfunnelWebhookSecret::new("whsec_fuzz").unwrap();
    if let Some(newline) = data.iter().position(|b| *b == b'\n') {
        let (header, body) = data.split_at(newline);
        if let Ok(header) = std::str::from_utf8(header) {
            let _ = verify::verify(body, header, &key);
        }
        let delivery = Delivery::post(TARGET, body).header(SIGNATURE_HEADER, header);
        receive_implies_unverified(&key, &delivery);
    }
    receive_implies_unverified(&key, &Delivery::post(TARGET, data));

    for signed in [verify::sign(data, &key), verify::sign_base64(data, &key)] {
        assert!(verify::verify(data, &signed, &key).is_ok());
        let delivery = Delivery::post(TARGET, data)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, &signed);
        receive_implies_unverified(&key, &delivery);
        match (key.receive(&delivery), &parsed) {
            (Ok(webhook), Ok(parsed)) => assert_eq!(&webhook, parsed),
            (Err(err), Err(parse_err)) => assert_eq!(&err, parse_err),
            (received, parsed) => {
                panic!("receiving a signed body is not parsing it: {received:?} / {parsed:?}")
            }
        }
        let wrong = CartfunnelWebhookSecret::new("whsec_not_the_fuzz_key").unwrap();
        let err = wrong.receive(&delivery).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{err}");
        assert_eq!(err.field(), Some(SIGNATURE_HEADER));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let tags = TagList::parse(text);
        assert_eq!(TagList::parse(&tags.to_wire()), tags, "tag list round trip");
    }
});
