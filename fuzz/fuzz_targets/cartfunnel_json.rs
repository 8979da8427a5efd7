//! Cartfunnel's typed customer view (what `cartwire decode cartfunnel-customer` prints and
//! `encode` reads): a customer read from an API answer, written as its view and read back, is
//! the same customer and writes the same wire; the same for a page of customers.
//!
//! Seeds: `corpus/cartfunnel_json/` (the crate's fixtures); the first byte picks the mode.
#![no_main]

use cartfunnel_client_types::{Customer, decode, encode};
use libfuzzer_sys::fuzz_target;

fn view_round_trip(customer: &Customer) {
    // As text: unknown fields keep their text and arrival order in the view.
    let view = serde_json::to_string(customer).expect("a customer has a JSON view");
    let back: Customer = serde_json::from_str(&view)
        .unwrap_or_else(|e| panic!("the view does not read back: {e}\n{view}"));
    assert_eq!(&back, customer, "view round trip");
    assert_eq!(
        encode::customer(&back),
        encode::customer(customer),
        "the wire written from the view differs"
    );
    // The wire written reads back as the same customer. The wire form is a
    // `serde_json::Value`, so an unknown attribute comes back as serde_json writes its value
    // (compact), in the order of its map (sorted without `preserve_order`): the same values,
    // not always the same text or order.
    let wire = encode::customer(customer).to_string();
    let again = decode::customer(wire.as_bytes())
        .unwrap_or_else(|e| panic!("the written wire does not read back: {e}\n{wire}"));
    // A value a `Value` cannot hold (`1e400`) is written as its text in a string.
    let values = |c: &Customer| {
        c.extra
            .iter()
            .map(|(name, raw)| {
                let value = raw
                    .to_value()
                    .unwrap_or_else(|_| serde_json::Value::String(raw.get().to_owned()));
                (name.clone(), value)
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_eq!(
        values(&again),
        values(customer),
        "wire round trip: unknown attributes"
    );
    let (mut again, mut customer) = (again, customer.clone());
    again.extra.clear();
    customer.extra.clear();
    assert_eq!(again, customer, "wire round trip");
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, input)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(customer) = decode::customer(input) {
                view_round_trip(&customer);
            }
        }
        1 => {
            if let Ok(page) = decode::customer_list(input) {
                page.iter().for_each(view_round_trip);
            }
        }
        _ => {
            if let Ok(customer) = serde_json::from_slice::<Customer>(input) {
                let view = serde_json::to_string(&customer).expect("a customer has a JSON view");
                let again: Customer = serde_json::from_str(&view)
                    .unwrap_or_else(|e| panic!("a written view does not read back: {e}\n{view}"));
                assert_eq!(again, customer, "written view round trip");
            }
        }
    }
});
