//! Property tests: serialize(parse(x)) keeps every field, in the wire form and the typed form;
//! tag lists survive the wire.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfunnel_client_types::{Customer, RawJson, TagList, decode, encode};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use time::{OffsetDateTime, UtcOffset};

fn text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("\\PC{0,24}")
}

fn timestamp() -> impl Strategy<Value = Option<OffsetDateTime>> {
    // Years RFC 3339 can write; millisecond or microsecond precision; offsets in minutes.
    prop::option::of(
        (
            0i64..253_402_300_799,
            prop_oneof![
                (0u32..1000).prop_map(|ms| ms * 1_000_000),
                (0u32..1_000_000).prop_map(|us| us * 1_000)
            ],
            -(23 * 60 + 59)..(23 * 60 + 59i32),
        )
            .prop_map(|(secs, nanos, offset_minutes)| {
                let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
                OffsetDateTime::from_unix_timestamp(secs)
                    .unwrap()
                    .replace_nanosecond(nanos)
                    .unwrap()
                    .to_offset(offset)
            })
            .prop_filter("RFC 3339 years", |t| (0..=9999).contains(&t.year())),
    )
}

fn tags() -> impl Strategy<Value = Option<TagList>> {
    prop::option::of(
        prop::collection::vec("[a-zA-Z0-9 ,\"'é-]{0,10}", 0..5).prop_filter_map(
            "representable tags",
            |raw| {
                let list: TagList = raw.iter().collect();
                // A tag holding both `",` and `',` cannot be written faithfully (documented).
                let breaks = |t: &str, q: char| {
                    t.match_indices(q)
                        .any(|(i, _)| t[i + 1..].trim_start().starts_with(','))
                };
                list.iter()
                    .all(|t| !(breaks(t, '"') && breaks(t, '\'')))
                    .then_some(list)
            },
        ),
    )
}

fn extra() -> impl Strategy<Value = Map<String, Value>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    let value = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map("x_[a-z_]{1,10}", value, 0..4).prop_map(|m| m.into_iter().collect())
}

prop_compose! {
    fn customer()(
        id in any::<u64>(),
        email in text(),
        created_at in timestamp(),
        updated_at in timestamp(),
        accepts_marketing in any::<Option<bool>>(),
        first_name in text(),
        last_name in text(),
        note in text(),
        orders_count in any::<Option<u64>>(),
        total_spent_cents in any::<Option<i64>>(),
        tax_exempt in any::<Option<bool>>(),
        subscriptions_count in any::<Option<u64>>(),
        last_order_id in any::<Option<u64>>(),
        tag_list in tags(),
        persisted in any::<Option<bool>>(),
        errors in prop::collection::vec("\\PC{0,16}", 0..3),
        extra in extra(),
    ) -> Customer {
        let mut c = Customer::new(id);
        c.email = email;
        c.created_at = created_at;
        c.updated_at = updated_at;
        c.accepts_marketing = accepts_marketing;
        c.first_name = first_name;
        c.last_name = last_name;
        c.note = note;
        c.orders_count = orders_count;
        c.total_spent_cents = total_spent_cents;
        c.tax_exempt = tax_exempt;
        c.subscriptions_count = subscriptions_count;
        c.last_order_id = last_order_id;
        c.tag_list = tag_list;
        c.persisted = persisted;
        c.errors = errors;
        c.extra = extra
            .iter()
            .map(|(name, value)| (name.clone(), RawJson::from_value(value)))
            .collect();
        c
    }
}

/// A wire object in any of the forms a server may send, with keys of its own.
fn lenient_wire() -> impl Strategy<Value = Value> {
    let flag = prop_oneof![
        Just(json!("true")),
        Just(json!("false")),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!("1")),
        Just(json!("0")),
        Just(json!(null)),
    ];
    let opt_int = prop_oneof![
        any::<u32>().prop_map(|n| json!(n)),
        any::<u32>().prop_map(|n| json!(n.to_string())),
        Just(json!("null")),
        Just(json!(null)),
        Just(json!("")),
    ];
    let time = prop_oneof![
        Just(json!("2018-12-04T23:29:37.406-05:00")),
        Just(json!("2019-02-10T23:29:37Z")),
        Just(json!("2019-02-10T23:29:37.5+01:00")),
        Just(json!("null")),
        Just(json!(null)),
    ];
    (
        any::<u32>(),
        flag.clone(),
        flag.clone(),
        flag,
        opt_int.clone(),
        opt_int.clone(),
        opt_int,
        time.clone(),
        time,
        prop::option::of("[a-z, ]{0,20}"),
        extra(),
    )
        .prop_map(|(id, am, te, pe, oc, sc, lo, ca, ua, tags, extra)| {
            let mut map = Map::new();
            map.insert("id".into(), json!(id));
            map.insert("accepts_marketing".into(), am);
            map.insert("tax_exempt".into(), te);
            map.insert("persisted".into(), pe);
            map.insert("orders_count".into(), oc);
            map.insert("subscriptions_count".into(), sc);
            map.insert("last_order_id".into(), lo);
            map.insert("created_at".into(), ca);
            map.insert("updated_at".into(), ua);
            map.insert("first_name".into(), json!("Joe"));
            if let Some(tags) = tags {
                map.insert("tag_list".into(), json!(tags));
            }
            map.extend(extra);
            Value::Object(map)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn wire_form_round_trips(c in customer()) {
        let wire = c.to_wire();
        let text = wire.to_string();
        let back = decode::customer(text.as_bytes()).unwrap();
        prop_assert_eq!(&back, &c);
        // And the wire form of what was read is the same wire form.
        prop_assert_eq!(back.to_wire(), wire);
    }

    #[test]
    fn typed_form_round_trips(c in customer()) {
        let typed = serde_json::to_string(&c).unwrap();
        let back: Customer = serde_json::from_str(&typed).unwrap();
        prop_assert_eq!(back, c);
    }

    #[test]
    fn parsing_a_lenient_object_keeps_every_field(x in lenient_wire()) {
        let c = decode::customer(x.to_string().as_bytes()).unwrap();
        let wire = c.to_wire();
        let out = wire.as_object().unwrap();
        for (key, value) in x.as_object().unwrap() {
            prop_assert!(out.contains_key(key), "lost {}", key);
            if key.starts_with("x_") {
                prop_assert_eq!(&out[key], value);
            }
        }
        // The canonical form is a fixed point.
        let again = decode::customer(wire.to_string().as_bytes()).unwrap();
        prop_assert_eq!(again.to_wire(), wire);
    }

    #[test]
    fn tag_list_survives_the_customer_wire(tags in tags()) {
        let mut c = Customer::new(1);
        c.tag_list = tags;
        let back = decode::customer(c.to_wire().to_string().as_bytes()).unwrap();
        prop_assert_eq!(back.tag_list, c.tag_list);
    }

    #[test]
    fn pages_round_trip(cs in prop::collection::vec(customer(), 0..5)) {
        let wire = encode::customer_page(&cs).to_string();
        prop_assert_eq!(decode::customer_list(wire.as_bytes()).unwrap(), cs);
    }

    #[test]
    fn saved_or_not_is_one_rule(
        mut x in lenient_wire(),
        errors in prop_oneof![
            Just(None),
            Just(Some(json!(null))),
            Just(Some(json!([]))),
            Just(Some(json!([null]))),
            Just(Some(json!(["Email is invalid"]))),
            Just(Some(json!({"email": ["is invalid"]}))),
            Just(Some(json!({}))),
            Just(Some(json!("Nope"))),
        ],
        persisted in prop_oneof![
            Just(json!("true")), Just(json!("false")), Just(json!("")), Just(json!("no")),
            Just(json!(0)), Just(json!(1)), Just(json!(true)), Just(json!(false)),
        ],
    ) {
        let map = x.as_object_mut().unwrap();
        map.insert("persisted".into(), persisted);
        if let Some(errors) = errors {
            map.insert("errors".into(), errors);
        }
        let body = x.to_string();
        let typed = decode::customer(body.as_bytes()).unwrap();
        let answer = decode::customer_response(200, body.as_bytes());
        // The typed view, the JSON view and the response parser agree.
        prop_assert_eq!(typed.is_saved(), decode::not_saved(&x).is_none());
        match answer {
            Ok(c) => prop_assert!(c.is_saved() && c == typed),
            Err(cartfunnel_client_types::ApiError::NotSaved { messages, .. }) => {
                prop_assert!(!typed.is_saved());
                prop_assert_eq!(messages, typed.errors);
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }

    #[test]
    fn no_input_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode::customer(&bytes);
        let _ = decode::customer_list(&bytes);
        let _ = decode::customer_response(200, &bytes);
        let _ = decode::json_response(200, &bytes);
    }
}

#[test]
fn an_unknown_number_past_f64_is_read_and_kept() {
    // It used to make the whole customer fail to read: a `Value` cannot hold it.
    let customer = decode::customer(br#"{"id": 1, "big": 1e400}"#).unwrap();
    assert_eq!(customer.extra["big"].get(), "1e400");
    assert!(
        serde_json::to_string(&customer)
            .unwrap()
            .contains(r#""big":1e400"#)
    );
    // The wire form, a `Value`, carries it as its text.
    assert_eq!(customer.to_wire()["big"], "1e400");
}

/// Found by the JSON-view fuzz target: an unknown attribute holding a 39-digit integer was read
/// as one float, written back, and read as a neighbouring one. Now its text is kept; the wire
/// form (a `Value`) still rounds it, correctly with serde_json's `float_roundtrip` (on in the
/// workspace), so what it writes reads back the same.
#[test]
fn an_unknown_attributes_number_keeps_its_digits() {
    for number in [
        "320029333333333333333333333333333333333",
        "3.2002933333333338e38",
        "0.1000000000000000055511151231257827",
        "1.7976931348623157e308",
        "5e-324",
    ] {
        let body = format!(r#"{{"id": 1, "tasor_lder_id": {number}}}"#);
        let customer = decode::customer(body.as_bytes()).unwrap();
        // Kept as sent, digit for digit, and so written in the typed form.
        assert_eq!(customer.extra["tasor_lder_id"].get(), number);
        let view = serde_json::to_string(&customer).unwrap();
        assert!(
            view.contains(&format!(r#""tasor_lder_id":{number}"#)),
            "{view}"
        );
        assert_eq!(
            serde_json::from_str::<Customer>(&view).unwrap(),
            customer,
            "{number}"
        );
        // The wire form is a `Value`, which holds the number as serde_json reads it: what
        // it writes reads back to the same value, and to the same wire form.
        let wire = encode::customer(&customer).to_string();
        let again = decode::customer(wire.as_bytes()).unwrap();
        assert_eq!(
            again.extra["tasor_lder_id"].to_value().unwrap(),
            customer.extra["tasor_lder_id"].to_value().unwrap(),
            "{number}: {wire}"
        );
        assert_eq!(encode::customer(&again).to_string(), wire, "{number}");
    }
}
