//! CartFreak's JSON view (what `cartwire decode cartfreak` prints and `encode` reads): a decoded
//! notification read back from its view is the same and writes the same wire; and any JSON the
//! view reader accepts writes a view it reads back the same.
//!
//! Seeds: `corpus/cartfreak_json/` (the crate's fixtures); the first byte picks the mode.
#![no_main]

use cartfreak_notify::Received;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((mode, input)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let Ok(received) = cartfreak_notify::decode(input) else {
            return;
        };
        // As text: a `serde_json::Value` without `preserve_order` would sort the
        // unknown fields, which the view keeps in arrival order.
        let view = serde_json::to_string(&received).expect("a notification has a JSON view");
        let back: Received = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("the view does not read back: {e}\n{view}"));
        assert_eq!(back, received, "view round trip");
        assert_eq!(
            back.to_wire(),
            received.to_wire(),
            "the wire written from the view differs"
        );
        assert_eq!(back.dedup_key(), received.dedup_key());
    } else {
        let Ok(received) = serde_json::from_slice::<Received>(input) else {
            return;
        };
        let view = serde_json::to_string(&received).expect("a notification has a JSON view");
        let again: Received = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("a written view does not read back: {e}\n{view}"));
        assert_eq!(again, received, "written view round trip");
        let _ = cartfreak_notify::decode(received.to_wire().as_bytes());
    }
});
