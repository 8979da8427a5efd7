//! Cartloom notify bodies on arbitrary bytes: decoding never panics; whatever decodes
//! re-encodes (in both body shapes) and decodes to the same order, with the same
//! de-duplication key, and the wire text survives a second round unchanged. (The JSON view's
//! round trips are property-tested in the crate.)
//!
//! Receiving ([`CartloomToken`] as a [`Receiver`]), with the bytes as the body of a POST to
//! the Notify URL:
//!
//! * with the right token, `token.receive(&delivery)` succeeds exactly when the body decodes,
//!   and then `CartloomToken::receive_unverified(&delivery)` succeeds too, with an equal
//!   order; the received order, written back in its shape, is received again with the same
//!   de-duplication key;
//! * with a wrong or missing token the delivery is refused as forged (`VerificationFailed`,
//!   naming `token`), whatever the body: the body is never judged first;
//! * the bytes as a query never panic the token check; a query without the token's
//!   parameter, made into a Notify URL with [`CartloomToken::notify_url`], passes it (and
//!   receiving the bytes there is receiving them at the plain Notify URL).
#![no_main]

use cartloom_order::{
    BodyShape, CartloomToken, Credential, Decoder, Delivery, ErrorKind, Receiver, VerifyError,
    decode, encode, encode_json,
};
use cartwire_core::ToEvent as _;
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "fuzz-token-5f0c2a9e7d4b41c3";
const NOTIFY: &str = "/hooks/cartloom?token=fuzz-token-5f0c2a9e7d4b41c3";

fuzz_target!(|data: &[u8]| {
    // Small limits too, so the limit paths run on small inputs.
    let _ = Decoder::new().max_items(2).max_bytes(4096).decode(data);

    let token = CartloomToken::new(TOKEN).unwrap();
    let delivery = Delivery::post(NOTIFY, data);
    let verified = token.receive(&delivery);
    let unverified = CartloomToken::receive_unverified(&delivery);
    assert_eq!(
        verified.is_ok(),
        decode(data).is_ok(),
        "receiving with the right token is not decoding"
    );
    if let Ok(received) = &verified {
        let unverified = unverified
            .as_ref()
            .unwrap_or_else(|e| panic!("received with the token, but not without: {e}"));
        assert_eq!(received, unverified, "verifying changed the order");
        assert_eq!(received.dedup_key(), unverified.dedup_key());
        // The event mapping never panics, and carries the notification's key.
        assert_eq!(received.to_event().dedup_key, received.dedup_key());
        assert_eq!(received.shape, BodyShape::detect(data));

        let body = received.encode();
        let again = token
            .receive(&Delivery::post(NOTIFY, body.as_bytes()))
            .unwrap_or_else(|e| panic!("written-back body is refused: {e}\n{body}"));
        assert_eq!(&again, received, "receive round trip changed the order");
        assert_eq!(again.dedup_key(), received.dedup_key());
    }
    for target in [
        "/hooks/cartloom?token=guessed",
        "/hooks/cartloom",
        "/hooks/cartloom?token=",
    ] {
        let err = token
            .receive(&Delivery::post(target, data))
            .expect_err("a forged delivery is received");
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{err}");
        assert_eq!(err.field(), Some("token"));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = token.verify_query(text);
        let _ = token.verify_url(text);
        // A URL without the token's parameter is missing it; the Notify URL built from it
        // passes, whatever else its query holds.
        let base = format!("/hooks/cartloom?{text}");
        if token.verify_url(&base) == Err(VerifyError::Missing.at(Credential::Token, "token")) {
            let url = token.notify_url(&base);
            assert_eq!(token.verify_url(&url), Ok(()), "{url}");
            let delivery = Delivery::post(&url, data);
            assert_eq!(token.receive(&delivery).is_ok(), verified.is_ok(), "{url}");
        }
    }

    let Ok(order) = decode(data) else {
        return;
    };
    let dedup = order.dedup_key();
    let wire = encode_json(&order);
    for shape in [BodyShape::Json, BodyShape::Form] {
        let again = decode(encode(&order, shape).as_bytes())
            .unwrap_or_else(|e| panic!("re-encoded order failed to decode: {e}\n{wire}"));
        assert_eq!(again, order, "round trip changed the order");
        assert_eq!(again.dedup_key(), dedup, "round trip changed the dedup key");
    }
    let again = decode(wire.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{wire}"));
    assert_eq!(
        encode_json(&again),
        wire,
        "a second round changed the wire text"
    );
});
