//! The vendor's examples, malformed bodies and hostile ones.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfunnel_client_types::request::{CreateCustomer, Endpoint, GetCustomer, UpdateCustomer};
use cartfunnel_client_types::{
    ApiError, Customer, CustomerUpdate, ListCustomers, NewCustomer, RawJson, decode, encode,
    samples,
};
use cartwire_core::{Error, Limit};
use serde_json::{Value, json};
use time::macros::datetime;

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_vendor_customer_reads_and_writes_back_the_same() {
    let c = decode::customer(samples::CUSTOMER.as_bytes()).unwrap();
    assert_eq!(c.id, 1);
    assert_eq!(c.email.as_deref(), Some("joe.el@example.com"));
    assert_eq!(
        c.created_at,
        Some(datetime!(2018-12-04 23:29:37.406 -05:00))
    );
    assert_eq!(c.updated_at, c.created_at);
    assert_eq!(c.accepts_marketing, Some(true));
    assert_eq!(c.first_name.as_deref(), Some("Joe"));
    assert_eq!(c.last_name.as_deref(), Some("El"));
    assert_eq!(c.note.as_deref(), Some("Special user"));
    assert_eq!(c.orders_count, Some(3));
    assert_eq!(c.total_spent_cents, Some(100_000));
    assert_eq!(c.total_spent().unwrap().to_string(), "1000.00");
    assert_eq!(c.tax_exempt, Some(false));
    assert_eq!(c.subscriptions_count, Some(1));
    assert_eq!(c.last_order_id, Some(3_200_291));
    assert_eq!(c.persisted, Some(true));
    assert!(c.errors.is_empty());
    assert!(c.extra.is_empty());
    assert!(c.is_saved());
    // The canonical wire form is the vendor's.
    assert_eq!(c.to_wire(), value(samples::CUSTOMER));
}

#[test]
fn the_created_customer_has_a_null_string_last_order() {
    let c = decode::customer(samples::CUSTOMER_CREATED.as_bytes()).unwrap();
    assert_eq!(c.id, 32199);
    assert_eq!(c.last_order_id, None);
    assert_eq!(c.note.as_deref(), Some(""));
    assert_eq!(c.orders_count, Some(0));
    assert_eq!(c.to_wire(), value(samples::CUSTOMER_CREATED));
    assert_eq!(c.to_wire()["last_order_id"], "null");
    // The answer to the create request, through the endpoint.
    let create = CreateCustomer::new(
        NewCustomer::new("anna.benning@example.com")
            .unwrap()
            .first_name("Anna")
            .last_name("Benning"),
    );
    assert_eq!(create.body().unwrap(), value(samples::CREATE_REQUEST));
    let answered = create
        .parse_response(200, samples::CUSTOMER_CREATED.as_bytes())
        .unwrap();
    assert_eq!(answered, c);
}

#[test]
fn the_failed_update_is_not_saved_though_persisted_says_true() {
    let update = UpdateCustomer::new(
        32199,
        CustomerUpdate::new().first_name("Anna").last_name("Jules"),
    );
    assert_eq!(update.body().unwrap(), value(samples::UPDATE_REQUEST));
    let err = update
        .parse_response(200, samples::CUSTOMER_UPDATE_FAILED.as_bytes())
        .unwrap_err();
    let ApiError::NotSaved { messages, record } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(messages, &["An error has occurred"]);
    assert_eq!(**record, value(samples::CUSTOMER_UPDATE_FAILED));
    assert_eq!(
        err.to_string(),
        "the record was not saved: An error has occurred"
    );
    // Read as a bare object, it keeps its errors and writes them back.
    let c = decode::customer(samples::CUSTOMER_UPDATE_FAILED.as_bytes()).unwrap();
    assert_eq!(c.errors, ["An error has occurred"]);
    assert!(!c.is_saved());
    assert_eq!(c.to_wire(), value(samples::CUSTOMER_UPDATE_FAILED));
}

#[test]
fn the_failed_create_is_not_saved_and_is_no_customer() {
    let err = GetCustomer::new(0)
        .parse_response(200, samples::CUSTOMER_CREATE_FAILED.as_bytes())
        .unwrap_err();
    assert!(
        matches!(&err, ApiError::NotSaved { messages, .. } if messages == &["Email can't be blank"]),
        "{err:?}"
    );
    // Its id is the string "null": as a customer object it is malformed, and the error says
    // where.
    let err = decode::customer(samples::CUSTOMER_CREATE_FAILED.as_bytes()).unwrap_err();
    assert_eq!(err.field(), Some("id"), "{err}");
}

#[test]
fn a_page_keeps_tags_and_unknown_attributes() {
    let page = ListCustomers::page(1)
        .parse_response(200, samples::CUSTOMER_PAGE.as_bytes())
        .unwrap();
    assert_eq!(page.page, 1);
    assert!(page.is_last());
    assert_eq!(page.customers.len(), 2);
    let anna = &page.customers[1];
    assert_eq!(
        anna.tag_list.as_ref().unwrap().as_slice(),
        ["vip", "wholesale"]
    );
    // Kept as the text the vendor sent, spacing and all.
    assert_eq!(
        anna.extra["loyalty_tier"].get(),
        r#"{"name": "gold", "since": "2019-01-01"}"#
    );
    assert_eq!(
        anna.extra["loyalty_tier"].to_value().unwrap(),
        json!({"name": "gold", "since": "2019-01-01"})
    );
    assert_eq!(
        encode::customer_page(&page.customers),
        value(samples::CUSTOMER_PAGE)
    );
}

#[test]
fn the_typed_form_is_plain_json_and_reads_back() {
    let page = decode::customer_list(samples::CUSTOMER_PAGE.as_bytes()).unwrap();
    let typed = serde_json::to_value(&page).unwrap();
    assert_eq!(
        typed[1],
        json!({
            "id": 32199,
            "email": "anna.benning@example.com",
            "created_at": "2019-02-04T23:29:37.406-05:00",
            "updated_at": "2019-02-04T23:29:37.406-05:00",
            "accepts_marketing": false,
            "first_name": "Anna",
            "last_name": "Benning",
            "note": "",
            "orders_count": 0,
            "total_spent_cents": 0,
            "tax_exempt": false,
            "subscriptions_count": 0,
            "last_order_id": null,
            "tag_list": ["vip", "wholesale"],
            "persisted": true,
            "loyalty_tier": {"name": "gold", "since": "2019-01-01"}
        })
    );
    // Read back from the text: unknown attributes keep their text exactly.
    let back: Vec<Customer> = serde_json::from_str(&serde_json::to_string(&page).unwrap()).unwrap();
    assert_eq!(back, page);
    // Read back from the `Value`: an unknown attribute's text is the value's compact form.
    let mut back: Vec<Customer> = serde_json::from_value(typed).unwrap();
    assert_eq!(
        back[1].extra["loyalty_tier"].get(),
        r#"{"name":"gold","since":"2019-01-01"}"#
    );
    back[1].extra = page[1].extra.clone();
    assert_eq!(back, page);
}

#[test]
fn lenient_forms_are_read() {
    let c = decode::customer(
        br#"{"id": "77", "accepts_marketing": true, "tax_exempt": "0", "orders_count": "12",
            "total_spent_cents": "-350", "last_order_id": null, "persisted": 1,
            "created_at": "", "updated_at": null, "email": "null", "tag_list": ["a", " b "],
            "errors": {"email": ["is invalid"]}}"#,
    )
    .unwrap();
    assert_eq!(c.id, 77);
    assert_eq!(c.accepts_marketing, Some(true));
    assert_eq!(c.tax_exempt, Some(false));
    assert_eq!(c.orders_count, Some(12));
    assert_eq!(c.total_spent_cents, Some(-350));
    assert_eq!(c.last_order_id, None);
    assert_eq!(c.persisted, Some(true));
    assert_eq!(c.created_at, None);
    assert_eq!(c.updated_at, None);
    // Text is verbatim: the string "null" is an e-mail value here, not an absence.
    assert_eq!(c.email.as_deref(), Some("null"));
    assert_eq!(c.tag_list.unwrap().to_wire(), "a, b");
    assert_eq!(c.errors, ["email is invalid"]);
}

#[test]
fn malformed_bodies_name_the_field() {
    let cases: &[(&[u8], &str)] = &[
        (br#"{"id": "abc"}"#, "id"),
        (br#"{"id": -1}"#, "id"),
        (br#"{"id": 1, "created_at": "yesterday"}"#, "created_at"),
        (
            br#"{"id": 1, "updated_at": "2018-12-04 23:29:37"}"#,
            "updated_at",
        ),
        (br#"{"id": 1, "tax_exempt": "maybe"}"#, "tax_exempt"),
        (
            br#"{"id": 1, "accepts_marketing": {}}"#,
            "accepts_marketing",
        ),
        (br#"{"id": 1, "orders_count": 1.5}"#, "orders_count"),
        (br#"{"id": 1, "last_order_id": "none"}"#, "last_order_id"),
        (br#"{"id": 1, "email": 42}"#, "email"),
        (br#"{"id": 1, "tag_list": 42}"#, "tag_list"),
        (br#"{"id": 1, "tag_list": [1]}"#, "tag_list[0]"),
    ];
    for (body, field) in cases {
        let err = decode::customer(body).unwrap_err();
        assert_eq!(
            err.field(),
            Some(*field),
            "{}: {err}",
            String::from_utf8_lossy(body)
        );
        assert!(err.to_string().contains(field), "{err}");
    }
    let err =
        decode::customer_list(br#"[{"id": 1}, {"id": 2, "orders_count": "many"}]"#).unwrap_err();
    assert_eq!(err.field(), Some("[1].orders_count"), "{err}");
    // Missing id: the message names it.
    let err = decode::customer(br#"{"email": "a@b.c"}"#).unwrap_err();
    assert!(err.to_string().contains("`id`"), "{err}");
    // Not an object, not a list.
    assert!(decode::customer(b"[]").is_err());
    assert!(decode::customer_list(samples::CUSTOMER.as_bytes()).is_err());
    assert!(
        ListCustomers::page(1)
            .parse_response(200, br#"{"customers": []}"#)
            .is_err()
    );
}

#[test]
fn every_truncation_of_every_fixture_is_an_error_not_a_panic() {
    for fixture in [
        samples::CUSTOMER,
        samples::CUSTOMER_CREATED,
        samples::CUSTOMER_UPDATE_FAILED,
        samples::CUSTOMER_PAGE,
    ] {
        let bytes = fixture.trim_end().as_bytes();
        for end in 0..bytes.len() {
            let cut = &bytes[..end];
            assert!(decode::customer(cut).is_err(), "{end}");
            assert!(decode::customer_list(cut).is_err(), "{end}");
            assert!(GetCustomer::new(1).parse_response(200, cut).is_err());
        }
    }
}

#[test]
fn hostile_bodies_are_refused_cleanly() {
    // Deep nesting in an unknown attribute: refused past RawJson::MAX_DEPTH, naming the
    // attribute, not a stack overflow.
    let deep = format!(
        r#"{{"id": 1, "x": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = decode::customer(deep.as_bytes()).unwrap_err();
    assert_eq!(err.field(), Some("x"), "{err}");
    assert!(
        err.to_string().contains("nested deeper than 100 levels"),
        "{err}"
    );
    let nest = |depth: usize| {
        format!(
            r#"[{{"id": 1, "x": {}{}}}]"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let page = decode::customer_list(nest(RawJson::MAX_DEPTH).as_bytes()).unwrap();
    assert!(page[0].extra["x"].to_value().is_ok());
    let err = decode::customer_list(nest(RawJson::MAX_DEPTH + 1).as_bytes()).unwrap_err();
    assert_eq!(err.field(), Some("[0].x"), "{err}");
    assert!(
        GetCustomer::new(1)
            .parse_response(200, deep.as_bytes())
            .is_err()
    );
    // Non-UTF-8 inside a string.
    let err = decode::customer(b"{\"id\": 1, \"first_name\": \"\xff\xfe\"}").unwrap_err();
    assert!(matches!(err, Error::Malformed { .. }), "{err}");
    // Over the size limit, before any parsing.
    let mut huge = br#"{"id": 1, "note": ""#.to_vec();
    huge.resize(decode::MAX_BODY_BYTES + 10, b'a');
    huge.extend_from_slice(br#""}"#);
    assert!(matches!(
        decode::customer(&huge),
        Err(Error::Limit(limit)) if limit.limit == Limit::Bytes
    ));
    // A big but allowed string is fine.
    let mut big = br#"{"id": 1, "note": ""#.to_vec();
    big.resize(1_000_000, b'a');
    big.extend_from_slice(br#""}"#);
    assert_eq!(
        decode::customer(&big).unwrap().note.unwrap().len(),
        1_000_000 - 19
    );
    // Numbers out of range.
    assert_eq!(
        decode::customer(br#"{"id": 99999999999999999999999}"#)
            .unwrap_err()
            .field(),
        Some("id")
    );
    // Duplicate keys: serde_json refuses them for known fields.
    assert!(decode::customer(br#"{"id": 1, "id": 2}"#).is_err());
    // Empty, white space, garbage.
    for body in [&b""[..], b"   ", b"null", b"\x00", b"<html>502</html>"] {
        assert!(decode::customer(body).is_err());
        assert!(decode::customer_list(body).is_err());
    }
}

#[test]
fn every_status_path() {
    let get = GetCustomer::new(1);
    assert!(matches!(
        get.parse_response(403, b"{\"errors\":[\"Invalid API credentials\"]}"),
        Err(ApiError::Forbidden { body }) if body.contains("Invalid")
    ));
    for status in [301, 400, 401, 404, 422, 429, 500, 502, 503] {
        match get.parse_response(status, b"oops") {
            Err(ApiError::Status { status: s, body }) => {
                assert_eq!((s, body.as_str()), (status, "oops"));
            }
            other => panic!("{status}: {other:?}"),
        }
    }
    // Any 2xx counts as an answer.
    for status in [200, 201, 202] {
        assert!(
            get.parse_response(status, samples::CUSTOMER.as_bytes())
                .is_ok()
        );
    }
    // A 2xx with a bad body is a decode error naming the field.
    match get.parse_response(200, br#"{"id": 1, "tax_exempt": "perhaps"}"#) {
        Err(ApiError::Decode(err)) => assert_eq!(err.field(), Some("tax_exempt")),
        other => panic!("{other:?}"),
    }
}
