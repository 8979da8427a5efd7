//! Cartfunnel on arbitrary bytes: no decoder panics, and whatever reads as a customer writes
//! back in the wire form and reads the same.
//!
//! Every input goes to the customer and page decoders, the response parsers (2xx, 403, 500),
//! the raw JSON and webhook readers, the signature check (the first line is taken as the
//! header value) and the tag-list reader, so one corpus covers them all; seeds are the crate's
//! fixtures (`crates/cartfunnel-client-types/tests/fixtures/`).
#![no_main]

use cartfunnel_client_types::verify::{self, Webhook};
use cartfunnel_client_types::{Customer, Secret, TagList, decode, encode};
use libfuzzer_sys::fuzz_target;

/// Equal, comparing unknown attributes by name only: serde_json (without
/// `float_roundtrip`) may read a printed float back one ULP off.
fn same(a: &Customer, b: &Customer) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    let keys_a: Vec<String> = a.extra.keys().cloned().collect();
    let keys_b: Vec<String> = b.extra.keys().cloned().collect();
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
    let _ = Webhook::parse(data);
    let secret = Secret::new("whsec_fuzz");
    if let Some(newline) = data.iter().position(|b| *b == b'\n') {
        let (header, body) = data.split_at(newline);
        if let Ok(header) = std::str::from_utf8(header) {
            let _ = verify::verify(body, header, &secret);
        }
    }
    let signed = verify::sign(data, &secret);
    assert!(verify::verify(data, &signed, &secret).is_ok());
    if let Ok(text) = std::str::from_utf8(data) {
        let tags = TagList::parse(text);
        assert_eq!(TagList::parse(&tags.to_wire()), tags, "tag list round trip");
    }
});
