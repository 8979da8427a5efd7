//! Building every `#[non_exhaustive]` type from outside the crate, as a user does, with this
//! crate as the only dependency, and the JSON view the CLI prints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfreak_notify::{
    Address, CartFreakKey, Create, Customer, Decimal, Delivery, Notification, Received, Receiver,
    Reply, SubscriptionEvent, UnknownCommand, decode, samples,
};
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
    let mut unknown = UnknownCommand::new("REFUND")
        .with_billing_id("5517")
        .with_email("john@example.com");
    unknown.extra.insert("order_id".into(), "9001".into());

    let key = CartFreakKey::new("k").unwrap();
    for n in [
        Notification::Create(create),
        Notification::Remove(event.clone()),
        Notification::Renew(event.clone()),
        Notification::Complete(event.clone()),
        Notification::Decline(event),
        Notification::Unknown(unknown),
        Notification::Unknown(UnknownCommand::new("PING")),
    ] {
        let body = n.to_form(&key);
        let received = key.receive(&Delivery::post("/", body.as_bytes())).unwrap();
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
            "extra": {},
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
            "billing_id": "5517",
            "email": null,
            "extra": {"order_id": "100482", "amount": "29.95", "reason": "customer request"},
        })
    );
    // As text, the order of `extra` survives (a `serde_json::Value` sorts its keys unless
    // serde_json's `preserve_order` feature is on).
    let back: Received = serde_json::from_str(&serde_json::to_string(&unknown).unwrap()).unwrap();
    assert_eq!(back.to_wire(), samples::UNKNOWN_COMMAND_QUERY);
}

#[test]
fn json_extra_is_one_object_in_arrival_order() {
    let received = decode(samples::EXTRA_FIELDS_QUERY.as_bytes()).unwrap();
    let json = serde_json::to_string(&received).unwrap();
    assert!(
        json.ends_with(r#","extra":{"affiliate_id":"aff-77","utm[source]":"newsletter"}}"#),
        "{json}"
    );
    // Arrival order, not sorted: the same fields the other way round.
    let wire = "command=REMOVE&billing_id=1&email=a%40b.c&zeta=1&alpha=2";
    let json = serde_json::to_string(&decode(wire.as_bytes()).unwrap()).unwrap();
    assert!(
        json.ends_with(r#""extra":{"zeta":"1","alpha":"2"}}"#),
        "{json}"
    );
    let back: Received = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_wire(), wire);
    // The view's keys.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    for key in ["command", "billing_id", "email", "extra"] {
        assert!(value.get(key).is_some(), "{key}");
    }
    assert!(value.get("verified").is_none());
    assert!(value.get("dedup_key").is_none());
}

#[test]
fn json_input_ignores_what_the_cli_adds() {
    let received = decode(samples::REMOVE_FORM.as_bytes()).unwrap();
    let mut value = serde_json::to_value(&received).unwrap();
    value["verified"] = json!(true);
    value["dedup_key"] = json!(received.dedup_key());
    let back: Received = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, received);
    assert_eq!(back.to_wire(), samples::REMOVE_FORM);
    value.as_object_mut().unwrap().remove("hash");
    let notification: Notification = serde_json::from_value(value).unwrap();
    assert_eq!(notification, received.notification);
    assert!(notification.extra().is_empty());
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
    // Integers are accepted for text and money, null for blank.
    let ok: Notification = serde_json::from_value(json!({
        "command": "CREATE", "billing_id": null, "product_id": 17,
        "amount": 19, "fee": 0, "total": "19.95", "utm": "x"
    }))
    .unwrap();
    let create = ok.as_create().unwrap();
    assert_eq!(create.product_id, "17");
    assert_eq!(create.amount.to_string(), "19");
    // A number with a fraction arrives as an f64 whose digits may be rounded already
    // (0.1000000000000000055511151231257827 is 0.1 by then): refused, never rounded.
    for amount in ["19.95", "1e2", "0.1000000000000000055511151231257827"] {
        let bad: Result<Notification, _> = serde_json::from_str(&format!(
            r#"{{"command": "CREATE", "amount": {amount}, "fee": "0", "total": "1"}}"#
        ));
        let err = bad.unwrap_err().to_string();
        assert!(
            err.contains("`amount`") && err.contains("send it as a string"),
            "{err}"
        );
    }
    let bad: Result<Notification, _> =
        serde_json::from_value(json!({"command": "REMOVE", "email": "a", "extra": {"x": 2.5}}));
    assert!(bad.unwrap_err().to_string().contains("field `extra.x`"));
    assert_eq!(create.extra.get("utm").map(String::as_str), Some("x"));
    // The view's former `extra`, an array of pairs, is still read.
    let ok: Notification = serde_json::from_value(
        json!({"command": "REMOVE", "email": "a", "extra": [["x", "1"], ["y", 2]]}),
    )
    .unwrap();
    assert_eq!(ok.to_query(), "command=REMOVE&billing_id=&email=a&x=1&y=2");
    // For an unknown command, `null` is "not sent" and `""` is "sent blank".
    let absent: Notification =
        serde_json::from_value(json!({"command": "PING", "billing_id": null, "email": null}))
            .unwrap();
    assert_eq!(absent.to_query(), "command=PING");
    let blank: Notification =
        serde_json::from_value(json!({"command": "PING", "billing_id": ""})).unwrap();
    assert_eq!(blank.to_query(), "command=PING&billing_id=");
    let bad: Result<Notification, _> =
        serde_json::from_str(r#"{"command": "PING", "extra": {"x": "1"}, "extra": {}}"#);
    assert!(bad.unwrap_err().to_string().contains("`extra`"));
}
