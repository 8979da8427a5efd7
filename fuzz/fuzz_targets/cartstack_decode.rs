//! CartStack on arbitrary bytes: reading an answer and a confirmation query never panics, and
//! whatever reads writes back and reads the same, and the fast reader of an answer agrees with
//! the derived one.
//!
//! Every input goes to both decoders (the answer's JSON, and the query string when it is
//! UTF-8), so one corpus covers both; seeds are the crate's fixtures
//! (`crates/cartstack-confirm/tests/fixtures/`).
#![no_main]

use cartstack_confirm::{ConfirmRequest, ConfirmResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The reader's fast pass (and its fall back to the exact pass) answers as the derived
    // reading of every member from its raw text does.
    let json = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    assert_eq!(
        ConfirmResponse::from_slice(data).ok(),
        serde_json::from_slice::<ConfirmResponse>(json).ok(),
        "the fast reader and the derived one disagree"
    );
    if let Ok(answer) = ConfirmResponse::from_slice(data) {
        let outcome = answer.outcome();
        let json = answer.to_json();
        let again = ConfirmResponse::from_slice(json.as_bytes())
            .unwrap_or_else(|e| panic!("written answer failed to read: {e}\n{json}"));
        assert_eq!(again, answer, "answer round trip");
        assert_eq!(again.outcome(), outcome, "outcome changed");
        if let Some(built) = ConfirmResponse::for_outcome(&outcome) {
            assert_eq!(built.outcome(), outcome, "for_outcome disagrees");
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(request) = ConfirmRequest::from_query(text) {
            let query = request.to_query();
            let again = ConfirmRequest::from_query(&query)
                .unwrap_or_else(|e| panic!("written query failed to read: {e}\n{query}"));
            assert_eq!(again, request, "query round trip");
            let _ = request.to_url();
        }
        let _ = ConfirmRequest::from_url(text);
    }
});
