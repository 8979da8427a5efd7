//! The vendor-style fixtures of `tests/fixtures/`, written by `make_fixtures.py` (Python's
//! urllib and hashlib, not this crate): every kind decodes to the expected values, verifies,
//! and re-encodes to the same bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use justclick_invoice::{
    Credential, Decimal, Delivery, FormValue, HashedTime, JustClickKey, Kind, Notification,
    Receiver, VerifyError, decode, encode,
};

const SECRET: &str = "jc-fixture-secret-4f2a";
const EMAIL: &str = "ivan.petrov+shop@example.ru";

// Hash vectors, computed outside Rust:
// python3 -c 'import hashlib; print(hashlib.md5("1001ivan.petrov+shop@example.ru1712044800jc-fixture-secret-4f2a".encode()).hexdigest())'
const HASH_OVER_CREATED: &str = "98a0f021605006077983e9c882f8ddea";
// python3 -c 'import hashlib; print(hashlib.md5("1001ivan.petrov+shop@example.ru1712048461jc-fixture-secret-4f2a".encode()).hexdigest())'
const HASH_OVER_PAID: &str = "034445528f4b2c73477cdd4cb631762e";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn key() -> JustClickKey {
    JustClickKey::new(SECRET).unwrap()
}

/// The hash check alone, on the raw values of a POSTed body.
fn verify(body: &[u8], key: &JustClickKey) -> Result<(), justclick_invoice::Error> {
    key.verify(&Delivery::post("/hooks/justclick", body))
}

fn dec(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

const CANONICAL: [(&str, Kind); 5] = [
    ("created.txt", Kind::Created),
    ("paid.txt", Kind::Paid),
    ("prepaid.txt", Kind::Prepaid),
    ("cancelled.txt", Kind::Cancelled),
    ("moneyback.txt", Kind::Moneyback),
];

#[test]
fn every_kind_decodes_verifies_and_reencodes_byte_for_byte() {
    for (name, kind) in CANONICAL {
        let body = fixture(name);
        let n = key()
            .decode_verified(&body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n.kind(), kind, "{name}");
        assert_eq!(n.id(), "1001");
        assert_eq!(n.email(), EMAIL);
        verify(&body, &key()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            encode(&n).as_bytes(),
            &body[..],
            "{name} did not re-encode exactly"
        );
        let expected_hash = match kind {
            Kind::Paid | Kind::Prepaid => HASH_OVER_PAID,
            _ => HASH_OVER_CREATED,
        };
        assert_eq!(n.hash(), expected_hash, "{name}");
        assert_eq!(n.expected_hash(&key()), expected_hash, "{name}");
    }
}

#[test]
fn created_fields() {
    let Notification::Created(created) = decode(&fixture("created.txt")).unwrap() else {
        panic!("not created")
    };
    let inv = &created.invoice;
    assert_eq!(inv.first_name, "Иван");
    assert_eq!(inv.middle_name, "Сергеевич");
    assert_eq!(inv.last_name, "Петров");
    assert_eq!(inv.phone, "+7 (912) 345-67-89");
    assert_eq!(inv.city, "Москва");
    assert_eq!(inv.country, "Россия");
    assert_eq!(inv.address, "ул. Тверская, д. 7, кв. 12");
    assert_eq!(inv.region, "Московская область");
    assert_eq!(inv.postal_code, "125009");
    assert_eq!(inv.created.raw(), "1712044800");
    assert_eq!(
        inv.created.time().unwrap().to_string(),
        "2024-04-02 8:00:00.0 +00:00:00"
    );
    assert_eq!(inv.comment, "Позвоните после 18:00");
    assert_eq!(inv.tag, "весна");
    assert_eq!(inv.coupon, "SPRING10");
    assert_eq!(inv.domain, "shop.example.ru");
    assert_eq!(inv.link, "https://shop.example.ru/order/1001/pay?h=9f2c");
    assert_eq!(inv.utm.medium, "cpc");
    assert_eq!(inv.utm.source, "yandex");
    assert_eq!(inv.utm.campaign, "весна-2024");
    assert_eq!(inv.utm.content, "баннер 1");
    assert_eq!(inv.utm.term, "курсы python");
    assert_eq!(inv.items.len(), 2);
    assert_eq!(inv.items[0].id, "COURSE-PY");
    assert_eq!(inv.items[0].title, "Курс «Python с нуля»");
    assert_eq!(inv.items[0].sum, dec("4990.00"));
    assert_eq!(inv.items[0].sum.unwrap().to_string(), "4990.00");
    assert_eq!(inv.items[0].price, dec("5990.00"));
    assert_eq!(inv.items[1].title, "Книга: Алгоритмы & структуры");
    assert!(inv.items[1].partners.is_empty());
    assert!(inv.extra.is_empty());
    assert_eq!(
        decode(&fixture("created.txt")).unwrap().hashed_time(),
        HashedTime::Created
    );
}

#[test]
fn paid_fields_with_partners() {
    let n = decode(&fixture("paid.txt")).unwrap();
    assert_eq!(n.hashed_time(), HashedTime::Paid);
    let Notification::Paid(paid) = n else {
        panic!("not paid")
    };
    assert_eq!(paid.payment.paid.raw(), "1712048461");
    assert_eq!(paid.payment.last_payment_sum, dec("5980.50"));
    assert_eq!(paid.payment.payment_type, "invoice");
    assert_eq!(paid.payment.payway, "Яндекс.Касса");
    assert_eq!(paid.payment.is_recurrent, Some(false));
    assert_eq!(paid.invoice.coupon, "SPRING10");
    let items = &paid.invoice.items;
    assert_eq!(items[0].pincode, "PIN-0-XK9");
    assert_eq!(items[0].partners.len(), 2);
    let p = &items[0].partners[1];
    assert_eq!(
        (p.level, p.id.as_str(), p.name.as_str(), p.fee),
        (Some(2), "77", "ref_boris", dec("149.70"))
    );
    assert_eq!(items[1].partners.len(), 1);
    assert_eq!(items[1].partners[0].fee.unwrap().to_string(), "99.05");
}

#[test]
fn prepaid_is_told_by_prepayment_sum_and_hashes_paid() {
    let n = decode(&fixture("prepaid.txt")).unwrap();
    assert_eq!(n.hashed_time(), HashedTime::Paid);
    let Notification::Prepaid(prepaid) = n else {
        panic!("not prepaid")
    };
    assert_eq!(prepaid.prepayment_sum, dec("2000.00"));
    assert_eq!(prepaid.payment.paid.raw(), "1712048461");
}

#[test]
fn cancelled_and_moneyback_hash_created() {
    for name in ["cancelled.txt", "moneyback.txt"] {
        let n = decode(&fixture(name)).unwrap();
        assert_eq!(n.hashed_time(), HashedTime::Created);
        let inv = n.invoice().unwrap();
        assert_eq!(inv.address, "", "the cancel page lists no address");
        assert_eq!(inv.items.len(), 2);
    }
}

#[test]
fn raw_brackets_new_order_spelling_and_items_out_of_order() {
    let body = fixture("created_raw_brackets.txt");
    let n = key().decode_verified(&body).unwrap();
    let Notification::Created(raw) = &n else {
        panic!("`new order` is a created notification")
    };
    let Notification::Created(canonical) = decode(&fixture("created.txt")).unwrap() else {
        panic!()
    };
    // Same invoice, except the unknown fields this fixture adds.
    let mut stripped = raw.invoice.clone();
    assert_eq!(
        stripped.extra.get("referrer").and_then(FormValue::as_text),
        Some("https://t.me/shop")
    );
    assert_eq!(
        stripped.items[0]
            .extra
            .get("qty")
            .and_then(FormValue::as_text),
        Some("2")
    );
    stripped.extra = Default::default();
    stripped.items[0].extra = Default::default();
    assert_eq!(stripped, canonical.invoice);
    // Unknown fields are written back, before the hash, which stays last.
    let again = encode(&n);
    assert!(again.contains("&items%5B0%5D%5Bqty%5D=2&"), "{again}");
    assert!(
        again.contains("&referrer=https%3A%2F%2Ft.me%2Fshop&hash="),
        "{again}"
    );
    assert!(again.starts_with("status=new_order&"));
    assert_eq!(decode(again.as_bytes()).unwrap(), n);
}

#[test]
fn shuffled_items_and_partners_decode_in_index_order() {
    let shuffled = key()
        .decode_verified(&fixture("paid_shuffled.txt"))
        .unwrap();
    let canonical = decode(&fixture("paid.txt")).unwrap();
    assert_eq!(shuffled, canonical);
    assert_eq!(shuffled.dedup_key(), canonical.dedup_key());
    assert_eq!(encode(&shuffled).as_bytes(), &fixture("paid.txt")[..]);
}

#[test]
fn unknown_kind_is_kept_whole_and_verifies_over_created() {
    let body = fixture("unknown.txt");
    let n = key().decode_verified(&body).unwrap();
    let Notification::Unknown(unknown) = &n else {
        panic!("not unknown")
    };
    assert_eq!(unknown.status(), Some("order_shipped"));
    assert_eq!(unknown.id.as_deref(), Some("1001"));
    assert_eq!(unknown.email.as_deref(), Some(EMAIL));
    assert_eq!(unknown.created.as_deref(), Some("1712044800"));
    assert_eq!(unknown.get("track"), Some("RA123456789RU"));
    let keys: Vec<&str> = unknown.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["track", "items"]);
    assert_eq!(n.hash(), HASH_OVER_CREATED);
    assert_eq!(encode(&n).as_bytes(), &body[..]);
}

#[test]
fn every_fixture_fails_with_another_key() {
    for name in [
        "created.txt",
        "paid.txt",
        "prepaid.txt",
        "cancelled.txt",
        "moneyback.txt",
        "created_raw_brackets.txt",
        "paid_shuffled.txt",
        "unknown.txt",
    ] {
        let body = fixture(name);
        for wrong in [
            "jc-fixture-secret-4f2b",
            "JC-FIXTURE-SECRET-4F2A",
            "jc-fixture-secret-4f2",
        ] {
            let wrong = JustClickKey::new(wrong).unwrap();
            let err = wrong.decode_verified(&body).unwrap_err();
            assert_eq!(
                err,
                VerifyError::Mismatch.at(Credential::Hash, "hash"),
                "{name}"
            );
            assert_eq!(err.field(), Some("hash"));
            assert_eq!(verify(&body, &wrong), Err(err), "{name}");
        }
    }
}

#[test]
fn upper_case_hex_is_accepted() {
    let body = String::from_utf8(fixture("paid.txt")).unwrap();
    let upper = body.replace(HASH_OVER_PAID, &HASH_OVER_PAID.to_uppercase());
    assert_ne!(upper, body);
    key().decode_verified(upper.as_bytes()).unwrap();
    verify(upper.as_bytes(), &key()).unwrap();
}

#[test]
fn the_samples_module_serves_the_fixtures() {
    use justclick_invoice::samples;
    assert_eq!(samples::SECRET, SECRET);
    for ((kind, body), (name, fixture_kind)) in samples::ALL.iter().zip(CANONICAL) {
        assert_eq!(*kind, fixture_kind);
        assert_eq!(body.as_bytes(), &fixture(name)[..]);
    }
}
