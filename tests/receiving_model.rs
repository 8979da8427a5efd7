//! The receiving model (issue #11), across the four receiving protocols: every sample of
//! every protocol goes through one generic function, [`check`]; for each protocol a tampered
//! delivery, a wrong-key delivery and a delivery both unauthenticated and malformed are all
//! refused as forged (`VerificationFailed`, naming the field checked, in the credential's own
//! words); an empty key is refused when the key is built.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cartfreak_notify::{CartFreakKey, Flavour};
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartfunnel_client_types::verify::{SIGNATURE_HEADER, SignedWebhook};
use cartloom_order::CartloomToken;
use cartwire_core::{Credential, Dedup, Delivery, EmptyKey, Error, ErrorKind, Receiver};
use justclick_invoice::JustClickKey;

const CARTLOOM_TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
const CARTFUNNEL_SECRET: &str = "whsec_receiving_model";

/// What every delivery of every protocol goes through: `key.receive`, which verifies first
/// and only then decodes. Checks that order on the way: a delivery refused as forged is
/// refused by `verify` alone, with the same error; one refused as malformed passed `verify`
/// and is refused alike by the unverified decode; an accepted one decodes unverified to a
/// notification with the same idempotency key.
fn check<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> Result<R::Notification, Error> {
    let received = key.receive(delivery);
    let what = format!("{} {delivery:?}", R::PROTOCOL);
    match &received {
        Ok(notification) => {
            assert_eq!(key.verify(delivery), Ok(()), "{what}");
            match R::receive_unverified(delivery) {
                Ok(unverified) => {
                    assert_eq!(unverified.dedup_key(), notification.dedup_key(), "{what}")
                }
                Err(err) => panic!("{what}: verified, yet not decoded unverified: {err}"),
            }
        }
        Err(err) if err.kind() == ErrorKind::VerificationFailed => {
            assert_eq!(key.verify(delivery).err().as_ref(), Some(err), "{what}");
        }
        Err(err) => {
            // Malformed or over a limit: only after the credential checked out (or when the
            // part carrying it cannot be read at all: a wrong method).
            if err.field() != Some("method") {
                assert_eq!(key.verify(delivery), Ok(()), "{what}: {err}");
            }
            assert_eq!(
                R::receive_unverified(delivery).err().as_ref(),
                Some(err),
                "{what}"
            );
        }
    }
    received
}

/// `check` refuses `delivery` as forged: `VerificationFailed`, naming `field`, an
/// [`Error::Verify`] of `credential`. Returns the message.
fn refused_as_forged<R: Receiver>(
    key: &R,
    delivery: &Delivery<'_>,
    credential: Credential,
    field: &str,
) -> String {
    let what = format!("{} {delivery:?}", R::PROTOCOL);
    let Err(err) = check(key, delivery) else {
        panic!("{what}: accepted")
    };
    assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{what}: {err}");
    assert_eq!(err.field(), Some(field), "{what}: {err}");
    match &err {
        Error::Verify(verification) => {
            assert_eq!(verification.credential, credential, "{what}: {err}");
            assert_eq!(verification.field, field, "{what}: {err}");
        }
        other => panic!("{what}: {other:?}"),
    }
    err.to_string()
}

/// Refused as forged by a key that is not the sender's: the message says the credential's
/// own word ("the token does not match"), and never "hash" for a token or a signature.
fn wrong_key<R: Receiver>(key: &R, delivery: &Delivery<'_>, credential: Credential, field: &str) {
    let message = refused_as_forged(key, delivery, credential, field);
    let word = credential.as_str();
    assert!(
        message.starts_with(&format!(
            "verification failed: `{field}`: the {word} does not match ("
        )),
        "{message}"
    );
    if credential != Credential::Hash {
        assert!(!message.contains("hash"), "{message}");
    }
}

/// Both unauthenticated and malformed: malformed when decoded without a key (so it really
/// is), refused as forged with one.
fn forged_and_malformed<R: Receiver>(
    key: &R,
    delivery: &Delivery<'_>,
    credential: Credential,
    field: &str,
) {
    match R::receive_unverified(delivery) {
        Err(err) => assert_eq!(err.kind(), ErrorKind::Malformed, "{err}"),
        Ok(_) => panic!("{} {delivery:?}: not malformed", R::PROTOCOL),
    }
    refused_as_forged(key, delivery, credential, field);
}

fn justclick_key() -> JustClickKey {
    JustClickKey::new(justclick_invoice::samples::SECRET).unwrap()
}

fn cartfreak_key() -> CartFreakKey {
    CartFreakKey::new(cartfreak_notify::samples::SAMPLE_API_KEY).unwrap()
}

fn cartloom_token() -> CartloomToken {
    CartloomToken::new(CARTLOOM_TOKEN).unwrap()
}

fn cartfunnel_secret() -> CartfunnelWebhookSecret {
    CartfunnelWebhookSecret::new(CARTFUNNEL_SECRET).unwrap()
}

const CARTLOOM_SAMPLES: [&str; 3] = [
    cartloom_order::samples::ORDER_JSON,
    cartloom_order::samples::ORDER_FORM,
    cartloom_order::samples::VENDOR_PAGE,
];

const CARTFUNNEL_SAMPLES: [&str; 2] = [
    cartfunnel_client_types::samples::WEBHOOK_ORDER,
    cartfunnel_client_types::samples::WEBHOOK_ABANDONED_CART,
];

#[test]
fn every_sample_of_every_protocol_passes_through_one_generic_check() {
    let mut passed = 0;

    // JustClick: every kind, as JustClick POSTs it.
    let key = justclick_key();
    for (kind, wire) in justclick_invoice::samples::ALL {
        let delivery = Delivery::post("/hooks/justclick", wire.as_bytes())
            .header("Content-Type", "application/x-www-form-urlencoded");
        let notification = check(&key, &delivery).unwrap();
        assert_eq!(notification.kind(), *kind);
        passed += 1;
    }

    // CartFreak: the POST-form samples with the key; the GET samples (no hash) refused with
    // it, received through `receive_unverified`, and accepted once re-signed as a POST form.
    let key = cartfreak_key();
    let (mut forms, mut gets) = (0, 0);
    for (name, wire) in cartfreak_notify::samples::ALL {
        let flavour = cartfreak_notify::decode(wire.as_bytes()).unwrap().flavour();
        if flavour == Flavour::Form {
            let delivery = Delivery::post("/hooks/cartfreak", wire.as_bytes());
            if wire == cartfreak_notify::samples::CREATE_TAMPERED_HASH_FORM {
                refused_as_forged(&key, &delivery, Credential::Hash, "hash");
            } else {
                let received = check(&key, &delivery).unwrap();
                assert_eq!(received.flavour(), Flavour::Form, "{name}");
                forms += 1;
            }
        } else {
            // A GET of the query, or of the full URL the cart calls.
            let wire = wire.trim();
            let target = if wire.contains("://") {
                wire.to_owned()
            } else {
                format!("/hooks/cartfreak?{}", wire.trim_start_matches('?'))
            };
            let delivery = Delivery::get(&target);
            let message = refused_as_forged(&key, &delivery, Credential::Hash, "hash");
            assert_eq!(message, "verification failed: `hash` is missing");
            let received = CartFreakKey::receive_unverified(&delivery).unwrap();
            let form = received.notification.to_form(&key);
            let resigned = check(&key, &Delivery::post(&target, form.as_bytes())).unwrap();
            assert_eq!(resigned.notification, received.notification, "{name}");
            assert_eq!(resigned.dedup_key(), received.dedup_key(), "{name}");
            gets += 1;
        }
        passed += 1;
    }
    assert_eq!((forms, gets), (5, 9));

    // Cartloom: every sample body, to the Notify URL carrying the token.
    let token = cartloom_token();
    let target = token.notify_url("/hooks/cartloom");
    assert_eq!(target, format!("/hooks/cartloom?token={CARTLOOM_TOKEN}"));
    for body in CARTLOOM_SAMPLES {
        let received = check(&token, &Delivery::post(&target, body.as_bytes())).unwrap();
        assert_eq!(received.order.oid, "0000123456");
        passed += 1;
    }

    // Cartfunnel: every webhook sample, signed (hex and base64) with `SignedWebhook`.
    let secret = cartfunnel_secret();
    for body in CARTFUNNEL_SAMPLES {
        for signed in [
            SignedWebhook::new(body, &secret),
            SignedWebhook::new_base64(body, &secret),
        ] {
            let webhook = check(&secret, &signed.delivery("/hooks/cartfunnel")).unwrap();
            let json: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(webhook.json(), &json);
        }
        passed += 1;
    }

    assert_eq!(
        passed,
        justclick_invoice::samples::ALL.len()
            + cartfreak_notify::samples::ALL.len()
            + CARTLOOM_SAMPLES.len()
            + CARTFUNNEL_SAMPLES.len()
    );
}

#[test]
fn a_tampered_delivery_is_refused_as_forged() {
    // JustClick: the e-mail changed after signing.
    let body = justclick_invoice::samples::PAID.replacen("email=", "email=x", 1);
    let message = refused_as_forged(
        &justclick_key(),
        &Delivery::post("/hooks/justclick", body.as_bytes()),
        Credential::Hash,
        "hash",
    );
    assert!(message.contains("the hash does not match"), "{message}");

    // CartFreak: the command changed after signing.
    let body =
        cartfreak_notify::samples::REMOVE_FORM.replacen("command=REMOVE", "command=RENEW", 1);
    assert_ne!(body, cartfreak_notify::samples::REMOVE_FORM);
    let message = refused_as_forged(
        &cartfreak_key(),
        &Delivery::post("/hooks/cartfreak", body.as_bytes()),
        Credential::Hash,
        "hash",
    );
    assert!(message.contains("the hash does not match"), "{message}");

    // Cartloom: the token in the URL altered.
    let target = format!("/hooks/cartloom?token={}", CARTLOOM_TOKEN.replace('5', "6"));
    let body = cartloom_order::samples::ORDER_JSON.as_bytes();
    let message = refused_as_forged(
        &cartloom_token(),
        &Delivery::post(&target, body),
        Credential::Token,
        "token",
    );
    assert!(message.contains("the token does not match"), "{message}");

    // Cartfunnel: the total changed after signing.
    let signed = SignedWebhook::new(
        cartfunnel_client_types::samples::WEBHOOK_ORDER,
        &cartfunnel_secret(),
    );
    let body = String::from_utf8(signed.body.clone()).unwrap();
    assert!(body.contains("49.95"));
    let body = body.replacen("49.95", "0.01", 1);
    let message = refused_as_forged(
        &cartfunnel_secret(),
        &Delivery::post("/hooks/cartfunnel", body.as_bytes())
            .header(SIGNATURE_HEADER, &signed.signature),
        Credential::Signature,
        SIGNATURE_HEADER,
    );
    assert!(
        message.contains("the signature does not match"),
        "{message}"
    );
}

#[test]
fn a_wrong_key_is_refused_naming_the_field_checked_in_its_own_words() {
    let paid = justclick_invoice::samples::PAID.as_bytes();
    wrong_key(
        &JustClickKey::new("not-the-cabinet-key").unwrap(),
        &Delivery::post("/hooks/justclick", paid),
        Credential::Hash,
        "hash",
    );

    let create = cartfreak_notify::samples::CREATE_FORM.as_bytes();
    wrong_key(
        &CartFreakKey::new("not-the-api-key").unwrap(),
        &Delivery::post("/hooks/cartfreak", create),
        Credential::Hash,
        "hash",
    );

    let target = cartloom_token().notify_url("/hooks/cartloom");
    wrong_key(
        &CartloomToken::new("not-the-token").unwrap(),
        &Delivery::post(&target, cartloom_order::samples::ORDER_FORM.as_bytes()),
        Credential::Token,
        "token",
    );

    let signed = SignedWebhook::new(
        cartfunnel_client_types::samples::WEBHOOK_ORDER,
        &cartfunnel_secret(),
    );
    wrong_key(
        &CartfunnelWebhookSecret::new("whsec_not_the_secret").unwrap(),
        &signed.delivery("/hooks/cartfunnel"),
        Credential::Signature,
        SIGNATURE_HEADER,
    );
}

#[test]
fn a_body_both_unauthenticated_and_malformed_is_refused_as_forged() {
    // JustClick: no e-mail, and a hash that is not one.
    let zeros = "0".repeat(32);
    let body = format!("id=1001&paid=1712048461&hash={zeros}");
    let delivery = Delivery::post("/hooks/justclick", body.as_bytes());
    forged_and_malformed(&justclick_key(), &delivery, Credential::Hash, "hash");
    let unsigned = Delivery::post("/hooks/justclick", b"id=1001&paid=1712048461");
    forged_and_malformed(&justclick_key(), &unsigned, Credential::Hash, "hash");

    // CartFreak: a CREATE without its fields, under a wrong hash.
    let body = format!("command=CREATE&hash={}", "0".repeat(40));
    let delivery = Delivery::post("/hooks/cartfreak", body.as_bytes());
    forged_and_malformed(&cartfreak_key(), &delivery, Credential::Hash, "hash");

    // Cartloom: truncated JSON to a guessed URL.
    let delivery = Delivery::post("/hooks/cartloom?token=guessed", b"order=%7B%22oid%22%3A");
    forged_and_malformed(&cartloom_token(), &delivery, Credential::Token, "token");

    // Cartfunnel: not JSON, signed with another secret.
    let other = CartfunnelWebhookSecret::new("whsec_someone_else").unwrap();
    let signed = SignedWebhook::new(&b"{\"event\":"[..], &other);
    let delivery = signed.delivery("/hooks/cartfunnel");
    forged_and_malformed(
        &cartfunnel_secret(),
        &delivery,
        Credential::Signature,
        SIGNATURE_HEADER,
    );

    // With the right key, the same bodies are judged on their content.
    let body = b"command=CREATE&hash=".to_vec();
    let hash = cartfreak_notify::compute_hash(cartfreak_key().secret(), "CREATE");
    let body = [body, hash.into_bytes()].concat();
    let err = check(&cartfreak_key(), &Delivery::post("/hooks/cartfreak", &body)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
    let target = cartloom_token().notify_url("/hooks/cartloom");
    let err = check(
        &cartloom_token(),
        &Delivery::post(&target, b"order=%7B%22oid%22%3A"),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
}

#[test]
fn an_empty_key_is_refused_when_the_key_is_built() {
    fn empty<K>(key: Result<K, EmptyKey>, what: &str) {
        match key {
            Ok(_) => panic!("an empty {what} was accepted"),
            Err(err) => {
                assert_eq!(err.what, what);
                assert_eq!(
                    err.to_string(),
                    format!("the {what} is empty (a missing configuration value?)")
                );
            }
        }
    }
    empty(JustClickKey::new(""), "JustClick API key");
    empty(CartFreakKey::new(""), "CartFreak API key");
    empty(CartloomToken::new(""), "Cartloom endpoint token");
    empty(
        CartfunnelWebhookSecret::new(""),
        "Cartfunnel webhook secret",
    );
}
