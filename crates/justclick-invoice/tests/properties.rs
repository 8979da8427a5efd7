//! Properties over generated notifications of every kind, built with the public
//! constructors (so this also checks that `#[non_exhaustive]` types can be built outside the
//! crate): round trips through the wire and JSON, signing and verification, which changes
//! the hash notices, and the idempotency key of retried deliveries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use justclick_invoice::{
    Cancelled, Created, Decimal, Delivery, Error, ErrorKind, Extra, Form, FormMap, FormValue,
    HashedTime, Invoice, Item, JustClickKey, Moneyback, Notification, Paid, Partner, Payment,
    Prepaid, Receiver, UnixTime, Unknown, Utm, decode, encode, encode_signed,
};
use proptest::prelude::*;

/// Text with the characters that matter to the form codec (`&`, `=`, `+`, `%`, brackets,
/// space), Cyrillic, and anything else.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-zA-Zа-яА-ЯёЁ0-9 +&=%\\[\\]._@:/?#-]{0,12}",
        1 => any::<String>(),
        1 => Just(String::new()),
    ]
    .boxed()
}

fn non_empty_text() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-zA-Zа-яА-Я0-9 +&=%\\[\\]._@-]{1,12}",
        any::<String>().prop_filter("non-empty", |s| !s.is_empty()),
    ]
    .boxed()
}

fn money() -> BoxedStrategy<Option<Decimal>> {
    prop::option::of((0i64..10_000_000_000, 0u32..5).prop_map(|(m, s)| Decimal::new(m, s))).boxed()
}

fn time() -> BoxedStrategy<UnixTime> {
    prop_oneof![
        4 => (-2_000_000_000i64..8_000_000_000).prop_map(|s| UnixTime::from_seconds(s).unwrap()),
        1 => Just(UnixTime::none()),
    ]
    .boxed()
}

/// Unknown fields: names that no kind defines, values that are text, nested maps or lists.
fn extra() -> BoxedStrategy<Extra> {
    let value = prop_oneof![
        text().prop_map(FormValue::from),
        prop::collection::vec(("x_[a-z]{1,4}", text()), 1..3).prop_map(|entries| {
            FormValue::Map(entries.into_iter().collect::<FormMap<'static>>())
        }),
        prop::collection::vec(text(), 1..3).prop_map(|elements| {
            let mut list = FormMap::new();
            for element in elements {
                list.push(element);
            }
            FormValue::Map(list)
        }),
    ];
    prop::collection::vec(("x_[a-z]{1,6}", value), 0..3)
        .prop_map(|entries| entries.into_iter().collect::<Extra>())
        .boxed()
}

fn partner() -> BoxedStrategy<Partner> {
    (prop::option::of(0u32..5), text(), text(), money(), extra())
        .prop_map(|(level, id, name, fee, extra)| {
            let mut p = Partner::new(level.unwrap_or(1), id, name, fee.unwrap_or_default());
            p.level = level;
            p.fee = fee;
            p.extra = extra;
            p
        })
        .boxed()
}

fn item() -> BoxedStrategy<Item> {
    (
        (text(), text(), money(), money()),
        text(),
        prop::collection::vec(partner(), 0..3),
        extra(),
    )
        .prop_map(|((id, title, sum, price), pincode, partners, extra)| {
            let mut item = Item::new(id, title, Decimal::ZERO, Decimal::ZERO);
            item.sum = sum;
            item.price = price;
            item.pincode = pincode;
            item.partners = partners;
            item.extra = extra;
            item
        })
        .boxed()
}

fn utm() -> BoxedStrategy<Utm> {
    (text(), text(), text(), text(), text(), extra())
        .prop_map(|(medium, source, campaign, content, term, extra)| {
            let mut utm = Utm::new();
            utm.medium = medium;
            utm.source = source;
            utm.campaign = campaign;
            utm.content = content;
            utm.term = term;
            utm.extra = extra;
            utm
        })
        .boxed()
}

fn invoice() -> BoxedStrategy<Invoice> {
    (
        (non_empty_text(), non_empty_text(), text(), text(), text()),
        (text(), text(), text(), text(), text(), text()),
        (time(), text(), text(), text(), text(), text()),
        (utm(), prop::collection::vec(item(), 0..4), text(), extra()),
    )
        .prop_map(
            |(
                (id, email, first, middle, last),
                (phone, city, country, address, region, postal),
                (created, comment, tag, coupon, domain, link),
                (utm, items, hash, extra),
            )| {
                let mut inv = Invoice::new(id, email);
                inv.first_name = first;
                inv.middle_name = middle;
                inv.last_name = last;
                inv.phone = phone;
                inv.city = city;
                inv.country = country;
                inv.address = address;
                inv.region = region;
                inv.postal_code = postal;
                inv.created = created;
                inv.comment = comment;
                inv.tag = tag;
                inv.coupon = coupon;
                inv.domain = domain;
                inv.link = link;
                inv.utm = utm;
                inv.items = items;
                inv.hash = hash;
                inv.extra = extra;
                inv
            },
        )
        .boxed()
}

fn payment() -> BoxedStrategy<Payment> {
    (
        time(),
        money(),
        text(),
        text(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(paid, sum, kind, payway, recurrent)| {
            let mut p = Payment::new(paid);
            p.last_payment_sum = sum;
            p.payment_type = kind;
            p.payway = payway;
            p.is_recurrent = recurrent;
            p
        })
        .boxed()
}

fn unknown() -> BoxedStrategy<Unknown> {
    (
        "s_[a-z]{1,6}",
        non_empty_text(),
        non_empty_text(),
        (0u32..2_000_000_000).prop_map(|s| s.to_string()),
        extra(),
    )
        .prop_map(|(status, id, email, created, extra)| {
            let mut unknown = Unknown::new(status, id, email);
            unknown.created = Some(created);
            unknown.extra = extra;
            unknown
        })
        .boxed()
}

fn notification() -> BoxedStrategy<Notification> {
    prop_oneof![
        invoice().prop_map(|i| Created::new(i).into()),
        (invoice(), payment()).prop_map(|(i, p)| Paid::new(i, p).into()),
        (invoice(), money(), payment()).prop_map(|(i, sum, p)| {
            let mut prepaid = Prepaid::new(i, Decimal::ZERO, p);
            prepaid.prepayment_sum = sum;
            prepaid.into()
        }),
        invoice().prop_map(|i| Cancelled::new(i).into()),
        (invoice(), payment()).prop_map(|(i, p)| {
            let mut refund = Moneyback::new(i);
            refund.payment = p;
            refund.into()
        }),
        unknown().prop_map(Notification::from),
    ]
    .boxed()
}

fn secret() -> BoxedStrategy<JustClickKey> {
    "[ -~]{1,24}"
        .prop_map(|key| JustClickKey::new(key).unwrap())
        .boxed()
}

/// The hash check alone, on the raw values of a POSTed body.
fn verify(body: &[u8], key: &JustClickKey) -> Result<(), Error> {
    key.verify(&Delivery::post("/hooks/justclick", body))
}

/// The body's pairs, every byte of keys and values percent-encoded, in the order `order`
/// gives (a permutation of their indexes).
fn re_encoded(body: &str, order: &[usize]) -> String {
    let form = Form::parse(body.as_bytes()).unwrap();
    let pairs: Vec<(&str, &str)> = form.pairs().collect();
    let escape = |text: &str| -> String { text.bytes().map(|b| format!("%{b:02X}")).collect() };
    order
        .iter()
        .map(|&i| {
            let (k, v) = pairs[i];
            format!("{}={}", escape(k), escape(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A different value: appends a character, or drops the last one.
fn changed(text: &str, append: char) -> String {
    let mut out = text.to_owned();
    if out.pop().is_none() || append != '\u{0}' {
        out = format!("{text}{append}");
    }
    out
}

fn set_text(n: &mut Notification, key: &'static str, value: String) {
    match n {
        Notification::Unknown(u) => match key {
            "id" => u.id = Some(value),
            "email" => u.email = Some(value),
            _ => unreachable!(),
        },
        other => {
            let inv = other.invoice_mut().unwrap();
            match key {
                "id" => inv.id = value,
                "email" => inv.email = value,
                _ => unreachable!(),
            }
        }
    }
}

fn shift_hashed_time(n: &mut Notification) {
    let next = |t: &UnixTime| UnixTime::from_seconds(t.seconds().map_or(0, |s| s + 1)).unwrap();
    match (n.hashed_time(), n) {
        (_, Notification::Unknown(u)) => {
            let created: i64 = u.get("created").unwrap().parse().unwrap();
            u.created = Some((created + 1).to_string());
        }
        (HashedTime::Paid, Notification::Paid(p)) => p.payment.paid = next(&p.payment.paid),
        (HashedTime::Paid, Notification::Prepaid(p)) => p.payment.paid = next(&p.payment.paid),
        (HashedTime::Created, other) => {
            let inv = other.invoice_mut().unwrap();
            inv.created = next(&inv.created);
        }
        (time, other) => panic!("{time:?} on {:?}", other.kind()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_of_encode_is_identity(n in notification()) {
        let body = encode(&n);
        let back = decode(body.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{body}")))?;
        prop_assert_eq!(&back, &n, "{}", body);
        // And the canonical body is a fixed point.
        prop_assert_eq!(encode(&back), body);
    }

    #[test]
    fn json_round_trips(n in notification()) {
        let json = serde_json::to_string(&n).unwrap();
        let back: Notification = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(back, n, "{}", json);
    }

    #[test]
    fn verify_of_sign_holds(mut n in notification(), key in secret()) {
        n.sign(&key);
        prop_assert!(n.verify(&key).is_ok());
        let body = encode(&n);
        prop_assert_eq!(&body, &encode_signed(&n, &key));
        prop_assert!(key.decode_verified(body.as_bytes()).is_ok());
        prop_assert!(verify(body.as_bytes(), &key).is_ok());
    }

    #[test]
    fn any_change_to_a_hashed_field_breaks_the_hash(
        n in notification(),
        key in secret(),
        field in 0..4usize,
        append in prop_oneof![Just('\u{0}'), any::<char>()],
    ) {
        let body = encode_signed(&n, &key);
        let mut tampered = decode(body.as_bytes()).unwrap();
        let mut key_used = key.clone();
        match field {
            0 => { let id = changed(tampered.id(), append); set_text(&mut tampered, "id", id) }
            1 => { let email = changed(tampered.email(), append); set_text(&mut tampered, "email", email) }
            2 => shift_hashed_time(&mut tampered),
            _ => match JustClickKey::new(changed(key.secret().expose(), append)) {
                Ok(other) => key_used = other,
                // An emptied key cannot even be built: refused at start-up.
                Err(_) => return Ok(()),
            },
        }
        // Refused as forged, even when an emptied id or email also makes it malformed:
        // the hash is checked first.
        let tampered_body = encode(&tampered);
        prop_assert!(tampered.verify(&key_used).is_err());
        let err = key_used.decode_verified(tampered_body.as_bytes()).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::VerificationFailed, "{}", err);
        prop_assert_eq!(verify(tampered_body.as_bytes(), &key_used), Err(err));
    }

    /// The documented limitation: the hash covers id, email, one time and the key, and no
    /// other field. Changing any other field keeps the notification verified.
    #[test]
    fn changes_to_fields_the_hash_does_not_cover_keep_it_valid(
        n in notification(),
        key in secret(),
        other in text(),
        amount in money(),
    ) {
        let mut n = n;
        n.sign(&key);
        let hashed_time = n.hashed_time();
        if let Some(inv) = n.invoice_mut() {
            inv.first_name = other.clone();
            inv.comment = other.clone();
            inv.utm.source = other.clone();
            if hashed_time == HashedTime::Paid {
                inv.created = UnixTime::from_seconds(1).unwrap();
            }
            for item in &mut inv.items {
                item.sum = amount;
                item.price = amount;
                for partner in &mut item.partners {
                    partner.fee = amount;
                }
            }
            inv.extra.insert("x_added".into(), other.clone().into());
        }
        match &mut n {
            Notification::Paid(p) => p.payment.last_payment_sum = amount,
            Notification::Prepaid(p) => p.prepayment_sum = amount,
            Notification::Unknown(u) => {
                u.extra.insert("x_added".into(), other.clone().into());
            }
            _ => {}
        }
        prop_assert!(n.verify(&key).is_ok());
        prop_assert!(key.decode_verified(encode(&n).as_bytes()).is_ok());
    }

    /// A retried delivery has the same idempotency key however its fields are ordered and
    /// percent-encoded; a notification about another invoice or another time has another.
    #[test]
    fn the_dedup_key_survives_reordering_and_re_encoding(
        n in notification(),
        key in secret(),
        seed in any::<u64>(),
        append in any::<char>(),
    ) {
        let body = encode_signed(&n, &key);
        let received = key.decode_verified(body.as_bytes()).unwrap();
        prop_assert_eq!(received.dedup_key(), n.dedup_key());
        // A permutation of the pairs from the seed.
        let count = Form::parse(body.as_bytes()).unwrap().pairs().len();
        let mut order: Vec<usize> = (0..count).collect();
        let mut state = seed;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, (state >> 33) as usize % (i + 1));
        }
        let retried = re_encoded(&body, &order);
        let again = key.decode_verified(retried.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}
{retried}")))?;
        prop_assert_eq!(again.dedup_key(), n.dedup_key());

        let mut other = n.clone();
        let id = changed(other.id(), append);
        set_text(&mut other, "id", id);
        prop_assert_ne!(other.dedup_key(), n.dedup_key());
        let mut later = n.clone();
        shift_hashed_time(&mut later);
        prop_assert_ne!(later.dedup_key(), n.dedup_key());
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512), key in secret()) {
        let _ = decode(&body);
        let _ = verify(&body, &key);
        // A body that fails verification is never judged on its content.
        if let Err(err) = verify(&body, &key) {
            prop_assert_eq!(key.receive(&Delivery::post("/", &body)).unwrap_err(), err);
        }
        if let Ok(n) = decode(&body) {
            // Whatever decodes re-encodes to a body that decodes to the same notification.
            let again = encode(&n);
            prop_assert_eq!(decode(again.as_bytes()).unwrap(), n);
        }
    }

    #[test]
    fn form_shaped_noise_never_panics(
        pairs in prop::collection::vec(
            (
                prop_oneof![
                    Just("id".to_owned()), Just("email".to_owned()), Just("paid".to_owned()),
                    Just("status".to_owned()), Just("prepayment_sum".to_owned()),
                    Just("items[0][sum]".to_owned()), Just("items[1][partners][0][partner_fee]".to_owned()),
                    Just("utm[source]".to_owned()), Just("items[]".to_owned()), "[a-z\\[\\]0-9]{1,12}",
                ],
                prop_oneof![Just("new_order".to_owned()), Just("1.5".to_owned()), "[ -~]{0,8}"],
            ),
            0..12,
        ),
        key in secret(),
    ) {
        let body: String = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let _ = verify(body.as_bytes(), &key);
        if let Ok(n) = decode(body.as_bytes()) {
            let again = encode(&n);
            prop_assert_eq!(decode(again.as_bytes()).unwrap(), n, "{}", again);
        }
    }
}
