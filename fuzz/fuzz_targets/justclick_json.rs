//! JustClick's JSON view (what `cartwire decode justclick` prints and `encode` reads): a decoded
//! notification read back from its view is the same notification and writes the same wire; and
//! any JSON the view reader accepts writes a view it reads back the same.
//!
//! Seeds: `corpus/justclick_json/` (the crate's fixtures); the first byte picks the mode.
#![no_main]

use justclick_invoice::Notification;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((mode, input)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        // Wire → view → notification.
        let Ok(notification) = justclick_invoice::decode(input) else {
            return;
        };
        // As text: a `serde_json::Value` without `preserve_order` would sort the
        // unknown fields, which the view keeps in arrival order.
        let view = serde_json::to_string(&notification).expect("a notification has a JSON view");
        let back: Notification = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("the view does not read back: {e}\n{view}"));
        assert_eq!(back, notification, "view round trip");
        assert_eq!(
            justclick_invoice::encode(&back),
            justclick_invoice::encode(&notification),
            "the wire written from the view differs"
        );
        assert_eq!(back.dedup_key(), notification.dedup_key());
    } else {
        // Any JSON as a view.
        let Ok(notification) = serde_json::from_slice::<Notification>(input) else {
            return;
        };
        let view = serde_json::to_string(&notification).expect("a notification has a JSON view");
        let again: Notification = serde_json::from_str(&view)
            .unwrap_or_else(|e| panic!("a written view does not read back: {e}\n{view}"));
        assert_eq!(again, notification, "written view round trip");
        // And its wire form decodes (the encoder writes what the decoder reads).
        let wire = justclick_invoice::encode(&notification);
        let _ = justclick_invoice::decode(wire.as_bytes());
    }
});
