//! The de-duplication key of a CartFreak notification, as a property: a retried delivery
//! (the same fields, sent again, re-encoded in either flavour, in any order, percent-encoded
//! any legal way) has the same `dedup_key`, and so does its event; a notification that
//! differs in any field never has the same key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cartfreak_notify::{CartFreakKey, Delivery, Receiver, ToEvent, compute_hash};
use proptest::prelude::*;

const KEY: &str = "sk_prop_key";

/// One notification's fields as the handler reads them (decoded), `command` first.
type Fields = Vec<(String, String)>;

/// Field values a PHP cart sends: letters (Latin, accented, Cyrillic), digits, spaces and the
/// characters that must be percent-encoded.
fn value() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 @+&=%.,éЖ#/-]{0,10}"
}

fn money() -> impl Strategy<Value = String> {
    "[0-9]{1,4}\\.[0-9]{2}"
}

/// The fields of a notification of any command, unknown extra fields included.
fn notification() -> impl Strategy<Value = Fields> {
    let command = prop_oneof![
        Just("CREATE"),
        Just("REMOVE"),
        Just("RENEW"),
        Just("COMPLETE"),
        Just("DECLINE"),
        Just("REFUND"),
    ];
    let extras = prop::collection::btree_map("x_[a-z]{1,4}", value(), 0..3);
    let texts = prop::collection::vec(value(), 21);
    let amounts = prop::collection::vec(money(), 3);
    (command, texts, amounts, extras).prop_map(|(command, texts, amounts, extras)| {
        let mut fields = vec![("command".to_owned(), command.to_owned())];
        let mut texts = texts.into_iter();
        if command == "CREATE" {
            let mut amounts = amounts.into_iter();
            for name in cartfreak_notify::payload::CREATE_FIELDS {
                let value = if matches!(name, "amount" | "fee" | "total") {
                    amounts.next().unwrap()
                } else {
                    texts.next().unwrap()
                };
                fields.push((name.to_owned(), value));
            }
        } else {
            fields.push(("billing_id".to_owned(), texts.next().unwrap()));
            fields.push(("email".to_owned(), texts.next().unwrap()));
        }
        fields.extend(extras);
        fields
    })
}

/// How one delivery writes its pairs: any legal percent-encoding.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// A space as `+` (PHP's `urlencode`) or `%20` (`rawurlencode`).
    plus_for_space: bool,
    /// Hex digits in upper or lower case.
    upper_hex: bool,
    /// Unreserved characters sent percent-encoded too (`%61` for `a`).
    encode_all: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(plus_for_space, upper_hex, encode_all)| Style {
            plus_for_space,
            upper_hex,
            encode_all,
        },
    )
}

fn encode(text: &str, style: Style) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if byte == b' ' && style.plus_for_space {
            out.push('+');
        } else if unreserved && !style.encode_all {
            out.push(char::from(byte));
        } else if style.upper_hex {
            out.push_str(&format!("%{byte:02X}"));
        } else {
            out.push_str(&format!("%{byte:02x}"));
        }
    }
    out
}

fn wire(fields: &[(String, String)], style: Style) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name, style), encode(value, style)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Delivers the fields: a GET (no hash, decoded unverified) or a POST form with the hash
/// (verified with the key); the key of what was received.
fn received_key(
    fields: &[(String, String)],
    style: Style,
    post: bool,
) -> cartfreak_notify::DedupKey {
    if post {
        let key = CartFreakKey::new(KEY).unwrap();
        let command = &fields.iter().find(|(name, _)| name == "command").unwrap().1;
        let mut with_hash = fields.to_vec();
        with_hash.push((
            "hash".to_owned(),
            compute_hash(&cartfreak_notify::Secret::new(KEY), command),
        ));
        let body = wire(&with_hash, style);
        let received = key
            .receive(&Delivery::post("/hook", body.as_bytes()))
            .unwrap();
        assert_eq!(received.to_event().dedup_key, received.dedup_key());
        received.dedup_key()
    } else {
        let target = format!("/hook?{}", wire(fields, style));
        let received = CartFreakKey::receive_unverified(&Delivery::get(&target)).unwrap();
        assert_eq!(received.to_event().dedup_key, received.dedup_key());
        received.dedup_key()
    }
}

const PLAIN: Style = Style {
    plus_for_space: true,
    upper_hex: true,
    encode_all: false,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_retry_has_the_same_key(
        fields in notification(),
        order in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        style in style(),
        first_post in any::<bool>(),
        retry_post in any::<bool>(),
    ) {
        let first = received_key(&fields, PLAIN, first_post);
        // The retry: the same fields in another order (a rotation and a seeded swap walk).
        let mut shuffled = fields.clone();
        let len = shuffled.len();
        shuffled.rotate_left(order.index(len));
        let mut state = seed;
        for i in (1..len).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(received_key(&shuffled, style, retry_post), first);
    }

    #[test]
    fn a_different_notification_has_another_key(
        fields in notification(),
        which in any::<prop::sample::Index>(),
        post in any::<bool>(),
    ) {
        let original = received_key(&fields, PLAIN, post);
        // Change one field that is not money (a changed amount must stay a decimal) and not
        // the command (another command is covered below).
        let changeable: Vec<usize> = (1..fields.len())
            .filter(|&i| !matches!(fields[i].0.as_str(), "amount" | "fee" | "total"))
            .collect();
        let mut changed = fields.clone();
        changed[changeable[which.index(changeable.len())]].1.push('z');
        prop_assert_ne!(received_key(&changed, PLAIN, post), original.clone());

        // The same fields under another command.
        let mut other = fields.clone();
        other[0].1 = if other[0].1 == "REFUND" { "REFUNDED".into() } else { "REFUND".into() };
        prop_assert_ne!(received_key(&other, PLAIN, post), original);
    }

    #[test]
    fn two_generated_notifications_share_a_key_only_when_their_fields_are_equal(
        a in notification(),
        b in notification(),
    ) {
        let mut sorted_a = a.clone();
        sorted_a.sort();
        let mut sorted_b = b.clone();
        sorted_b.sort();
        let same = sorted_a == sorted_b;
        prop_assert_eq!(received_key(&a, PLAIN, false) == received_key(&b, PLAIN, true), same);
    }
}
