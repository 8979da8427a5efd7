//! Malformed, mistyped, truncated, oversized and hostile bodies: typed errors naming the
//! field, never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use cartloom_order::{Decoder, decode, decode_json, encode_json};
use cartloom_order::{Error, ErrorKind, Limit};
use common::fixture;

/// The error's field and its message.
fn fails(body: &[u8]) -> (String, String) {
    match decode(body) {
        Ok(order) => panic!("decoded: {order:?}"),
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
            (err.field().unwrap_or("").to_owned(), err.to_string())
        }
    }
}

const MIN: &str = r#""oid":"1","subtotal":"0","grandtotal":"0""#;

fn with(fields: &str) -> Vec<u8> {
    format!("{{{MIN},{fields}}}").into_bytes()
}

#[test]
fn malformed_json() {
    let (field, message) = fails(&fixture("malformed.json"));
    assert_eq!(field, "");
    assert!(message.contains("expected `,` or `}`"), "{message}");
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn wrong_types_name_the_field() {
    let (field, message) = fails(&fixture("wrong-type.json"));
    assert_eq!(field, "billing_email");
    assert!(message.contains("invalid type: map"), "{message}");
    let (field, message) = fails(&fixture("wrong-type-item.json"));
    assert_eq!(field, "items[1].qty");
    assert!(message.contains("invalid type: sequence"), "{message}");
    let (field, message) = fails(&fixture("bad-decimal.json"));
    assert_eq!(field, "grandtotal");
    assert!(
        message.contains("expected a decimal number, found \"19,95\""),
        "{message}"
    );

    for (fields, want) in [
        (r#""items":"none""#, "items"),
        (r#""items":{"0":{}}"#, "items"),
        (
            r#""items":[{"pid":"1","qty":"1","price":"1"},"x"]"#,
            "items[1]",
        ),
        (
            r#""items":[{"pid":"1","qty":"-1","price":"1"}]"#,
            "items[0].qty",
        ),
        (
            r#""items":[{"pid":"1","qty":"1.5","price":"1"}]"#,
            "items[0].qty",
        ),
        (
            r#""items":[{"pid":"1","qty":"99999999999","price":"1"}]"#,
            "items[0].qty",
        ),
        (
            r#""items":[{"pid":"1","qty":"1","price":null}]"#,
            "items[0].price",
        ),
        (
            r#""items":[{"pid":{},"qty":"1","price":"1"}]"#,
            "items[0].pid",
        ),
        (r#""items":[],"on_hold":"2""#, "on_hold"),
        (r#""items":[],"subscribed":5"#, "subscribed"),
        (r#""items":[],"date":"2013-02-30 00:00:00""#, "date"),
        (r#""items":[],"date":true"#, "date"),
        (r#""items":[],"shipping_date":12"#, "shipping_date"),
        (r#""items":[],"refund_amount":"n/a""#, "refund_amount"),
        (r#""items":[],"tax_amount":"""#, "tax_amount"),
        (r#""items":[],"vat_number":[]"#, "vat_number"),
        (r#""items":[],"billing_company":{"a":1}"#, "billing_company"),
        (r#""items":[],"shipping_status":[]"#, "shipping_status"),
    ] {
        let (field, message) = fails(&with(fields));
        assert_eq!(field, want, "{fields}: {message}");
        assert!(
            message.starts_with(&format!("field `{want}`: ")),
            "{message}"
        );
    }
}

#[test]
fn required_fields() {
    for (body, want) in [
        (r#"{"subtotal":"0","grandtotal":"0","items":[]}"#, "oid"),
        (r#"{"oid":"1","grandtotal":"0","items":[]}"#, "subtotal"),
        (r#"{"oid":"1","subtotal":"0","items":[]}"#, "grandtotal"),
        (r#"{"oid":"1","subtotal":"0","grandtotal":"0"}"#, "items"),
        (
            r#"{"oid":"1","subtotal":"0","grandtotal":"0","items":[{"qty":"1","price":"1"}]}"#,
            "items[0].pid",
        ),
        (
            r#"{"oid":"1","subtotal":"0","grandtotal":"0","items":[{"pid":"1","price":"1"}]}"#,
            "items[0].qty",
        ),
        (
            r#"{"oid":"1","subtotal":"0","grandtotal":"0","items":[{"pid":"1","qty":"1"}]}"#,
            "items[0].price",
        ),
    ] {
        let (field, message) = fails(body.as_bytes());
        assert_eq!(field, want, "{body}");
        assert_eq!(message, format!("field `{want}`: missing"));
    }
}

#[test]
fn duplicate_keys_are_rejected() {
    for (fields, want) in [
        (r#""items":[],"oid":"2""#, "oid"),
        (r#""items":[],"x":1,"x":2"#, "x"),
        (
            r#""items":[{"pid":"1","qty":"1","price":"1","qty":"9"}]"#,
            "items[0].qty",
        ),
        (
            r#""items":[{"pid":"1","qty":"1","price":"1","u":1,"u":1}]"#,
            "items[0].u",
        ),
        (r#""items":[],"items":[]"#, "items"),
    ] {
        let (field, message) = fails(&with(fields));
        assert_eq!(field, want, "{fields}");
        assert!(
            message.ends_with("appears twice in one object"),
            "{message}"
        );
    }
}

#[test]
fn non_utf8_bytes() {
    let (field, message) = fails(&fixture("non-utf8.json"));
    assert_eq!(field, "billing_first_name");
    assert!(message.contains("invalid unicode"), "{message}");
    // An escaped NUL, by contrast, is valid JSON text, kept as received.
    let order = decode(&with(r#""items":[],"comments":"a\u0000b","x":"\u0000""#)).unwrap();
    assert_eq!(order.comments, "a\0b");
    assert_eq!(order.extra["x"].get(), r#""\u0000""#);
    assert!(encode_json(&order).contains(r#""comments":"a\u0000b""#));
}

#[test]
fn non_utf8_everywhere() {
    let mut body = with(r#""items":[],"xx":"a""#);
    let at = body.windows(2).position(|w| w == b"xx").unwrap();
    body[at] = 0xff;
    let (field, _) = fails(&body);
    assert_eq!(field, "");
    let mut body = with(r#""items":[],"u":"ab""#);
    let at = body.windows(2).position(|w| w == b"ab").unwrap();
    body[at] = 0xc3;
    let (field, message) = fails(&body);
    assert_eq!(field, "u", "{message}");
    let (field, message) = fails(b"order=%7B%22oid%22%3A%22%FF%22%7D");
    assert_eq!(field, "order", "{message}");
}

#[test]
fn truncated_bodies_fail_cleanly() {
    for name in [
        "vendor-sample.compact.json",
        "vendor-sample.json",
        "vendor-sample.form",
        "shipped.json",
    ] {
        let body = fixture(name);
        let body = body.trim_ascii_end();
        assert!(decode(body).is_ok(), "{name}");
        for len in 0..body.len() {
            let err = decode(&body[..len]).expect_err(&format!("{name} cut at {len} decoded"));
            assert_eq!(err.kind(), ErrorKind::Malformed, "{name}[..{len}]: {err}");
        }
    }
}

#[test]
fn trailing_data_and_odd_shapes() {
    assert_eq!(fails(b"").1, "input: empty body");
    assert_eq!(fails(b"  \n").1, "input: empty body");
    assert_eq!(fails(b"&&").1, "input: empty body");
    let (field, message) = fails(b"email=a%40b.c&total=1");
    assert_eq!(field, "order");
    assert!(
        message.contains("neither a JSON object nor a form"),
        "{message}"
    );
    let (field, message) = fails(b"order=1&order=2");
    assert_eq!(field, "order", "{message}");
    let (_, message) = fails(b"[1,2]");
    assert!(message.contains("expected a Cartloom order"), "{message}");
    let (field, message) = fails(b"order=%5B%5D");
    assert_eq!(field, "", "{message}");
    let mut body = fixture("vendor-sample.compact.json");
    body.extend_from_slice(b" {}");
    let (_, message) = fails(&body);
    assert!(message.contains("trailing characters"), "{message}");
    assert!(decode_json(b"order=%7B%7D").is_err());
}

#[test]
fn the_size_limit() {
    let body = fixture("vendor-sample.json");
    let err = Decoder::new().max_bytes(100).decode(&body).unwrap_err();
    let Error::Limit(limit) = &err else {
        panic!("{err}")
    };
    assert_eq!((limit.limit, limit.max), (Limit::Bytes, Some(100)));
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(Decoder::new().max_bytes(body.len()).decode(&body).is_ok());
    let form = fixture("vendor-sample.form");
    assert!(matches!(
        Decoder::new().max_bytes(form.len() - 1).decode(&form),
        Err(Error::Limit(_))
    ));
    // Past the default: a 3 MiB body of blanks is refused before any parsing.
    let huge = vec![b' '; Decoder::DEFAULT_MAX_BYTES + 1];
    assert!(matches!(decode(&huge), Err(Error::Limit(l)) if l.limit == Limit::Bytes));
}

#[test]
fn the_item_limit() {
    let body = common::order_with_items(Decoder::DEFAULT_MAX_ITEMS + 1);
    let err = Decoder::new()
        .max_bytes(usize::MAX)
        .decode(body.as_bytes())
        .unwrap_err();
    let Error::Limit(limit) = &err else {
        panic!("{err}")
    };
    assert_eq!(limit.limit, Limit::ListLength);
    assert_eq!(limit.max, Some(Decoder::DEFAULT_MAX_ITEMS));
    assert_eq!(limit.at.as_deref(), Some("items"));
    assert_eq!(err.field(), Some("items"));
    let ten = common::order_with_items(10);
    assert!(Decoder::new().max_items(10).decode(ten.as_bytes()).is_ok());
    assert!(Decoder::new().max_items(9).decode(ten.as_bytes()).is_err());
    assert!(
        Decoder::new()
            .max_items(0)
            .decode(with(r#""items":[]"#).as_slice())
            .is_ok()
    );
}

#[test]
fn deep_nesting_is_a_limit_not_a_crash() {
    for depth in [Decoder::MAX_RAW_DEPTH + 1, 100_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        for (fields, at) in [
            (
                format!(r#""items":[],"extra_inputs":{deep}"#),
                "extra_inputs",
            ),
            (format!(r#""items":[],"custom":{deep}"#), "custom"),
            (
                format!(r#""items":[{{"pid":"1","qty":"1","price":"1","x":{deep}}}]"#),
                "items[0].x",
            ),
        ] {
            let err = decode(&with(&fields)).unwrap_err();
            let Error::Limit(limit) = &err else {
                panic!("{err}")
            };
            assert_eq!((limit.limit, limit.at.as_deref()), (Limit::Depth, Some(at)));
        }
    }
    // Where the decoder itself descends, serde_json's recursion limit answers.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (field, message) = fails(&with(&format!(r#""items":{deep}"#)));
    assert_eq!(field, "items[0]");
    assert!(message.contains("invalid type: sequence"), "{message}");
    let (_, message) = fails(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes());
    assert!(message.contains("expected a Cartloom order"), "{message}");
    // Nesting up to the limit is fine, kept as is, and parses into a serde_json::Value.
    let depth = Decoder::MAX_RAW_DEPTH;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let order = decode(&with(&format!(r#""items":[],"extra_inputs":{nested}"#))).unwrap();
    assert_eq!(order.extra_inputs.get(), nested);
    assert!(order.extra_inputs.to_value().is_ok());
    assert!(serde_json::to_value(&order).is_ok());
}

#[test]
fn huge_values_within_the_limit() {
    let long = "x".repeat(1 << 20);
    let order = decode(&with(&format!(r#""items":[],"comments":"{long}""#))).unwrap();
    assert_eq!(order.comments.len(), 1 << 20);
    let many_keys: String = (0..20_000).map(|i| format!(r#","k{i}":0"#)).collect();
    let order = decode(&with(&format!(r#""items":[]{many_keys}"#))).unwrap();
    assert_eq!(order.extra.len(), 20_000);
    let digits = "9".repeat(40);
    let (field, _) = fails(&with(&format!(r#""items":[],"tax_amount":"{digits}""#)));
    assert_eq!(field, "tax_amount");
    let (field, _) = fails(&with(&format!(r#""items":[],"tax_amount":{digits}"#)));
    assert_eq!(field, "tax_amount");
}

#[test]
fn errors_map_to_kinds() {
    let err = decode(b"{").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(matches!(err, Error::Malformed { .. }));
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(cartloom_order::samples::ORDER_JSON.as_bytes());
    assert_eq!(
        decode(&body).unwrap(),
        decode(cartloom_order::samples::ORDER_JSON.as_bytes()).unwrap()
    );
    let (field, _) = fails(b"\xEF\xBB\xBF");
    assert_eq!(field, "");
}

#[test]
fn a_documented_field_under_the_views_extra_is_refused() {
    // Found by the JSON-view fuzz target: `"extra": {"tax_title": true}` was kept as an unknown
    // field beside the documented `tax_title`, written twice on the wire, and lost on the next
    // read. The view reader now refuses it, naming the spot.
    let view = |extra: &str, item_extra: &str| {
        let order = decode(samples_json().as_bytes()).unwrap();
        let mut json: serde_json::Value = serde_json::to_value(&order).unwrap();
        json["extra"] = serde_json::from_str(extra).unwrap();
        json["items"][0]["extra"] = serde_json::from_str(item_extra).unwrap();
        serde_json::from_value::<cartloom_order::Order>(json)
    };
    let err = view(r#"{"tax_title": true}"#, "{}")
        .unwrap_err()
        .to_string();
    assert!(err.contains("extra.tax_title"), "{err}");
    assert!(err.contains("belongs outside `extra`"), "{err}");
    let err = view("{}", r#"{"qty": "2"}"#).unwrap_err().to_string();
    assert!(err.contains("items[0].extra.qty"), "{err}");
    // Names that are not documented fields stay welcome, `extra` and `_wire` included.
    let order = view(
        r#"{"affiliate_id": "7", "extra": 1, "_wire": 2}"#,
        r#"{"license": {}}"#,
    )
    .unwrap();
    assert_eq!(order.extra.len(), 3);
}

fn samples_json() -> &'static str {
    cartloom_order::samples::ORDER_JSON
}

#[test]
fn a_number_on_the_wire_is_kept_exactly_or_refused_naming_the_field() {
    // Read as a float, `12345678901234567890.123456789` became 12345678901234567000 and
    // `19.950` lost its scale. Numbers are now read from their wire text.
    let order = |grandtotal: &str, qty: &str| {
        let json = cartloom_order::samples::ORDER_JSON
            .replace(
                r#""grandtotal":"19.95""#,
                &format!(r#""grandtotal":{grandtotal}"#),
            )
            .replacen(r#""qty":"1""#, &format!(r#""qty":{qty}"#), 1);
        decode(json.as_bytes())
    };
    for (number, exact) in [
        ("19.950", "19.950"),
        (
            "12345678901234567890.123456789",
            "12345678901234567890.123456789",
        ),
        ("2.5E+2", "250"),
        ("1e-2", "0.01"),
        ("-0", "0"),
    ] {
        let decoded = order(number, "1").unwrap();
        assert_eq!(decoded.grandtotal.to_string(), exact, "{number}");
    }
    // Past a decimal's 28 digits, or an exponent out of range: refused, not rounded.
    for number in [
        "0.1000000000000000055511151231257827",
        "99999999999999999999999999999999",
        "1e99",
    ] {
        let err = order(number, "1").unwrap_err();
        assert_eq!(err.field(), Some("grandtotal"), "{number}: {err}");
        assert!(
            err.to_string().contains(number),
            "the wire text is quoted: {err}"
        );
    }
    // Counts: integers only, exactly.
    assert_eq!(order("19.95", "3").unwrap().items[0].qty, 3);
    for qty in ["1.5", "1e0", "99999999999"] {
        assert_eq!(
            order("19.95", qty).unwrap_err().field(),
            Some("items[0].qty"),
            "{qty}"
        );
    }
}
