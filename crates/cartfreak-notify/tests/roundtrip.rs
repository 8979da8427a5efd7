//! Property tests: decode(encode(x)) == x for generated notifications in every flavour, through
//! the JSON view too; the de-duplication key depends on the content only; and building a
//! notification URL never loses a parameter the API URL already has.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use cartfreak_notify::{
    Address, ApiUrl, CartFreakKey, Create, Customer, Decimal, Delivery, Extra, Flavour,
    Notification, Received, Receiver, SubscriptionEvent, UnknownCommand, compute_hash, decode,
    payload::CREATE_FIELDS,
};
use cartwire_core::form::FormEncoder;
use proptest::prelude::*;
use proptest::sample::Index;

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..16).prop_map(String::from_iter),
        "[ a-zA-Z0-9@+%&=#?._~-]{0,16}",
        Just(String::new()),
        Just("Иван Петров".to_owned()),
        Just("José Müller-Lefèvre".to_owned()),
        Just("user+tag@domain.com".to_owned()),
    ]
    .boxed()
}

fn decimal() -> BoxedStrategy<Decimal> {
    (any::<i64>(), 0u32..8)
        .prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
        .boxed()
}

fn billing_id() -> BoxedStrategy<Option<String>> {
    proptest::option::of(text().prop_filter("blank is None", |s| !s.is_empty())).boxed()
}

fn is_reserved(name: &str) -> bool {
    name == "command" || name == "hash" || CREATE_FIELDS.contains(&name)
}

fn extra(prefix: &'static str) -> BoxedStrategy<Extra> {
    proptest::collection::vec(("[a-z][a-z0-9_]{0,8}", text()), 0..4)
        .prop_map(move |pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| (format!("{prefix}{k}"), v))
                .filter(|(k, _)| !is_reserved(k))
                .collect()
        })
        .boxed()
}

fn address() -> BoxedStrategy<Address> {
    (text(), text(), text(), text(), text(), text())
        .prop_map(|(a, a2, city, state, zip, country)| {
            Address::new(a, city, state, zip, country).with_address2(a2)
        })
        .boxed()
}

fn create() -> BoxedStrategy<Notification> {
    (
        (billing_id(), text(), text(), text(), text()),
        (address(), address()),
        (text(), text(), decimal(), decimal(), decimal()),
        (text(), text(), extra("")),
    )
        .prop_map(
            |(
                (billing_id, first, last, email, phone),
                (billing, shipping),
                (product_id, product_name, amount, fee, total),
                (order_id, order_hash, extra),
            )| {
                let mut c = Create::new(order_id, product_id, product_name, amount, fee)
                    .with_customer(Customer::new(first, last, email).with_phone(phone))
                    .with_billing_address(billing)
                    .with_shipping_address(shipping)
                    .with_order_hash(order_hash);
                c.billing_id = billing_id;
                c.total = total;
                c.extra = extra;
                Notification::Create(c)
            },
        )
        .boxed()
}

fn subscription_event() -> BoxedStrategy<Notification> {
    (0..4u8, billing_id(), text(), extra(""))
        .prop_map(|(which, billing_id, email, extra)| {
            let mut event = SubscriptionEvent::new("", email);
            event.billing_id = billing_id;
            // `REMOVE` documents only billing_id and email: CREATE's names are unknown fields there.
            event.extra = extra;
            match which {
                0 => Notification::Remove(event),
                1 => Notification::Renew(event),
                2 => Notification::Complete(event),
                _ => Notification::Decline(event),
            }
        })
        .boxed()
}

fn unknown() -> BoxedStrategy<Notification> {
    (
        "[A-Za-z_]{1,10}".prop_filter("not a known command", |c| {
            !["CREATE", "REMOVE", "RENEW", "COMPLETE", "DECLINE"].contains(&c.as_str())
        }),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::collection::vec(("[a-z][a-z0-9_]{0,8}", text()), 0..6),
    )
        .prop_map(|(command, billing_id, email, fields)| {
            let mut unknown = UnknownCommand::new(command);
            unknown.billing_id = billing_id;
            unknown.email = email;
            for (k, v) in fields {
                if !["command", "hash", "billing_id", "email"].contains(&k.as_str()) {
                    unknown.extra.insert(k, v);
                }
            }
            Notification::Unknown(unknown)
        })
        .boxed()
}

fn notification() -> BoxedStrategy<Notification> {
    prop_oneof![create(), subscription_event(), unknown()].boxed()
}

/// The wire pairs of a notification, `command` first, decoded.
fn pairs(n: &Notification) -> Vec<(String, String)> {
    let mut pairs = vec![("command".to_owned(), n.command_str().to_owned())];
    pairs.extend(
        n.wire_fields()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.into_owned())),
    );
    pairs
}

/// A notification and its wire pairs in a shuffled order.
fn shuffled() -> BoxedStrategy<(Notification, Vec<(String, String)>)> {
    notification()
        .prop_flat_map(|n| {
            let pairs = pairs(&n);
            (Just(n), Just(pairs).prop_shuffle())
        })
        .boxed()
}

/// Encodes pairs as PHP does, or with every byte percent-encoded (keys included): two
/// spellings of the same form.
fn encode(pairs: &[(String, String)], every_byte: bool) -> String {
    if every_byte {
        let escape = |text: &str| -> String { text.bytes().map(|b| format!("%{b:02X}")).collect() };
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
            .collect();
        encoded.join("&")
    } else {
        let mut form = FormEncoder::new();
        for (k, v) in pairs {
            form.pair(k, v);
        }
        form.finish()
    }
}

/// Delivers the pairs as the cart would: a signed POST form, or a GET query (received
/// unverified: it has no hash).
fn deliver(
    key: &CartFreakKey,
    mut pairs: Vec<(String, String)>,
    post: bool,
    every_byte: bool,
) -> Received {
    if post {
        let command = pairs
            .iter()
            .find(|(name, _)| name == "command")
            .map(|(_, value)| value.clone())
            .unwrap();
        pairs.push(("hash".to_owned(), compute_hash(key.secret(), &command)));
        let body = encode(&pairs, every_byte);
        key.receive(&Delivery::post("/hooks/cartfreak", body.as_bytes()))
            .unwrap_or_else(|e| panic!("{e}: {body}"))
    } else {
        let target = format!("/hooks/cartfreak?{}", encode(&pairs, every_byte));
        CartFreakKey::receive_unverified(&Delivery::get(&target))
            .unwrap_or_else(|e| panic!("{e}: {target}"))
    }
}

/// A value that differs from `value` and still decodes as the field `name` of `command`.
fn changed(command: &str, name: &str, value: &str) -> String {
    let money = command == "CREATE" && ["amount", "fee", "total"].contains(&name);
    format!("{value}{}", if money { "1" } else { "x" })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn query_flavour_round_trips(n in notification()) {
        let query = n.to_query();
        let received = decode(query.as_bytes()).unwrap();
        prop_assert_eq!(received.flavour(), Flavour::Query);
        prop_assert_eq!(&received.notification, &n);
        prop_assert_eq!(received.to_wire(), query);
        let with_mark = format!("?{}", n.to_query());
        prop_assert_eq!(decode(with_mark.as_bytes()).unwrap().notification, n);
    }

    #[test]
    fn form_flavour_round_trips_and_verifies(n in notification(), key in "[ -~]{1,32}") {
        let key = CartFreakKey::new(key).unwrap();
        let body = n.to_form(&key);
        let received = key.receive(&Delivery::post("/hooks/cartfreak", body.as_bytes())).unwrap();
        prop_assert_eq!(received.flavour(), Flavour::Form);
        prop_assert_eq!(&received, &decode(body.as_bytes()).unwrap());
        prop_assert_eq!(&received.notification, &n);
        prop_assert_eq!(received.to_wire(), body);
        prop_assert_eq!(received.dedup_key(), n.dedup_key());
    }

    #[test]
    fn json_round_trips(n in notification(), hash in proptest::option::of("[0-9a-f]{40}")) {
        let json = serde_json::to_string(&n).unwrap();
        let back: Notification = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &n);
        prop_assert_eq!(back.to_query(), n.to_query(), "field order kept");
        let mut received = Received::new(n);
        received.hash = hash;
        let json = serde_json::to_string(&received).unwrap();
        let back: Received = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.to_wire(), received.to_wire(), "field order kept");
        prop_assert_eq!(back, received);
    }

    #[test]
    fn dedup_key_ignores_flavour_order_and_encoding(
        (n, shuffled) in shuffled(),
        post in any::<bool>(),
        every_byte in any::<bool>(),
    ) {
        let key = CartFreakKey::new("sk_cartfreak_demo").unwrap();
        let received = deliver(&key, shuffled, post, every_byte);
        prop_assert_eq!(&received.notification, &n);
        prop_assert_eq!(received.dedup_key(), n.dedup_key());
        // And the other flavour and spelling of the same notification.
        let again = deliver(&key, pairs(&n), !post, !every_byte);
        prop_assert_eq!(again.dedup_key(), n.dedup_key());
    }

    #[test]
    fn dedup_key_changes_with_any_field(n in notification(), which in any::<Index>()) {
        let key = CartFreakKey::new("sk_cartfreak_demo").unwrap();
        let mut pairs = pairs(&n);
        let i = which.index(pairs.len());
        let command = n.command_str().to_owned();
        let (name, value) = &mut pairs[i];
        *value = changed(&command, name, value);
        let other = deliver(&key, pairs, true, false);
        prop_assert_ne!(&other.notification, &n);
        prop_assert_ne!(other.dedup_key(), n.dedup_key());
    }

    #[test]
    fn url_building_never_loses_a_parameter(
        n in notification(),
        existing in proptest::collection::btree_map("cfg_[a-z0-9]{1,6}", text(), 0..5),
        fragment in proptest::option::of("[a-z0-9=&]{0,8}"),
        path in "(/[a-z0-9._-]{1,8}){0,3}",
    ) {
        let mut query = FormEncoder::new();
        for (k, v) in &existing {
            query.pair(k, v);
        }
        let query = query.finish();
        let mut configured = format!("https://hooks.example.net{path}");
        if !existing.is_empty() {
            configured.push('?');
            configured.push_str(&query);
        }
        if let Some(fragment) = &fragment {
            configured.push('#');
            configured.push_str(fragment);
        }
        let api_url = ApiUrl::parse(&configured).unwrap();
        let url = api_url.notification_url(&n);
        prop_assert!(!url.contains('#'));
        if !existing.is_empty() {
            let kept_prefix = format!("?{query}&command=");
            prop_assert!(url.contains(&kept_prefix), "{url}");
        }

        let received = decode(url.as_bytes()).unwrap();
        let mut decoded = received.notification.clone();
        let mut seen = BTreeMap::new();
        let extra = match &mut decoded {
            Notification::Create(c) => &mut c.extra,
            Notification::Remove(e) | Notification::Renew(e)
            | Notification::Complete(e) | Notification::Decline(e) => &mut e.extra,
            Notification::Unknown(u) => &mut u.extra,
            _ => unreachable!(),
        };
        for key in existing.keys() {
            if let Some(value) = extra.shift_remove(key) {
                seen.insert(key.clone(), value);
            }
        }
        prop_assert_eq!(seen, existing);
        prop_assert_eq!(decoded, n);
    }
}
