//! Building every `#[non_exhaustive]` type from outside the crate, as a user does, and the JSON
//! shape the CLI prints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfreak_notify::{
    Address, Create, Customer, Notification, Received, Reply, SubscriptionEvent, UnknownCommand,
    decode, samples,
};
use cartwire_core::{Decimal, Secret};
use serde_json::json;

#[test]
fn users_can_build_every_notification() {
    let mut create = Create::new(
        "9001",
        "17",
        "Premium",
        Decimal::new(2995, 2),
        Decimal::new(117, 2),
    )
    .with_customer(Customer::new("John", "Doe", "john@example.com").with_phone("+1 555"))
    .with_billing_address(Address::new("1 Main", "Springfield", "IL", "62704", "US"))
    .with_shipping_address(
        Address::new("5 Dock", "Chicago", "IL", "60601", "US").with_address2("Gate 2"),
    )
    .with_billing_id("5517")
    .with_order_hash("abc");
    create.extra.insert("affiliate".into(), "a1".into());
    assert_eq!(create.total.to_string(), "28.78");

    let mut event = SubscriptionEvent::new("5517", "john@example.com");
    event.extra.insert("reason".into(), "card expired".into());
    let mut unknown = UnknownCommand::new("REFUND");
    unknown.fields.insert("order_id".into(), "9001".into());

    let key = Secret::new("k");
    for n in [
        Notification::Create(create),
        Notification::Remove(event.clone()),
        Notification::Renew(event.clone()),
        Notification::Complete(event.clone()),
        Notification::Decline(event),
        Notification::Unknown(unknown),
    ] {
        let received = decode(n.to_form(&key).as_bytes()).unwrap();
        assert_eq!(received.verify(&key), Ok(()));
        assert_eq!(received.notification, n);
    }
    let mut received = Received::new(Notification::Remove(SubscriptionEvent::default()));
    received.hash = Some("00".into());
    assert_eq!(
        received.to_wire(),
        "command=REMOVE&billing_id=&email=&hash=00"
    );
    assert!(Reply::Ok.is_ok());
}

#[test]
fn json_shape() {
    let received = decode(samples::REMOVE_FORM.as_bytes()).unwrap();
    assert_eq!(
        serde_json::to_value(&received).unwrap(),
        json!({
            "command": "REMOVE",
            "billing_id": "224",
            "email": "user+tag@domain.com",
            "extra": [],
            "hash": "4f5903323592304bcb55eb4783bcf19d158145a1",
        })
    );
    let blank = decode(samples::CREATE_BLANK_SHIPPING_QUERY.as_bytes()).unwrap();
    let value = serde_json::to_value(&blank).unwrap();
    assert_eq!(value["billing_id"], json!(null));
    assert_eq!(value["amount"], json!("19.00"));
    assert_eq!(value["ship_city"], json!(""));
    assert_eq!(value.as_object().unwrap().len(), 1 + 24 + 1);

    let url = decode(samples::REMOVE_URL.as_bytes()).unwrap();
    let value = serde_json::to_value(&url).unwrap();
    assert_eq!(
        value["api_url"],
        json!("http://www.yourdomain.com/script.php")
    );
    let back: Received = serde_json::from_value(value).unwrap();
    assert_eq!(back.to_wire(), samples::REMOVE_URL);

    let unknown = decode(samples::UNKNOWN_COMMAND_QUERY.as_bytes()).unwrap();
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        json!({
            "command": "REFUND",
            "extra": [["billing_id", "5517"], ["order_id", "100482"], ["amount", "29.95"],
                      ["reason", "customer request"]],
        })
    );
}

#[test]
fn json_input_is_validated_like_the_wire() {
    let bad: Result<Notification, _> = serde_json::from_value(json!({"billing_id": "1"}));
    assert!(bad.unwrap_err().to_string().contains("command"));
    let bad: Result<Notification, _> = serde_json::from_value(
        json!({"command": "CREATE", "amount": "x", "fee": "1", "total": "1"}),
    );
    assert!(bad.unwrap_err().to_string().contains("`amount`"));
    let bad: Result<Notification, _> =
        serde_json::from_value(json!({"command": "REMOVE", "hash": "00"}));
    assert!(bad.unwrap_err().to_string().contains("`hash`"));
    let bad: Result<Notification, _> =
        serde_json::from_value(json!({"command": "REMOVE", "email": "a", "extra": {"email": "b"}}));
    assert!(bad.unwrap_err().to_string().contains("`email`"));
    // Numbers are accepted for text and money, null for blank.
    let ok: Notification = serde_json::from_value(json!({
        "command": "CREATE", "billing_id": null, "product_id": 17,
        "amount": 19.95, "fee": 0, "total": "19.95", "utm": "x"
    }))
    .unwrap();
    let create = ok.as_create().unwrap();
    assert_eq!(create.product_id, "17");
    assert_eq!(create.amount.to_string(), "19.95");
    assert_eq!(create.extra.get("utm").map(String::as_str), Some("x"));
}
