//! Malformed, forged and hostile input: every failure is a typed error naming the field,
//! and nothing panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use justclick_invoice::{
    Credential, Delivery, Error, ErrorKind, JustClickKey, Limit, Limits, Notification, Options,
    Receiver, Secret, VerifyError, decode, decode_with,
};

const SECRET: &str = "jc-fixture-secret-4f2a";

fn key() -> JustClickKey {
    JustClickKey::new(SECRET).unwrap()
}

/// The hash check alone, on the raw values of a POSTed body.
fn verify(body: &[u8], key: &JustClickKey) -> Result<(), Error> {
    key.verify(&Delivery::post("/hooks/justclick", body))
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The decode error's field and message.
fn decode_error(body: &str) -> (String, String) {
    match decode(body.as_bytes()) {
        Err(err) if err.kind() == ErrorKind::Malformed => {
            (err.field().unwrap_or_default().to_owned(), err.to_string())
        }
        other => panic!("expected a decode error for {body:?}, got {other:?}"),
    }
}

/// Why the hash of `body` did not check out; the error names the field `hash`.
fn verify_error(body: &str) -> VerifyError {
    match key().decode_verified(body.as_bytes()) {
        Err(Error::Verify(err)) => {
            assert_eq!(err.credential, Credential::Hash);
            assert_eq!(err.field, "hash");
            // The check alone agrees with receiving.
            assert_eq!(
                verify(body.as_bytes(), &key()),
                Err(Error::Verify(err.clone()))
            );
            err.reason
        }
        other => panic!("expected a verification error, got {other:?}"),
    }
}

fn without(body: &str, key: &str) -> String {
    body.split('&')
        .filter(|pair| !pair.starts_with(&format!("{key}=")))
        .collect::<Vec<_>>()
        .join("&")
}

fn replace_value(body: &str, key: &str, value: &str) -> String {
    body.split('&')
        .map(|pair| {
            if pair.starts_with(&format!("{key}=")) {
                format!("{key}={value}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn missing_or_empty_id_or_email() {
    for name in [
        "created.txt",
        "paid.txt",
        "prepaid.txt",
        "cancelled.txt",
        "moneyback.txt",
    ] {
        let body = fixture(name);
        for field in ["id", "email"] {
            let (f, message) = decode_error(&without(&body, field));
            assert_eq!(f, field, "{name}");
            assert_eq!(message, format!("field `{field}`: missing"));
            let (f, message) = decode_error(&replace_value(&body, field, ""));
            assert_eq!(f, field, "{name}");
            assert_eq!(message, format!("field `{field}`: empty"));
        }
    }
}

#[test]
fn a_hash_over_another_field_order_fails() {
    // md5(email + id + created + secret) instead of md5(id + email + created + secret):
    // python3 -c 'import hashlib; print(hashlib.md5("ivan.petrov+shop@example.ru1001"
    //   "1712044800jc-fixture-secret-4f2a".encode()).hexdigest())'
    let swapped = "9c711e17518d58cd348d1b4503a40e93";
    let body = replace_value(&fixture("created.txt"), "hash", swapped);
    assert_eq!(verify_error(&body), VerifyError::Mismatch);
}

#[test]
fn a_paid_notification_hashed_over_created_fails() {
    // The created page's scheme on a paid notification:
    // python3 -c 'import hashlib; print(hashlib.md5("1001ivan.petrov+shop@example.ru"
    //   "1712044800jc-fixture-secret-4f2a".encode()).hexdigest())'
    let body = replace_value(
        &fixture("paid.txt"),
        "hash",
        "98a0f021605006077983e9c882f8ddea",
    );
    assert_eq!(verify_error(&body), VerifyError::Mismatch);
}

#[test]
fn a_hash_without_the_secret_fails() {
    // python3 -c 'import hashlib; print(hashlib.md5("1001ivan.petrov+shop@example.ru"
    //   "1712044800".encode()).hexdigest())'
    let body = replace_value(
        &fixture("created.txt"),
        "hash",
        "52affe2d7532bc8dacc27e7089579750",
    );
    assert!(matches!(verify_error(&body), VerifyError::Mismatch));
}

#[test]
fn changing_a_hashed_field_fails() {
    let created = fixture("created.txt");
    for (key, value) in [
        ("id", "1002"),
        ("email", "ivan.petrov%40example.ru"),
        ("created", "1712044801"),
    ] {
        let body = replace_value(&created, key, value);
        assert_eq!(verify_error(&body), VerifyError::Mismatch, "{key}");
    }
    let body = replace_value(&fixture("paid.txt"), "paid", "1712048462");
    assert!(matches!(verify_error(&body), VerifyError::Mismatch));
}

/// The JustClick hash covers id, email, one time and the secret, and nothing else: a
/// tampered amount still verifies. This test pins that limitation, which the crate documents
/// loudly: receivers must check amounts against their own records.
#[test]
fn a_tampered_amount_still_verifies_the_hash_does_not_cover_it() {
    let body = fixture("paid.txt")
        .replace(
            "items%5B0%5D%5Bsum%5D=4990.00",
            "items%5B0%5D%5Bsum%5D=1.00",
        )
        .replace("last_payment_sum=5980.50", "last_payment_sum=1.00");
    let Notification::Paid(paid) = key().decode_verified(body.as_bytes()).unwrap() else {
        panic!("not paid")
    };
    assert_eq!(paid.invoice.items[0].sum.unwrap().to_string(), "1.00");
    assert_eq!(paid.payment.last_payment_sum.unwrap().to_string(), "1.00");
}

#[test]
fn empty_truncated_missing_and_odd_hashes_fail_with_their_own_error() {
    let body = fixture("created.txt");
    let good = "98a0f021605006077983e9c882f8ddea";
    assert_eq!(
        verify_error(&replace_value(&body, "hash", "")),
        VerifyError::Empty
    );
    assert_eq!(
        verify_error(&replace_value(&body, "hash", &good[..31])),
        VerifyError::Length {
            expected: 32,
            found: 31
        }
    );
    assert_eq!(
        verify_error(&replace_value(&body, "hash", &good[..16])),
        VerifyError::Length {
            expected: 32,
            found: 16
        }
    );
    assert_eq!(
        verify_error(&replace_value(&body, "hash", &format!("{good}00"))),
        VerifyError::Length {
            expected: 32,
            found: 34
        }
    );
    assert_eq!(
        verify_error(&replace_value(&body, "hash", &format!("{}zz", &good[..30]))),
        VerifyError::NotHex
    );
    assert_eq!(verify_error(&without(&body, "hash")), VerifyError::Missing);
    assert_eq!(
        key()
            .decode_verified(without(&body, "hash").as_bytes())
            .unwrap_err()
            .to_string(),
        "verification failed: `hash` is missing"
    );
}

#[test]
fn an_empty_key_cannot_be_built_even_for_a_matching_hash() {
    // python3 -c 'import hashlib; print(hashlib.md5(b"1a@b.ru1712044800").hexdigest())'
    let body = "status=new_order&id=1&email=a%40b.ru&created=1712044800\
                &hash=66b88d8fdbcdab0095f5faa8441919ff";
    // The hash does match an empty key (anyone can compute it); no key can be built to
    // accept it.
    let digest = justclick_invoice::compute_hash("1", "a@b.ru", "1712044800", &Secret::new(""));
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "66b88d8fdbcdab0095f5faa8441919ff");
    assert!(JustClickKey::new("").is_err());
    assert_eq!(verify_error(body), VerifyError::Mismatch);
}

#[test]
fn duplicate_keys_are_rejected() {
    let created = fixture("created.txt");
    for extra in [
        "&id=1002",
        "&hash=98a0f021605006077983e9c882f8ddea",
        "&items%5B0%5D%5Bsum%5D=1.00",
        "&items[0][sum]=1.00",
        "&utm[source]=google",
    ] {
        let body = format!("{created}{extra}");
        let err = decode(body.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{extra}");
        assert!(err.to_string().contains("repeated"), "{err}");
        // Refused before its hash is read: the form itself is ambiguous.
        let err = verify(body.as_bytes(), &key()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed, "{extra}");
    }
}

#[test]
fn wrong_types_name_the_wire_field() {
    let paid = fixture("paid.txt");
    let cases = [
        (
            paid.replace(
                "items%5B0%5D%5Bsum%5D=4990.00",
                "items%5B0%5D%5Bsum%5D=4990%2C00",
            ),
            "items[0][sum]",
        ),
        (
            paid.replace("partner_fee%5D=149.70", "partner_fee%5D=lots"),
            "items[0][partners][1][partner_fee]",
        ),
        (
            paid.replace("partner_lvl%5D=2", "partner_lvl%5D=second"),
            "items[0][partners][1][partner_lvl]",
        ),
        (replace_value(&paid, "paid", "yesterday"), "paid"),
        (replace_value(&paid, "created", "2024-04-02"), "created"),
        (
            replace_value(&paid, "is_recurrent", "maybe"),
            "is_recurrent",
        ),
        (
            replace_value(&paid, "last_payment_sum", "1e3"),
            "last_payment_sum",
        ),
    ];
    for (body, field) in cases {
        let (f, message) = decode_error(&body);
        assert_eq!(f, field, "{message}");
        assert!(
            message.starts_with(&format!("field `{field}`: expected")),
            "{message}"
        );
    }
}

#[test]
fn empty_and_null_values_are_none() {
    let body = "id=1&email=a%40b.ru&created=&paid=null&last_payment_sum=&is_recurrent=\
                &items[0][sum]=null&items[0][price]=&items[0][partners][0][partner_lvl]=";
    let Notification::Paid(paid) = decode(body.as_bytes()).unwrap() else {
        panic!()
    };
    assert!(paid.invoice.created.time().is_none());
    assert!(paid.payment.paid.time().is_none());
    assert_eq!(paid.payment.paid.raw(), "null");
    assert_eq!(paid.payment.last_payment_sum, None);
    assert_eq!(paid.payment.is_recurrent, None);
    assert_eq!(paid.invoice.items[0].sum, None);
    assert_eq!(paid.invoice.items[0].partners[0].level, None);
}

#[test]
fn hostile_shapes_name_the_field() {
    let base = "status=new_order&email=a%40b.ru";
    let cases = [
        (format!("{base}&id[x]=1"), "id"),
        (
            "id=1&email=a%40b.ru&status[0]=new_order".to_owned(),
            "status",
        ),
        (format!("{base}&id=1&utm=google"), "utm"),
        (format!("{base}&id=1&items=course"), "items"),
        (format!("{base}&id=1&items[x][id]=1"), "items[x]"),
        (format!("{base}&id=1&items[01][id]=1"), "items[01]"),
        (format!("{base}&id=1&items[0]=course"), "items[0]"),
        (format!("{base}&id=1&items[0][sum][x]=1"), "items[0][sum]"),
        (
            format!("{base}&id=1&items[0][partners]=x"),
            "items[0][partners]",
        ),
        (
            format!("{base}&id=1&items[0][partners][0][partner_fee][]=1"),
            "items[0][partners][0][partner_fee]",
        ),
        (format!("{base}&id=1&hash[]=x"), "hash"),
    ];
    for (body, field) in cases {
        let (f, message) = decode_error(&body);
        assert_eq!(f, field, "{body}: {message}");
    }
}

#[test]
fn an_empty_plain_list_is_an_empty_list() {
    let body = "status=new_order&id=1&email=a%40b.ru&items=&utm=";
    let n = decode(body.as_bytes()).unwrap();
    assert!(n.invoice().unwrap().items.is_empty());
}

#[test]
fn limits_hold_against_hostile_sizes_and_depths() {
    let limit = |body: &[u8], options: &Options| match decode_with(body, options) {
        Err(err @ Error::Limit(_)) => {
            assert_eq!(err.kind(), ErrorKind::LimitExceeded);
            match err {
                Error::Limit(exceeded) => exceeded.limit,
                _ => unreachable!(),
            }
        }
        other => panic!("expected a limit error, got {other:?}"),
    };
    let defaults = Options::default();
    // Huge body.
    let huge = format!("id=1&email=a%40b.ru&comment={}", "x".repeat(2 << 20));
    assert_eq!(limit(huge.as_bytes(), &defaults), Limit::Bytes);
    // Deep nesting in an unknown field.
    let deep = format!("id=1&email=a%40b.ru&paid=1&x{}=1", "[a]".repeat(64));
    assert_eq!(limit(deep.as_bytes(), &defaults), Limit::Depth);
    // A huge item index.
    assert_eq!(
        limit(
            b"id=1&email=a&paid=1&items[99999999999999999999999][id]=1",
            &defaults
        ),
        Limit::Index
    );
    // Too many pairs.
    let many: String = (0..10_001).map(|i| format!("f{i}=1&")).collect();
    assert_eq!(limit(many.as_bytes(), &defaults), Limit::Pairs);
    // Too many items for tighter limits.
    let mut tight = Limits::default();
    tight.max_list_len = 100;
    let options = Options::default().limits(tight);
    let items: String = (0..101).map(|i| format!("&items[{i}][id]={i}")).collect();
    let body = format!("id=1&email=a&paid=1{items}");
    assert_eq!(limit(body.as_bytes(), &options), Limit::ListLength);
    // Just under the limit decodes, in index order.
    let items: String = (0..100)
        .rev()
        .map(|i| format!("&items[{i}][id]={i}"))
        .collect();
    let body = format!("id=1&email=a&paid=1{items}");
    let n = decode_with(body.as_bytes(), &options).unwrap();
    let ids: Vec<_> = n
        .invoice()
        .unwrap()
        .items
        .iter()
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(ids, (0..100).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[test]
fn non_utf8_names_the_field() {
    let (f, message) = decode_error("status=new_order&id=1&email=a%40b.ru&first_name=%C8%E2%E0%ED");
    assert_eq!(f, "first_name");
    assert!(message.contains("UTF-8"), "{message}");
    let raw: &[u8] = b"status=new_order&id=1&email=a%40b.ru&city=\xcc\xee\xf1";
    assert_eq!(decode(raw).unwrap_err().field(), Some("city"));
}

#[test]
fn every_truncation_of_every_fixture_is_an_answer_not_a_panic() {
    for name in [
        "created.txt",
        "paid.txt",
        "prepaid.txt",
        "created_raw_brackets.txt",
    ] {
        let body = fixture(name);
        for end in 0..body.len() {
            let prefix = &body.as_bytes()[..end];
            let _ = decode(prefix);
            let _ = verify(prefix, &key());
            if let Ok(n) = key().decode_verified(prefix) {
                // Only a prefix that kept the whole hash and every hashed field can verify.
                assert!(
                    end > body.find("&hash=").unwrap(),
                    "{name} verified at {end}"
                );
                assert_eq!(n.id(), "1001");
            }
        }
    }
}
