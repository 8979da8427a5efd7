//! Receiving deliveries with the key: every sample, a tampered one, a wrong key, a forged and
//! malformed body, the GET flavour, and an empty key. Only this crate is named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfreak_notify::{
    CartFreakKey, Credential, Delivery, EmptyKey, Error, ErrorKind, Flavour, Receiver, Reply,
    VerifyError, decode, samples,
};

fn key() -> CartFreakKey {
    CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap()
}

/// The delivery of a sample as the cart makes it: the `.form` samples are POST bodies, the
/// URL sample a GET of that URL, the `.query` samples the query of a GET. (`target` holds
/// the GET's target.)
fn delivery<'a>(wire: &'a str, target: &'a mut String) -> Delivery<'a> {
    if wire.contains("&hash=") {
        Delivery::post("/hooks/cartfreak", wire.as_bytes())
    } else if wire.starts_with("http") {
        Delivery::get(wire)
    } else {
        *target = format!("/hooks/cartfreak?{wire}");
        Delivery::get(target)
    }
}

/// What every receiving crate checks: a verified delivery decodes to what the unverified
/// decode gives, and has a key of 64 hex characters.
fn check<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> Result<R::Notification, Error>
where
    R::Notification: PartialEq + std::fmt::Debug,
{
    use cartfreak_notify::Dedup as _;
    let notification = key.receive(delivery)?;
    assert_eq!(R::receive_unverified(delivery).as_ref(), Ok(&notification));
    assert_eq!(notification.dedup_key().as_str().len(), 64);
    Ok(notification)
}

#[test]
fn every_sample_through_the_key() {
    for (name, wire) in samples::ALL {
        let mut target = String::new();
        let delivery = delivery(wire, &mut target);
        let unverified =
            CartFreakKey::receive_unverified(&delivery).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            unverified,
            decode(wire.as_bytes()).unwrap(),
            "{name}: a delivery decodes as the text does"
        );
        assert_eq!(unverified.to_wire(), wire, "{name}");
        match (name, check(&key(), &delivery)) {
            ("create-tampered-hash", Err(err)) => {
                assert_eq!(err, VerifyError::Mismatch.at(Credential::Hash, "hash"));
            }
            (_, Err(err)) => {
                // The documented GET flavour: no hash to check.
                assert_eq!(unverified.flavour(), Flavour::Query, "{name}");
                assert_eq!(
                    err,
                    VerifyError::Missing.at(Credential::Hash, "hash"),
                    "{name}"
                );
            }
            (_, Ok(received)) => {
                assert_eq!(received.flavour(), Flavour::Form, "{name}");
                assert_eq!(received, unverified, "{name}");
            }
        }

        // Every sample, re-sent signed (what `cartwire send --secret` does), is received.
        let body = unverified.notification.to_form(&key());
        let signed = Delivery::post("/hooks/cartfreak", body.as_bytes());
        let received = check(&key(), &signed).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(received.notification, unverified.notification, "{name}");
        assert_eq!(received.dedup_key(), unverified.dedup_key(), "{name}");
    }
}

#[test]
fn a_tampered_delivery_is_refused() {
    // The command changed after signing: the hash covers the command.
    let body = samples::REMOVE_FORM.replace("command=REMOVE", "command=RENEW");
    let err = key()
        .receive(&Delivery::post("/h", body.as_bytes()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    assert_eq!(err.field(), Some("hash"));
    // The hash itself changed.
    let err = key()
        .receive(&Delivery::post(
            "/h",
            samples::CREATE_TAMPERED_HASH_FORM.as_bytes(),
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
    );
}

#[test]
fn a_wrong_key_is_refused_naming_the_hash() {
    let wrong = CartFreakKey::new("not-the-product-key").unwrap();
    for wire in [
        samples::CREATE_FORM,
        samples::REMOVE_FORM,
        samples::RENEW_FORM,
    ] {
        let err = wrong
            .receive(&Delivery::post("/h", wire.as_bytes()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{wire}");
        assert_eq!(err.field(), Some("hash"));
        assert_eq!(err, VerifyError::Mismatch.at(Credential::Hash, "hash"));
        assert!(wrong.decode_verified(wire.as_bytes()).is_err());
    }
}

#[test]
fn a_forged_and_malformed_body_is_refused_as_forged() {
    // A wrong hash and no `amount`: the body is never judged on its content.
    let forged = samples::CREATE_TAMPERED_HASH_FORM
        .split('&')
        .filter(|pair| !pair.starts_with("amount="))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(
        decode(forged.as_bytes()).unwrap_err(),
        Error::missing("amount")
    );
    let err = key()
        .receive(&Delivery::post("/h", forged.as_bytes()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    assert_eq!(err.field(), Some("hash"));

    // A bare forged command, a bad decimal, a repeated field, a missing command: all forged.
    for body in [
        "command=CREATE&hash=0000000000000000000000000000000000000000",
        "command=CREATE&amount=abc&fee=1&total=1&hash=00",
        "command=REMOVE&email=a&email=b&hash=4f5903323592304bcb55eb4783bcf19d158145a0",
        "billing_id=1&hash=4f5903323592304bcb55eb4783bcf19d158145a1",
        "command=CREATE",
        "",
    ] {
        let err = key()
            .receive(&Delivery::post("/h", body.as_bytes()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{body}: {err}");
        assert_eq!(err.field(), Some("hash"), "{body}");
    }

    // With the right hash, the same faults are malformed, naming the field.
    let create_hash = "1a6fdad0ec197c384a381bb29ca235c44c318684";
    for (body, field) in [
        (format!("command=CREATE&hash={create_hash}"), "amount"),
        (
            format!("command=CREATE&amount=abc&fee=1&total=1&hash={create_hash}"),
            "amount",
        ),
        (
            "command=REMOVE&email=a&email=b&hash=4f5903323592304bcb55eb4783bcf19d158145a1"
                .to_owned(),
            "email",
        ),
    ] {
        let err = key()
            .receive(&Delivery::post("/h", body.as_bytes()))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{body}: {err}");
        assert_eq!(err.field(), Some(field), "{body}");
    }
}

#[test]
fn the_get_flavour_is_received_unverified_only() {
    let target = format!("/hooks/cartfreak?{}", samples::REMOVE_QUERY);
    let get = Delivery::get(&target);
    let err = key().receive(&get).unwrap_err();
    assert_eq!(err, VerifyError::Missing.at(Credential::Hash, "hash"));
    assert_eq!(err.to_string(), "verification failed: `hash` is missing");
    assert_eq!(
        CartFreakKey::refusal_body(&err),
        "ERROR verification failed: `hash` is missing"
    );
    assert_eq!(
        Reply::parse(&CartFreakKey::refusal_body(&err)),
        Ok(Reply::error("verification failed: `hash` is missing"))
    );
    let received = CartFreakKey::receive_unverified(&get).unwrap();
    assert_eq!(received.notification.email(), Some("user@domain.com"));
    assert_eq!(received.hash, None);
    // A GET that carries a hash (the POST flavour's fields in a URL) is checked like a POST.
    let target = format!("/hooks/cartfreak?{}", samples::REMOVE_FORM);
    assert!(key().receive(&Delivery::get(&target)).is_ok());
}

#[test]
fn an_empty_key_is_refused_at_construction() {
    let err: EmptyKey = CartFreakKey::new("").unwrap_err();
    assert_eq!(err.what, "CartFreak API key");
    assert!(CartFreakKey::new(String::new()).is_err());
    assert!(CartFreakKey::new(cartfreak_notify::Secret::new("")).is_err());
    assert!(CartFreakKey::new("k").is_ok());
}

/// `receive` parses the pairs once for the check and the decode; it must answer exactly as
/// the two steps it stands for (`verify`, then `decode`), on good, forged, malformed and odd
/// deliveries, GET and POST.
#[test]
fn receive_is_verify_then_decode() {
    let mut wires: Vec<String> = samples::ALL
        .iter()
        .map(|(_, wire)| (*wire).to_owned())
        .collect();
    wires.extend(
        [
            "command=CREATE&hash=00",
            "command=CREATE&command=REMOVE&hash=00",
            "command=REMOVE&billing_id=1&hash=1&hash=2",
            "command=REMOVE&email=%FF&hash=00",
            "command=&hash=",
            "billing_id=7",
            "",
            "?command=REMOVE&billing_id=224&email=a%40b.c",
            "http://shop.example/cf.php?command=REMOVE&billing_id=224&email=a%40b.c",
        ]
        .map(str::to_owned),
    );
    for key in [key(), CartFreakKey::new("another key").unwrap()] {
        for wire in &wires {
            let mut target = String::new();
            let sample = delivery(wire, &mut target);
            let get = format!("/hooks/cartfreak?{wire}");
            for delivery in [
                sample,
                Delivery::post("/hooks/cartfreak", wire.as_bytes()),
                Delivery::get(&get),
                Delivery::new("DELETE", "/hooks/cartfreak"),
            ] {
                let one_pass = key.receive(&delivery);
                let two_steps = key
                    .verify(&delivery)
                    .and_then(|()| CartFreakKey::decode(&delivery));
                assert_eq!(one_pass, two_steps, "{wire}");
            }
        }
    }
}
