//! Cartloom notify bodies on arbitrary bytes: decoding never panics; whatever decodes
//! re-encodes (in both body shapes) and decodes to the same order, and the wire text survives
//! a second round unchanged. (The JSON view's round trips are property-tested in the crate.)
#![no_main]

use cartloom_order::{BodyShape, Decoder, decode, encode, encode_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Small limits too, so the limit paths run on small inputs.
    let _ = Decoder::new().max_items(2).max_bytes(4096).decode(data);
    let Ok(order) = decode(data) else {
        return;
    };
    let wire = encode_json(&order);
    for shape in [BodyShape::Json, BodyShape::Form] {
        let again = decode(encode(&order, shape).as_bytes())
            .unwrap_or_else(|e| panic!("re-encoded order failed to decode: {e}\n{wire}"));
        assert_eq!(again, order, "round trip changed the order");
    }
    let again = decode(wire.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{wire}"));
    assert_eq!(encode_json(&again), wire, "a second round changed the wire text");
});
