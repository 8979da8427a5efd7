//! Every vendor-style fixture, decoded field by field and written back byte for byte.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfreak_notify::{
    ApiUrl, CartFreakKey, Command, Credential, Decimal, Delivery, Error, ErrorKind, Flavour,
    Notification, Received, Receiver, Reply, VerifyError, decode, samples,
};

fn key() -> CartFreakKey {
    CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap()
}

/// The body as the cart POSTs it, received with `key`.
fn post(key: &CartFreakKey, body: &str) -> Result<Received, Error> {
    key.receive(&Delivery::post("/hooks/cartfreak", body.as_bytes()))
}

fn at(reason: VerifyError) -> Error {
    reason.at(Credential::Hash, "hash")
}

fn create(wire: &str) -> cartfreak_notify::Create {
    match decode(wire.as_bytes()).unwrap().notification {
        Notification::Create(create) => create,
        other => panic!("not a CREATE: {other:?}"),
    }
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn full_create() {
    let c = create(samples::CREATE_QUERY);
    assert_eq!(c.billing_id.as_deref(), Some("5517"));
    assert_eq!(c.customer.first_name, "John");
    assert_eq!(c.customer.last_name, "Doe");
    assert_eq!(c.customer.email, "john.doe@example.com");
    assert_eq!(c.customer.phone, "+1 217 555 0123");
    assert_eq!(c.billing_address.address, "123 Main Street");
    assert_eq!(c.billing_address.address2, "Apt 4B");
    assert_eq!(c.billing_address.city, "Springfield");
    assert_eq!(c.billing_address.state, "IL");
    assert_eq!(c.billing_address.zipcode, "62704");
    assert_eq!(c.billing_address.country, "US");
    assert_eq!(c.shipping_address.address, "500 Warehouse Rd");
    assert_eq!(c.shipping_address.address2, "Dock 3");
    assert_eq!(c.effective_shipping().city, "Chicago");
    assert!(!c.ships_to_billing_address());
    assert_eq!(c.product_id, "17");
    assert_eq!(c.product_name, "Premium Membership (Monthly)");
    assert_eq!(c.amount.to_string(), "29.95");
    assert_eq!(c.fee.to_string(), "1.17");
    assert_eq!(c.total.to_string(), "28.78");
    assert_eq!(c.order_id, "100482");
    assert_eq!(c.order_hash, "e3b9f1c27a0d4c58");
    assert!(c.extra.is_empty());
    assert_eq!(c.check_total(), Ok(()));
}

#[test]
fn create_with_blank_shipping_ships_to_billing() {
    let c = create(samples::CREATE_BLANK_SHIPPING_QUERY);
    assert_eq!(c.billing_id, None);
    assert!(c.ships_to_billing_address());
    assert!(c.shipping_address.is_blank());
    assert_eq!(c.effective_shipping(), &c.billing_address);
    assert_eq!(c.effective_shipping().city, "Springfield");
    assert_eq!(c.billing_address.address2, "");
    assert_eq!(c.total, dec("18.15"));
}

#[test]
fn remove_as_url_and_as_query() {
    let from_url = decode(samples::REMOVE_URL.as_bytes()).unwrap();
    let from_query = decode(samples::REMOVE_QUERY.as_bytes()).unwrap();
    assert_eq!(from_url.notification, from_query.notification);
    assert_eq!(
        from_url.api_url.as_ref().map(ApiUrl::as_str),
        Some("http://www.yourdomain.com/script.php")
    );
    assert_eq!(from_query.api_url, None);
    let Notification::Remove(remove) = &from_url.notification else {
        panic!("not a REMOVE")
    };
    assert_eq!(remove.billing_id.as_deref(), Some("224"));
    assert_eq!(remove.email, "user@domain.com");
    assert!(remove.extra.is_empty());
    assert_eq!(from_url.flavour(), Flavour::Query);
    // Written back exactly as the vendor page shows it.
    assert_eq!(from_url.to_wire(), samples::REMOVE_URL);
    assert_eq!(from_query.to_wire(), samples::REMOVE_QUERY);
    // The GET flavour has no hash to verify: refused with a key, decoded without one.
    let get = Delivery::get(samples::REMOVE_URL);
    assert_eq!(key().receive(&get), Err(at(VerifyError::Missing)));
    assert_eq!(CartFreakKey::receive_unverified(&get), Ok(from_url));
}

#[test]
fn post_flavour_with_a_valid_and_a_tampered_hash() {
    let valid = post(&key(), samples::CREATE_FORM).unwrap();
    assert_eq!(valid.flavour(), Flavour::Form);
    assert_eq!(valid, decode(samples::CREATE_FORM.as_bytes()).unwrap());
    assert_eq!(
        valid.notification,
        decode(samples::CREATE_QUERY.as_bytes())
            .unwrap()
            .notification,
        "the hash is a wire field, not a field of the notification"
    );
    assert_eq!(
        key().decode_verified(samples::CREATE_FORM.as_bytes()),
        Ok(valid)
    );
    let another = CartFreakKey::new("another-key").unwrap();
    assert_eq!(
        post(&another, samples::CREATE_FORM),
        Err(at(VerifyError::Mismatch))
    );

    let err = post(&key(), samples::CREATE_TAMPERED_HASH_FORM).unwrap_err();
    assert_eq!(err, at(VerifyError::Mismatch));
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    assert_eq!(err.field(), Some("hash"));
    assert_eq!(
        key()
            .decode_verified(samples::CREATE_TAMPERED_HASH_FORM.as_bytes())
            .unwrap_err(),
        at(VerifyError::Mismatch)
    );
}

#[test]
fn the_hash_fails_when_missing_empty_or_truncated() {
    let body = samples::CREATE_FORM;
    let split = body.find("&hash=").unwrap();
    let (fields, hash_pair) = body.split_at(split);
    let hash = &hash_pair["&hash=".len()..];
    let cases = [
        (fields.to_owned(), VerifyError::Missing),
        (format!("{fields}&hash="), VerifyError::Empty),
        (
            format!("{fields}&hash={}", &hash[..39]),
            VerifyError::Length {
                expected: 40,
                found: 39,
            },
        ),
        (
            format!("{fields}&hash={}", &hash[..8]),
            VerifyError::Length {
                expected: 40,
                found: 8,
            },
        ),
        (
            format!("{fields}&hash={}xyz", &hash[..37]),
            VerifyError::NotHex,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(post(&key(), &input).unwrap_err(), at(expected), "{input}");
    }
}

#[test]
fn each_extra_command() {
    for (wire, command) in [
        (samples::RENEW_FORM, Command::Renew),
        (samples::COMPLETE_FORM, Command::Complete),
        (samples::DECLINE_FORM, Command::Decline),
        (samples::REMOVE_FORM, Command::Remove),
    ] {
        let received = post(&key(), wire).unwrap_or_else(|e| panic!("{command}: {e}"));
        assert_eq!(received.notification.command(), command);
        let event = received.notification.as_subscription_event().unwrap();
        if command == Command::Remove {
            assert_eq!(event.billing_id.as_deref(), Some("224"));
            assert_eq!(
                event.email, "user+tag@domain.com",
                "`%2B` is a plus, not a space"
            );
        } else {
            assert_eq!(event.billing_id.as_deref(), Some("5517"));
            assert_eq!(event.email, "john.doe@example.com");
        }
        assert_eq!(received.to_wire(), wire);
        assert_eq!(received.notification.to_form(&key()), wire);
    }
}

#[test]
fn unknown_command_keeps_every_field() {
    let received = decode(samples::UNKNOWN_COMMAND_QUERY.as_bytes()).unwrap();
    let Notification::Unknown(unknown) = &received.notification else {
        panic!("not unknown")
    };
    assert_eq!(unknown.command, "REFUND");
    // The fields every command carries are typed; the REFUND carries no email.
    assert_eq!(unknown.billing_id.as_deref(), Some("5517"));
    assert_eq!(unknown.email, None);
    let extra: Vec<(&str, &str)> = unknown
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        extra,
        [
            ("order_id", "100482"),
            ("amount", "29.95"),
            ("reason", "customer request"),
        ]
    );
    assert_eq!(received.notification.billing_id(), Some("5517"));
    assert_eq!(received.notification.email(), None);
    assert_eq!(received.to_wire(), samples::UNKNOWN_COMMAND_QUERY);
}

#[test]
fn unknown_command_exposes_billing_id_and_email_wherever_they_arrive() {
    let wire = "command=CHARGEBACK&reason=fraud&email=a%2Bb%40c.d&case=77&billing_id=9";
    let received = decode(wire.as_bytes()).unwrap();
    let Notification::Unknown(unknown) = &received.notification else {
        panic!("not unknown")
    };
    assert_eq!(unknown.billing_id.as_deref(), Some("9"));
    assert_eq!(unknown.email.as_deref(), Some("a+b@c.d"));
    assert_eq!(
        unknown.extra.keys().collect::<Vec<_>>(),
        ["reason", "case"],
        "the rest in arrival order"
    );
    assert_eq!(received.notification.billing_id(), Some("9"));
    assert_eq!(received.notification.email(), Some("a+b@c.d"));
    // Written back with the typed fields first, as for the known commands.
    assert_eq!(
        received.to_wire(),
        "command=CHARGEBACK&billing_id=9&email=a%2Bb%40c.d&reason=fraud&case=77"
    );
    assert_eq!(decode(received.to_wire().as_bytes()).unwrap(), received);
    // A blank billing_id is kept as sent, and is no subscription.
    let blank = decode(b"command=PING&billing_id=").unwrap();
    assert_eq!(blank.notification.billing_id(), None);
    assert_eq!(blank.to_wire(), "command=PING&billing_id=");
    // Repeated, they are refused like any documented field.
    let err = decode(b"command=PING&email=a&email=b").unwrap_err();
    assert_eq!(err.field(), Some("email"));
}

#[test]
fn cyrillic_and_accented_names() {
    let c = create(samples::CYRILLIC_QUERY);
    assert_eq!(c.customer.first_name, "Иван");
    assert_eq!(c.customer.last_name, "Петров");
    assert_eq!(c.billing_address.address, "ул. Ленина, д. 5, кв. 12");
    assert_eq!(c.effective_shipping().city, "Москва");
    assert_eq!(c.product_name, "Курс «Быстрый старт»");
    assert_eq!(c.amount.to_string(), "1500.00");

    let c = create(samples::ACCENTED_QUERY);
    assert_eq!(c.customer.first_name, "José Ángel");
    assert_eq!(c.customer.last_name, "Müller-Lefèvre");
    assert_eq!(c.customer.email, "jose+shop@example.com");
    assert_eq!(c.billing_address.address, "12 Rue de l’Église");
    assert_eq!(c.billing_address.state, "Bourgogne-Franche-Comté");
    assert_eq!(c.effective_shipping().city, "Århus");
    assert_eq!(c.effective_shipping().state, "", "ship_* taken whole");
    assert_eq!(c.product_name, "Crème brûlée masterclass");
}

#[test]
fn unknown_fields_are_kept_in_order() {
    let received = decode(samples::EXTRA_FIELDS_QUERY.as_bytes()).unwrap();
    let extra: Vec<_> = received.notification.extra().iter().collect();
    assert_eq!(extra.len(), 2);
    assert_eq!(extra[0], (&"affiliate_id".to_owned(), &"aff-77".to_owned()));
    assert_eq!(
        extra[1],
        (&"utm[source]".to_owned(), &"newsletter".to_owned())
    );
    assert_eq!(received.to_wire(), samples::EXTRA_FIELDS_QUERY);
}

#[test]
fn a_total_mismatch_is_reported_not_fatal() {
    let received = decode(samples::TOTAL_MISMATCH_QUERY.as_bytes()).unwrap();
    let mismatch = received.notification.check_total().unwrap_err();
    assert_eq!(mismatch.total, dec("30.00"));
    assert_eq!(mismatch.expected, Some(dec("28.78")));
    assert!(mismatch.to_string().contains("`total`"));
}

#[test]
fn every_sample_is_written_back_byte_for_byte() {
    for (name, wire) in samples::ALL {
        let received = decode(wire.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(received.to_wire(), wire, "{name}");
        // Through JSON too (the CLI's decode | encode).
        let json = serde_json::to_string(&received).unwrap();
        let back: Received = serde_json::from_str(&json).unwrap();
        assert_eq!(back, received, "{name}: {json}");
    }
}

#[test]
fn dedup_key_is_the_same_across_flavours_and_encodings() {
    let get = decode(samples::CREATE_QUERY.as_bytes())
        .unwrap()
        .notification;
    let post = post(&key(), samples::CREATE_FORM).unwrap();
    assert_eq!(get.dedup_key(), post.dedup_key());
    assert_eq!(get.dedup_key(), post.notification.dedup_key());
    assert_eq!(get.dedup_key().as_str().len(), 64);
    // `@` raw or `%40`, `+` or `%20`: the same notification.
    let a = decode(b"command=REMOVE&billing_id=224&email=user%40domain.com").unwrap();
    let b = decode(b"email=user@domain.com&command=REMOVE&billing_id=224").unwrap();
    assert_eq!(a.notification.dedup_key(), b.notification.dedup_key());
    let other = decode(samples::CREATE_BLANK_SHIPPING_QUERY.as_bytes()).unwrap();
    assert_ne!(get.dedup_key(), other.notification.dedup_key());
}

#[test]
fn api_url_with_a_query_and_a_fragment() {
    let api_url = ApiUrl::parse(samples::API_URL_WITH_QUERY).unwrap();
    let remove = decode(samples::REMOVE_QUERY.as_bytes())
        .unwrap()
        .notification;
    assert_eq!(
        api_url.notification_url(&remove),
        "https://shop.example.com/hooks/cartfreak.php?token=abc123&site=main\
         &command=REMOVE&billing_id=224&email=user%40domain.com"
    );
    // What the receiver gets back: the configured parameters as unknown fields.
    let received = decode(api_url.notification_url(&remove).as_bytes()).unwrap();
    let extra = received.notification.extra();
    assert_eq!(extra.get("token").map(String::as_str), Some("abc123"));
    assert_eq!(extra.get("site").map(String::as_str), Some("main"));
}

#[test]
fn replies() {
    assert_eq!(Reply::parse("OK").unwrap(), Reply::Ok);
    assert_eq!(
        Reply::parse("ERROR Invalid hash sent").unwrap(),
        Reply::error("Invalid hash sent")
    );
}
