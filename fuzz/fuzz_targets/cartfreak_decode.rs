//! CartFreak decoding on arbitrary bytes: nothing panics, and whatever decodes is written back
//! and decodes to the same notification, with the same
//! de-duplication key. The reply and API URL parsers get the same bytes.
//!
//! Seeds: the crate's fixtures (`crates/cartfreak-notify/tests/fixtures/`), e.g.
//! `mkdir -p corpus/cartfreak_decode && cp ../crates/cartfreak-notify/tests/fixtures/*.{query,form,url} corpus/cartfreak_decode/`.
#![no_main]

use cartfreak_notify::{ApiUrl, Notification, Reply, SubscriptionEvent, decode};
use cartwire_core::Secret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(received) = decode(data) {
        let notification = &received.notification;
        let _ = notification.check_total();
        let key = notification.dedup_key();

        let wire = received.to_wire();
        let again = decode(wire.as_bytes())
            .unwrap_or_else(|e| panic!("written-back wire failed to decode: {e}\n{wire}"));
        assert_eq!(
            again, received,
            "wire round trip changed the notification\n{wire}"
        );
        assert_eq!(again.notification.dedup_key(), key);
        assert_eq!(again.to_wire(), wire, "encoding is not stable");

        let secret = Secret::new("fuzz-key");
        let signed = decode(notification.to_form(&secret).as_bytes()).unwrap();
        assert_eq!(signed.verify(&secret), Ok(()));
        assert_eq!(&signed.notification, notification);
    }

    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(reply) = Reply::parse(text) {
            assert_eq!(Reply::parse(&reply.to_string()), Ok(reply));
        }
        if let Ok(api_url) = ApiUrl::parse(text) {
            let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
            let url = api_url.notification_url(&remove);
            assert!(!url.contains('#'));
            assert!(url.ends_with("command=REMOVE&billing_id=224&email=user%40domain.com"));
        }
    }
});
