//! Every vendor-style fixture: what it decodes to, and what encoding writes back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use cartloom_order::time::macros::datetime;
use cartloom_order::{
    BodyShape, Decoder, ITEM_KEYS, ORDER_KEYS, Order, ReceivedOrder, ShippingStatus, decode,
    encode_form, encode_json,
};
use common::{Json, fixture};

fn dec(text: &str) -> cartloom_order::Decimal {
    text.parse().unwrap()
}

/// Checks that `wire` re-encodes with every key in place and every value's text unchanged.
fn assert_text_kept(wire: &[u8]) {
    let order = decode(wire).unwrap();
    let again = encode_json(&order);
    assert_eq!(Json::parse(again.as_bytes()), Json::parse(wire), "{again}");
}

#[test]
fn the_vendor_sample_decodes_field_by_field() {
    let order = decode(&fixture("vendor-sample.json")).unwrap();
    assert_eq!(order.oid, "0000123456");
    assert_eq!(order.invoice, "000004321");
    assert_eq!(order.unique_id, "p8lueCLf");
    assert!(!order.on_hold);
    assert_eq!(order.date.value(), Some(datetime!(2013-02-09 04:30:25)));
    assert_eq!(
        order.date.wire_text().as_deref(),
        Some("2013-02-0904:30:25")
    );
    assert_eq!(order.ip_address, "1.2.3.4");
    assert_eq!(order.payment_type, "Credit Card");
    assert_eq!(order.trans_id, "ch_1G6AeqkbrrtTYg");
    assert_eq!(order.subtotal, dec("19.95"));
    assert_eq!(order.processing_fee, dec("0"));
    assert_eq!(order.grandtotal, dec("19.95"));
    assert!(!order.refunded);
    assert_eq!(order.refund_amount, None);
    assert_eq!(order.shipping_amount, dec("0"));
    assert_eq!(order.shipping_title, "");
    assert_eq!(order.shipping_status, ShippingStatus::NotShipped);
    assert_eq!(order.shipping_date.value(), None);
    assert!(order.shipping_date.is_canonical());
    assert_eq!(order.shipping_tracking_number, "");
    assert_eq!(order.tax_amount.to_string(), "0");
    assert_eq!(order.tax_title, "");
    assert_eq!(order.discount_code, "");
    assert_eq!(order.discount_amount.to_string(), "0.00");
    assert_eq!(order.discount_title, "");
    let b = &order.billing;
    assert_eq!(
        (
            b.first_name.as_str(),
            b.last_name.as_str(),
            b.company.as_deref()
        ),
        ("Barry", "Cook", None)
    );
    assert_eq!(b.email, "customer@example.com");
    assert_eq!(b.phone, "");
    assert_eq!(
        (b.address1.as_str(), b.address2.as_str()),
        ("123 Your Street", "")
    );
    assert_eq!(
        (
            b.city.as_str(),
            b.state.as_str(),
            b.postal_code.as_str(),
            b.country.as_str()
        ),
        ("Some City", "GA", "30120", "US")
    );
    assert_eq!(order.shipping, None);
    assert_eq!(order.ship_to().address1, "123 Your Street");
    assert_eq!((order.comments.as_str(), order.notes.as_str()), ("", ""));
    assert_eq!(order.extra_inputs.get(), "[ ]");
    assert_eq!(order.card_number, "1111");
    assert_eq!(order.card_type, "MasterCard");
    assert_eq!(order.vat_number, None);
    assert!(order.subscribed);
    assert!(order.extra.is_empty());

    assert_eq!(order.items.len(), 2);
    let [one, two] = &order.items[..] else {
        panic!()
    };
    assert_eq!(
        (one.pid.as_str(), one.item_id.as_str()),
        ("000001234", "0001234567")
    );
    assert_eq!(
        (two.pid.as_str(), two.item_id.as_str()),
        ("000004567", "0001234545")
    );
    assert_eq!(
        (one.title.as_str(), two.title.as_str()),
        ("Widget1", "Widget2")
    );
    assert_eq!((one.sku.as_str(), two.sku.as_str()), ("WDGT001", "WDGT002"));
    assert_eq!(
        (one.serial_nums.as_str(), two.serial_nums.as_str()),
        ("1234-5678-ABCD", "1234-5678-EFGH")
    );
    for item in &order.items {
        assert_eq!(item.qty, 1);
        assert!(!item.send_link);
        assert_eq!(item.category, "plugin");
        assert_eq!(item.options, "");
        assert!(item.digital);
        assert_eq!(item.file_url, "");
        assert_eq!(item.price.to_string(), "19.95");
        assert_eq!((item.dl_cnt, item.dl_max, item.dl_unlimited), (0, 0, false));
        assert_eq!(item.did, "");
        assert!(!item.part_of_bundle);
        assert_eq!(item.bundle_id, "0000000000");
        assert_eq!(item.bundle_name, "");
        assert!(item.extra.is_empty());
    }
    assert_eq!(order.total_quantity(), 2);
}

#[test]
fn every_shape_of_the_sample_gives_the_same_order() {
    let spaced = decode(&fixture("vendor-sample.json")).unwrap();
    let compact = decode(&fixture("vendor-sample.compact.json")).unwrap();
    let ReceivedOrder {
        order: form, shape, ..
    } = Decoder::new()
        .decode_shaped(&fixture("vendor-sample.form"))
        .unwrap();
    assert_eq!(shape, BodyShape::Form);
    let page = decode(&fixture("vendor-page.txt")).unwrap();
    assert_eq!(form, compact);
    assert_eq!(page, spaced);
    // The only difference: `extra_inputs` keeps its raw text, `[ ]` on the page, `[]` compact.
    assert_eq!(spaced.extra_inputs.get(), "[ ]");
    assert_eq!(compact.extra_inputs.get(), "[]");
    let mut spaced = spaced;
    spaced.extra_inputs = compact.extra_inputs.clone();
    assert_eq!(spaced, compact);
}

#[test]
fn the_sample_re_encodes_byte_for_byte() {
    // vendor-sample.compact.json and vendor-sample.form were written by Python from the page:
    // json.dumps(obj, separators=(',', ':'), ensure_ascii=False), and for the form
    // 'order=' + urllib.parse.quote_plus(compact, safe='') (PHP's urlencode).
    let compact = fixture("vendor-sample.compact.json");
    let order = decode(&compact).unwrap();
    assert_eq!(encode_json(&order).as_bytes(), &compact[..]);
    let form = fixture("vendor-sample.form");
    assert_eq!(encode_form(&decode(&form).unwrap()).as_bytes(), &form[..]);
    assert_eq!(
        cartloom_order::encode(&order, BodyShape::Form).as_bytes(),
        &form[..]
    );
}

#[test]
fn the_sample_keeps_every_value_text_and_key_order() {
    let spaced = fixture("vendor-sample.json");
    assert_text_kept(&spaced);
    let again = Json::parse(encode_json(&decode(&spaced).unwrap()).as_bytes());
    assert_eq!(again.keys(), ORDER_KEYS);
    let Some(Json::Array(items)) = again.get("items") else {
        panic!()
    };
    assert_eq!(items[0].keys(), ITEM_KEYS);
    assert_eq!(
        again.get("date").unwrap().text(),
        Some("2013-02-0904:30:25")
    );
    assert_eq!(
        again.get("shipping_date").unwrap().text(),
        Some("0000-00-00 00:00:00")
    );
    assert_eq!(again.get("discount_amount").unwrap().text(), Some("0.00"));
    assert_eq!(again.get("subscribed"), Some(&Json::Number("1".into())));
    assert_eq!(again.get("billing_company"), Some(&Json::Null));
}

#[test]
fn a_full_order_with_shipping_round_trips() {
    let wire = fixture("shipped.json");
    let order = decode(&wire).unwrap();
    assert!(order.on_hold && order.refunded);
    assert_eq!(order.refund_amount, Some(dec("10.00")));
    assert_eq!(order.refund_amount.unwrap().to_string(), "10.00");
    assert_eq!(order.shipping_status, ShippingStatus::Shipped);
    assert_eq!(
        order.shipping_date.value(),
        Some(datetime!(2013-02-11 16:05:00))
    );
    assert!(order.date.is_canonical());
    assert_eq!(order.tax_amount.to_string(), "1.60");
    let shipping = order.shipping.as_ref().unwrap();
    assert_eq!(shipping.first_name, "Ann");
    assert_eq!(shipping.company.as_deref(), Some(""));
    assert_eq!(order.ship_to().city, "Atlanta");
    assert_eq!(order.billing.company.as_deref(), Some("Cook & Sons, LLC"));
    assert_eq!(order.comments, "Leave at the door, please \u{2014} thanks!");
    assert_eq!(order.notes, "VIP \"gold\" customer\nsecond line");
    assert_eq!(
        order.extra_inputs.get(),
        "{\n  \"gift_message\": \"Happy birthday!\",\n  \"how_did_you_hear\": [\n   \"friend\",\n   \"podcast\"\n  ]\n }"
    );
    assert_eq!(order.vat_number.as_deref(), Some("GB123456789"));
    assert!(!order.subscribed);
    let item = &order.items[0];
    assert_eq!((item.qty, item.dl_cnt, item.dl_max), (2, 3, 5));
    assert!(item.send_link && !item.digital && item.part_of_bundle);
    assert_eq!(item.bundle_name, "Starter Pack");
    assert_eq!(item.line_total().unwrap().to_string(), "39.90");
    assert!(order.items[1].dl_unlimited);
    assert_eq!(order.items[1].title, "Widget2 \u{e9}dition sp\u{e9}ciale");
    assert_text_kept(&wire);
    assert_eq!(decode(encode_json(&order).as_bytes()).unwrap(), order);
    assert_eq!(decode(encode_form(&order).as_bytes()).unwrap(), order);
}

#[test]
fn nulls() {
    let order = decode(&fixture("nulls.json")).unwrap();
    assert_eq!(order.billing.company, None);
    assert_eq!(order.vat_number, None);
    assert_eq!(order.refund_amount, None);
    assert_eq!(order.shipping_date.value(), None);
    assert_eq!(
        order.shipping_date.wire_text(),
        None,
        "a null date stays null"
    );
    assert_eq!(order.comments, "");
    assert_eq!(order.tax_title, "");
    assert_eq!(
        order.shipping, None,
        "blank and null shipping fields are no address"
    );
    assert_eq!(order.items[0].options, "");
    assert_eq!(order.items[0].file_url, "");
    assert_eq!(order.items[1].bundle_name, "");
    assert_eq!(order.items[1].did, "");

    // Written back: `Option` fields and dates keep `null`; text fields with no `None`
    // (documented in the payload module) are written as "".
    let again = Json::parse(encode_json(&order).as_bytes());
    let original = Json::parse(&fixture("nulls.json"));
    for key in ["billing_company", "vat_number", "shipping_date"] {
        assert_eq!(again.get(key), Some(&Json::Null), "{key}");
    }
    for key in ["refund_amount", "comments", "tax_title", "shipping_company"] {
        assert_eq!(original.get(key), Some(&Json::Null), "{key}");
        assert_eq!(again.get(key), Some(&Json::String(String::new())), "{key}");
    }
    assert_eq!(decode(encode_json(&order).as_bytes()).unwrap(), order);
}

#[test]
fn missing_optional_fields_take_their_blank_values() {
    let order = decode(&fixture("missing-optional.json")).unwrap();
    assert_eq!(order.oid, "0000123457");
    assert_eq!(order.billing.email, "buyer@example.com");
    assert_eq!(order.invoice, "");
    assert_eq!(order.processing_fee, dec("0"));
    assert!(order.date.is_none() && order.date.is_canonical());
    assert_eq!(order.extra_inputs.get(), "[]");
    assert!(!order.subscribed);
    assert_eq!(order.shipping_status, ShippingStatus::NotShipped);
    assert_eq!(order.items[0].title, "");
    assert_eq!(order.items[0].bundle_id, "");
    // Written back with every documented key, in Cartloom's order.
    let again = Json::parse(encode_json(&order).as_bytes());
    assert_eq!(again.keys(), ORDER_KEYS);
    assert_eq!(
        again.get("date").unwrap().text(),
        Some("0000-00-00 00:00:00")
    );
    assert_eq!(again.get("refund_amount").unwrap().text(), Some(""));
    assert_eq!(decode(encode_json(&order).as_bytes()).unwrap(), order);
}

#[test]
fn numbers_and_booleans_are_accepted_and_written_as_strings() {
    let order = decode(&fixture("numbers.json")).unwrap();
    assert_eq!(order.oid, "123456");
    assert_eq!(order.invoice, "4321");
    assert_eq!(order.card_number, "1111");
    assert_eq!(order.billing.postal_code, "30120");
    assert_eq!(order.subtotal, dec("19.95"));
    assert_eq!(order.discount_amount.to_string(), "0.5");
    assert_eq!(order.shipping_status, ShippingStatus::NotShipped);
    assert!(order.subscribed, "\"1\" as a string is read too");
    assert_eq!(order.items[0].pid, "1234");
    assert_eq!(order.items[0].qty, 1);
    assert_eq!(order.items[0].price.to_string(), "19.95");
    assert!(order.items[0].digital && !order.items[0].send_link);

    let again = Json::parse(encode_json(&order).as_bytes());
    assert_eq!(again.get("oid"), Some(&Json::String("123456".into())));
    assert_eq!(again.get("subtotal"), Some(&Json::String("19.95".into())));
    assert_eq!(again.get("on_hold"), Some(&Json::String("0".into())));
    assert_eq!(again.get("subscribed"), Some(&Json::Number("1".into())));
    let Some(Json::Array(items)) = again.get("items") else {
        panic!()
    };
    assert_eq!(items[0].get("qty"), Some(&Json::String("1".into())));
    assert_eq!(items[0].get("digital"), Some(&Json::String("1".into())));
    assert_eq!(items[0].get("send_link"), Some(&Json::String("0".into())));
    assert_eq!(items[0].get("price"), Some(&Json::String("19.95".into())));
}

#[test]
fn unknown_fields_are_kept_raw_and_in_order() {
    let wire = fixture("unknown-fields.json");
    let order = decode(&wire).unwrap();
    let keys: Vec<&str> = order.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["affiliate_id", "custom_fields", "recurring"]);
    assert_eq!(order.extra["affiliate_id"].get(), "\"000042\"");
    assert_eq!(
        order.extra["custom_fields"].get(),
        r#"{"zeta": "1", "alpha": [1, 2.50, null, 1e3]}"#
    );
    assert_eq!(order.extra["recurring"].get(), "true");
    let item_keys: Vec<&str> = order.items[0].extra.keys().map(String::as_str).collect();
    assert_eq!(item_keys, ["upsell_of", "license"]);
    assert!(order.items[1].extra.is_empty());

    let again = encode_json(&order);
    assert!(
        again.ends_with(r#","subscribed":1,"affiliate_id":"000042","custom_fields":{"zeta": "1", "alpha": [1, 2.50, null, 1e3]},"recurring":true}"#),
        "{again}"
    );
    assert!(
        again.contains(r#""bundle_name":"","upsell_of":"0001234000","license":{"seats": "5"}}"#)
    );
    assert_eq!(decode(again.as_bytes()).unwrap(), order);
}

#[test]
fn a_thousand_items() {
    let body = common::order_with_items(1_000);
    let order = decode(body.as_bytes()).unwrap();
    assert_eq!(order.items.len(), 1_000);
    assert_eq!(order.items[999].item_id, "0000000999");
    assert_eq!(order.total_quantity(), 1_000);
    // As a form too: the percent-encoded body stays under the default size limit.
    let form = encode_form(&order);
    assert!(form.len() > body.len());
    assert_eq!(decode(form.as_bytes()).unwrap(), order);
}

#[test]
fn date_spellings_round_trip() {
    for (text, value) in [
        ("2013-02-0904:30:25", Some(datetime!(2013-02-09 04:30:25))),
        ("2013-02-09 04:30:25", Some(datetime!(2013-02-09 04:30:25))),
        ("2013-02-09T04:30:25", Some(datetime!(2013-02-09 04:30:25))),
        ("2013-02-09", Some(datetime!(2013-02-09 00:00:00))),
        ("0000-00-00 00:00:00", None),
        ("0000-00-00", None),
        ("", None),
    ] {
        let body = format!(
            r#"{{"oid":"1","date":{t},"shipping_date":{t},"subtotal":"0","grandtotal":"0","items":[]}}"#,
            t = serde_json::to_string(text).unwrap()
        );
        let order = decode(body.as_bytes()).unwrap();
        assert_eq!(order.date.value(), value, "{text:?}");
        let again = Json::parse(encode_json(&order).as_bytes());
        assert_eq!(again.get("date").unwrap().text(), Some(text));
        assert_eq!(again.get("shipping_date").unwrap().text(), Some(text));
    }
}

#[test]
fn an_order_is_the_same_through_the_json_view() {
    for name in [
        "vendor-sample.json",
        "shipped.json",
        "nulls.json",
        "unknown-fields.json",
    ] {
        let order = decode(&fixture(name)).unwrap();
        let view = serde_json::to_string(&order).unwrap();
        let back: Order = serde_json::from_str(&view).unwrap();
        assert_eq!(back, order, "{name}: {view}");
    }
    let order: Order = decode(&fixture("vendor-sample.json")).unwrap();
    let view = serde_json::to_value(&order).unwrap();
    assert_eq!(view["date"], "2013-02-09T04:30:25");
    assert_eq!(
        view["_wire"],
        serde_json::json!({"date": "2013-02-0904:30:25", "raw": {"extra_inputs": "[ ]"}})
    );
    assert_eq!(view["shipping_date"], serde_json::Value::Null);
    assert_eq!(view["grandtotal"], "19.95");
    assert_eq!(view["on_hold"], false);
    assert_eq!(view["subscribed"], true);
    assert_eq!(view["shipping_first_name"], serde_json::Value::Null);
    assert_eq!(view["items"][0]["qty"], 1);
    assert_eq!(view["items"][0]["digital"], true);
    assert_eq!(view["billing_company"], serde_json::Value::Null);
    assert_eq!(view["extra_inputs"], serde_json::json!([]));
    assert_eq!(view["extra"], serde_json::json!({}));
    assert_eq!(view["items"][1]["extra"], serde_json::json!({}));
    assert!(view.get("verified").is_none() && view.get("dedup_key").is_none());
    // Through a serde_json::Value (sorted keys, compact raw JSON) the `_wire` notes restore
    // every wire text.
    let back: Order = serde_json::from_value(view).unwrap();
    assert_eq!(back, order);
}

#[test]
fn unknown_fields_survive_the_json_view_through_a_value() {
    let wire = fixture("unknown-fields.json");
    let order = decode(&wire).unwrap();
    // Written in arrival order, under `extra`, on the order and on each item.
    let text = serde_json::to_string(&order).unwrap();
    let written = Json::parse(text.as_bytes());
    assert_eq!(
        written.get("extra").unwrap().keys(),
        ["affiliate_id", "custom_fields", "recurring"]
    );
    let Some(Json::Array(items)) = written.get("items") else {
        panic!("{text}")
    };
    assert_eq!(
        items[0].get("extra").unwrap().keys(),
        ["upsell_of", "license"]
    );
    assert!(written.get("affiliate_id").is_none() && items[0].get("license").is_none());

    let view = serde_json::to_value(&order).unwrap();
    assert_eq!(
        view["extra"]["custom_fields"],
        serde_json::json!({"alpha": [1, 2.5, null, 1000.0], "zeta": "1"})
    );
    assert_eq!(view["extra"]["recurring"], true);
    assert_eq!(
        view["items"][0]["extra"]["license"],
        serde_json::json!({"seats": "5"})
    );
    assert_eq!(
        view["_wire"]["raw"],
        serde_json::json!({
            "extra_inputs": "[ ]",
            "extra.custom_fields": r#"{"zeta": "1", "alpha": [1, 2.50, null, 1e3]}"#,
            "items[0].extra.license": r#"{"seats": "5"}"#,
        })
    );
    // Unknown keys arrived sorted on the order; the first item's did not.
    assert_eq!(
        view["_wire"]["key_order"],
        serde_json::json!({"items[0].extra": ["upsell_of", "license"]})
    );
    let back: Order = serde_json::from_value(view.clone()).unwrap();
    assert_eq!(back, order);
    assert_eq!(encode_json(&back), encode_json(&order));

    // An edited value drops its stale note: the edit wins.
    let mut edited = view;
    edited["extra"]["custom_fields"] = serde_json::json!({"zeta": "2"});
    edited["date"] = serde_json::json!("2020-01-01T00:00:00");
    let back: Order = serde_json::from_value(edited).unwrap();
    assert_eq!(back.extra["custom_fields"].get(), r#"{"zeta":"2"}"#);
    assert_eq!(
        back.date.wire_text().as_deref(),
        Some("2020-01-01 00:00:00")
    );
    assert_eq!(back.extra["affiliate_id"], order.extra["affiliate_id"]);
}

#[test]
fn unknown_fields_named_like_the_views_own_keys_stay_under_extra() {
    let body = br#"{"oid":"1","subtotal":"0","grandtotal":"0","items":[{"pid":"1","qty":"1",
        "price":"0","extra":"e"}],"_wire":{"date":"x"},"verified":false,"dedup_key":"k",
        "extra":[1]}"#;
    let order = decode(body).unwrap();
    let keys: Vec<&str> = order.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["_wire", "verified", "dedup_key", "extra"]);
    assert_eq!(order.extra["_wire"].get(), r#"{"date":"x"}"#);
    assert!(
        encode_json(&order)
            .ends_with(r#","_wire":{"date":"x"},"verified":false,"dedup_key":"k","extra":[1]}"#)
    );
    let view = serde_json::to_string(&order).unwrap();
    assert!(
        view.contains(
            r#""extra":{"_wire":{"date":"x"},"verified":false,"dedup_key":"k","extra":[1]}"#
        ),
        "{view}"
    );
    let back: Order = serde_json::from_str(&view).unwrap();
    assert_eq!(back, order);
    let back: Order = serde_json::from_value(serde_json::to_value(&order).unwrap()).unwrap();
    assert_eq!(back, order);
}

#[test]
fn reading_the_view_skips_what_the_cli_adds() {
    let order = decode(&fixture("unknown-fields.json")).unwrap();
    let mut view = serde_json::to_value(&order).unwrap();
    view["verified"] = serde_json::json!(true);
    view["dedup_key"] = serde_json::json!(order.dedup_key().as_str());
    let back: Order = serde_json::from_value(view.clone()).unwrap();
    assert_eq!(back, order);
    // Unknown fields at the top level (as on the wire) are read as extra fields; one that is
    // also under `extra` is a duplicate.
    view["extra"]
        .as_object_mut()
        .unwrap()
        .remove("affiliate_id");
    view["affiliate_id"] = serde_json::json!("000042");
    let back: Order = serde_json::from_value(view.clone()).unwrap();
    assert_eq!(back.extra["affiliate_id"].get(), "\"000042\"");
    view["extra"]["affiliate_id"] = serde_json::json!("1");
    let err = serde_json::from_value::<Order>(view).unwrap_err();
    assert!(err.to_string().contains("affiliate_id"), "{err}");
    // `extra` must be an object.
    let mut view = serde_json::to_value(&order).unwrap();
    view["extra"] = serde_json::json!([1]);
    let err = serde_json::from_value::<Order>(view).unwrap_err();
    assert!(err.to_string().contains("extra"), "{err}");
}

#[test]
fn a_received_order_notes_its_shape_in_the_view() {
    for (body, shape) in [
        (cartloom_order::samples::ORDER_JSON, BodyShape::Json),
        (cartloom_order::samples::ORDER_FORM, BodyShape::Form),
    ] {
        let received = Decoder::new().decode_shaped(body.as_bytes()).unwrap();
        assert_eq!(received.shape, shape);
        let view = serde_json::to_value(&received).unwrap();
        let noted = view["_wire"].get("body").cloned();
        match shape {
            BodyShape::Form => assert_eq!(noted, Some(serde_json::json!("form"))),
            _ => assert_eq!(noted, None),
        }
        let back: ReceivedOrder = serde_json::from_value(view.clone()).unwrap();
        assert_eq!(back, received);
        assert_eq!(back.encode(), body.trim());
        // The order alone ignores the note.
        let order: Order = serde_json::from_value(view).unwrap();
        assert_eq!(order, received.order);
        assert!(
            serde_json::to_value(&order).unwrap()["_wire"]
                .get("body")
                .is_none()
        );
    }
    let mut view =
        serde_json::to_value(decode(cartloom_order::samples::ORDER_JSON.as_bytes()).unwrap())
            .unwrap();
    view["_wire"]["body"] = serde_json::json!("json");
    let back: ReceivedOrder = serde_json::from_value(view.clone()).unwrap();
    assert_eq!(back.shape, BodyShape::Json);
    view["_wire"]["body"] = serde_json::json!("xml");
    let err = serde_json::from_value::<ReceivedOrder>(view).unwrap_err();
    assert!(err.to_string().contains("_wire.body"), "{err}");
}

#[test]
fn documented_normalizations() {
    let body = br#"{"oid":"1","on_hold":"true","refunded":"","subtotal":" 19.95","grandtotal":"+5",
        "tax_amount":"-0.00","discount_amount":".5","refund_amount":"null","comments":null,
        "items":[{"pid":"1","qty":"007","price":"19.95","digital":"yes"}],"subscribed":"0"}"#;
    let again = Json::parse(encode_json(&decode(body).unwrap()).as_bytes());
    for (key, text) in [
        ("on_hold", "1"),
        ("refunded", "0"),
        ("subtotal", "19.95"),
        ("grandtotal", "5"),
        ("tax_amount", "0.00"),
        ("discount_amount", "0.5"),
        ("refund_amount", ""),
        ("comments", ""),
    ] {
        assert_eq!(again.get(key).unwrap().text(), Some(text), "{key}");
    }
    let Some(Json::Array(items)) = again.get("items") else {
        panic!()
    };
    assert_eq!(items[0].get("qty").unwrap().text(), Some("7"));
    assert_eq!(items[0].get("digital").unwrap().text(), Some("1"));
    assert_eq!(again.get("subscribed"), Some(&Json::Number("0".into())));
}
