//! Cartloom's JSON view (what `cartwire decode cartloom` prints and `encode` reads): a decoded
//! order read back from its view is the same and writes the same wire in the same shape; and
//! any JSON the view reader accepts writes a view it reads back the same.
//!
//! Seeds: `corpus/cartloom_json/` (the crate's fixtures); the first byte picks the mode.
#![no_main]

use cartloom_order::{Decoder, ReceivedOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((mode, input)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let Ok(received) = Decoder::new().decode_shaped(input) else {
            return;
        };
        // As text: a `serde_json::Value` without `preserve_order` would sort the
        // unknown fields, which the view keeps in arrival order.
        let view = serde_json::to_string(&received).expect("an order has a JSON view");
        let back: ReceivedOrder = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("the view does not read back: {e}\n{view}"));
        assert_eq!(back, received, "view round trip");
        assert_eq!(
            back.encode(),
            received.encode(),
            "the wire written from the view differs"
        );
        assert_eq!(back.dedup_key(), received.dedup_key());
    } else {
        let Ok(received) = serde_json::from_slice::<ReceivedOrder>(input) else {
            return;
        };
        let view = serde_json::to_string(&received).expect("an order has a JSON view");
        let again: ReceivedOrder = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("a written view does not read back: {e}\n{view}"));
        assert_eq!(again, received, "written view round trip");
        let _ = Decoder::new().decode_shaped(received.encode().as_bytes());
    }
});
