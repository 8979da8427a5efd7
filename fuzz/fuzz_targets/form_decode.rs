//! The PHP-style form codec on arbitrary bytes: decoding never panics, and whatever decodes
//! re-encodes and decodes to the same tree.
#![no_main]

use cartwire_core::form::{Duplicates, Form, Options, encode_map};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for duplicates in [Duplicates::Reject, Duplicates::LastWins] {
        let options = Options::default().duplicates(duplicates);
        if let Ok(form) = Form::parse_with(data, &options) {
            let _ = form.get("items[0][id]");
            let encoded = encode_map(form.tree());
            let again = Form::parse_with(encoded.as_bytes(), &options)
                .unwrap_or_else(|e| panic!("re-encoded form failed to decode: {e}\n{encoded}"));
            assert_eq!(again.tree(), form.tree(), "round trip changed the tree");
        }
    }
});
