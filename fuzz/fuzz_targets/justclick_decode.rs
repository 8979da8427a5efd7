//! JustClick decoding on arbitrary bytes: nothing panics; whatever decodes is written back and
//! decodes to the same notification (and the canonical body is stable); signing it makes it
//! verify, through the typed check and the raw-body check alike. (The JSON form is covered by
//! the crate's property tests; the fuzz crate has no JSON dependency.)
//!
//! Seeds: the crate's fixtures, e.g.
//! `mkdir -p corpus/justclick_decode && cp ../crates/justclick-invoice/tests/fixtures/*.txt corpus/justclick_decode/`.
#![no_main]

use cartwire_core::Secret;
use justclick_invoice::{decode, decode_verified, encode, encode_signed, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let secret = Secret::new("fuzz-key");
    let verified = verify(data, &secret);
    match decode(data) {
        Ok(notification) => {
            // The raw check and the typed one agree on every decodable body.
            assert_eq!(
                verified.is_ok(),
                notification.verify(&secret).is_ok() && decode_verified(data, &secret).is_ok(),
                "raw and typed verification disagree"
            );

            let wire = encode(&notification);
            let again = decode(wire.as_bytes())
                .unwrap_or_else(|e| panic!("written-back body failed to decode: {e}\n{wire}"));
            assert_eq!(
                again, notification,
                "wire round trip changed the notification\n{wire}"
            );
            assert_eq!(encode(&again), wire, "encoding is not stable");

            let signed = encode_signed(&notification, &secret);
            let decoded = decode_verified(signed.as_bytes(), &secret)
                .unwrap_or_else(|e| panic!("signed body failed to verify: {e}\n{signed}"));
            assert!(verify(signed.as_bytes(), &secret).is_ok());
            assert_eq!(decoded.id(), notification.id());
            assert!(decoded.verify(&Secret::new("other-key")).is_err());
        }
        Err(_) => {
            // A body that does not decode can still pass the raw check (it checks only what
            // PHP's example checks), but never the combined one.
            assert!(decode_verified(data, &secret).is_err());
        }
    }
});
