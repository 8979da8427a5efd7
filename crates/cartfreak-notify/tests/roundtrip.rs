//! Property tests: decode(encode(x)) == x for generated notifications in every flavour, and
//! building a notification URL never loses a parameter the API URL already has.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;

use cartfreak_notify::{
    Address, ApiUrl, Create, Customer, Extra, Flavour, Notification, Received, SubscriptionEvent,
    UnknownCommand, decode, payload::CREATE_FIELDS,
};
use cartwire_core::form::FormEncoder;
use cartwire_core::{Decimal, Secret};
use proptest::prelude::*;

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
        proptest::collection::vec(("[a-z][a-z0-9_]{0,8}", text()), 0..6),
    )
        .prop_map(|(command, fields)| {
            let mut unknown = UnknownCommand::new(command);
            for (k, v) in fields {
                if k != "command" && k != "hash" {
                    unknown.fields.insert(k, v);
                }
            }
            Notification::Unknown(unknown)
        })
        .boxed()
}

fn notification() -> BoxedStrategy<Notification> {
    prop_oneof![create(), subscription_event(), unknown()].boxed()
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
        let key = Secret::new(key);
        let body = n.to_form(&key);
        let received = decode(body.as_bytes()).unwrap();
        prop_assert_eq!(received.flavour(), Flavour::Form);
        prop_assert_eq!(received.verify(&key), Ok(()));
        prop_assert_eq!(&received.notification, &n);
        prop_assert_eq!(received.to_wire(), body);
        prop_assert_eq!(received.notification.dedup_key(), n.dedup_key());
    }

    #[test]
    fn json_round_trips(n in notification(), hash in proptest::option::of("[0-9a-f]{40}")) {
        let json = serde_json::to_string(&n).unwrap();
        let back: Notification = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &n);
        let mut received = Received::new(n);
        received.hash = hash;
        let json = serde_json::to_string(&received).unwrap();
        let back: Received = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, received);
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
            Notification::Unknown(u) => &mut u.fields,
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
