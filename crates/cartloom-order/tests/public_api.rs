//! Everything a user needs can be built from outside the crate, despite `#[non_exhaustive]`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartloom_order::time::macros::datetime;
use cartloom_order::{
    BillingAddress, BodyShape, CartloomToken, Credential, Decimal, Decoder, Delivery, Item, Order,
    RawJson, ReceivedOrder, Receiver, ShippingAddress, ShippingStatus, VerifyError, WireDateTime,
    decode, encode, encode_json,
};

#[test]
fn build_encode_and_decode_an_order() {
    let mut order = Order::new("0000200001");
    order.date = WireDateTime::new(datetime!(2024-05-06 07:08:09));
    order.subtotal = Decimal::new(4990, 2);
    order.grandtotal = Decimal::new(5490, 2);
    order.shipping_amount = Decimal::new(500, 2);
    order.shipping_status = ShippingStatus::Shipped;
    order.shipping_date = WireDateTime::from(Some(datetime!(2024-05-07 10:00:00)));
    let mut billing = BillingAddress::default();
    billing.first_name = "Ann".into();
    billing.email = "ann@example.com".into();
    billing.company = Some("Ann & Co".into());
    order.billing = billing;
    let mut shipping = ShippingAddress::default();
    shipping.first_name = "Bob".into();
    shipping.city = "Atlanta".into();
    order.shipping = Some(shipping);
    order.extra_inputs = RawJson::from_json(r#"{"gift":"yes"}"#).unwrap();
    order
        .extra
        .insert("affiliate".into(), RawJson::from_json("\"x1\"").unwrap());
    let mut item = Item::new("000000001", "0000000002", 2, Decimal::new(2495, 2));
    item.title = "Widget".into();
    item.digital = true;
    item.extra.insert(
        "color".into(),
        RawJson::from_value(&serde_json::json!("red")),
    );
    order.items.push(item);
    order.subscribed = true;

    let wire = encode_json(&order);
    assert!(wire.contains(r#""date":"2024-05-06 07:08:09""#), "{wire}");
    assert!(wire.contains(r#""shipping_status":"1","shipping_date":"2024-05-07 10:00:00""#));
    assert!(wire.contains(r#""price":"24.95""#));
    assert!(wire.contains(r#""extra_inputs":{"gift":"yes"}"#));
    assert!(
        wire.ends_with(r#""subscribed":1,"affiliate":"x1"}"#),
        "{wire}"
    );
    assert_eq!(decode(wire.as_bytes()).unwrap(), order);
    let form = encode(&order, BodyShape::Form);
    assert!(form.starts_with("order=%7B%22oid%22%3A%220000200001%22"));
    assert_eq!(
        Decoder::new().decode_shaped(form.as_bytes()).unwrap(),
        ReceivedOrder::new(order, BodyShape::Form)
    );
}

#[test]
fn a_receiver_protects_its_endpoint() {
    let token = CartloomToken::new("c0ffee-c0ffee-c0ffee-c0ffee-c0ffee").unwrap();
    let url = token.notify_url("https://shop.example/hooks/cartloom");
    let target = url.strip_prefix("https://shop.example").unwrap();
    let body = cartloom_order::samples::ORDER_FORM.as_bytes();
    let received = token.receive(&Delivery::post(target, body)).unwrap();
    assert_eq!(received.order.oid, "0000123456");
    assert_eq!(received.shape, BodyShape::Form);
    // The full URL works as a target too.
    assert_eq!(
        token.receive(&Delivery::post(&url, body)).unwrap(),
        received
    );
    assert_eq!(
        token.receive(&Delivery::post("/hooks/cartloom", body)),
        Err(VerifyError::Missing.at(Credential::Token, "token"))
    );
}
