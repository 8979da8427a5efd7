//! JustClick: decoding, verifying and encoding a paid notification against serde_qs on the
//! same body.
//!
//! Run with `cargo bench --bench justclick`.
//!
//! The body is the crate's paid sample (two items, three partner shares, Cyrillic text,
//! percent-encoded brackets, as JustClick sends it). The baseline is what a user would write
//! with serde_qs: a struct of `String`s (no decimals or times checked, unknown fields dropped,
//! repeated keys taking the last value), in form-encoding mode so the brackets are read.
//!
//! * `paid_decode`: [`justclick_invoice::decode`] against `serde_qs` into the `String` struct.
//! * `paid_decode_verified`: the same plus the MD5 check, on the sample (2 items, 2.7 KB)
//!   and on the same notification with 50 items (33 KB), received as a receiver does
//!   ([`JustClickKey`]'s `receive` of a [`Delivery`]: the hash checked on the raw values, then
//!   the decode); the baseline runs the same check with [`compute_hash`] on its strings.
//! * `paid_parse_only`: the form parse alone on the same bodies, the floor that payload types
//!   borrowing from the body could at best approach.
//! * `created_raw_brackets_decode`: the created sample with raw brackets and items out of order,
//!   against serde_qs in its default mode.
//! * `paid_encode`: [`justclick_invoice::encode`] against `serde_qs::to_string` of the struct.
// Benches are test code: they may unwrap, index and panic.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use cartwire_core::verify_hex_digest;
use divan::Bencher;
use justclick_invoice::{
    Delivery, JustClickKey, Notification, Receiver, compute_hash, decode, encode, samples,
};
use serde::{Deserialize, Serialize};

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    assert_baseline_reads_the_same_body();
    divan::main();
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct PartnerStrings {
    partner_lvl: String,
    partner_id: String,
    partner_name: String,
    partner_fee: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct ItemStrings {
    id: String,
    title: String,
    sum: String,
    price: String,
    #[serde(default)]
    pincode: String,
    #[serde(default)]
    partners: Vec<PartnerStrings>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct UtmStrings {
    medium: String,
    source: String,
    campaign: String,
    content: String,
    term: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct PaidStrings {
    id: String,
    first_name: String,
    last_name: String,
    middle_name: String,
    email: String,
    phone: String,
    city: String,
    country: String,
    address: String,
    region: String,
    postalcode: String,
    created: String,
    paid: String,
    last_payment_sum: String,
    comment: String,
    tag: String,
    coupon: String,
    #[serde(rename = "type")]
    payment_type: String,
    payway: String,
    domain: String,
    is_recurrent: String,
    utm: UtmStrings,
    items: Vec<ItemStrings>,
    hash: String,
}

#[derive(Debug, Deserialize)]
struct CreatedStrings {
    id: String,
    email: String,
    created: String,
    utm: UtmStrings,
    items: Vec<ItemStrings>,
    hash: String,
}

fn form_mode() -> serde_qs::Config {
    serde_qs::Config::new().max_depth(5).use_form_encoding(true)
}

fn baseline_decode(body: &str) -> PaidStrings {
    form_mode().deserialize_str(body).unwrap()
}

/// The comparison is only fair if serde_qs reads everything our decoder reads.
fn assert_baseline_reads_the_same_body() {
    let strings = baseline_decode(samples::PAID);
    let Ok(Notification::Paid(paid)) = decode(samples::PAID.as_bytes()) else {
        panic!("the paid sample does not decode");
    };
    assert_eq!(strings.first_name, paid.invoice.first_name);
    assert_eq!(strings.items.len(), paid.invoice.items.len());
    assert_eq!(strings.items[0].partners.len(), 2);
    assert_eq!(
        strings.items[0].partners[1].partner_fee,
        paid.invoice.items[0].partners[1].fee.unwrap().to_string()
    );
    let created: CreatedStrings = serde_qs::from_str(RAW_BRACKETS).unwrap();
    assert_eq!(created.items[0].id, "COURSE-PY");
    assert_eq!(created.utm.term, "курсы python");
    let _ = (&created.id, &created.email, &created.created, &created.hash);
}

const RAW_BRACKETS: &str =
    include_str!("../crates/justclick-invoice/tests/fixtures/created_raw_brackets.txt");

#[divan::bench_group]
mod paid_decode {
    use super::*;

    #[divan::bench]
    fn justclick_invoice() -> Notification {
        decode(black_box(samples::PAID.as_bytes())).unwrap()
    }

    #[divan::bench]
    fn serde_qs_strings() -> PaidStrings {
        baseline_decode(black_box(samples::PAID))
    }
}

/// The paid sample with `items` items (the sample's two, repeated), signed with the sample
/// key and encoded as JustClick sends it (`%5B`/`%5D` brackets): 2.7 KB at 2, 33 KB at 50.
fn paid_body(items: usize) -> String {
    let key = JustClickKey::new(samples::SECRET).unwrap();
    let Ok(Notification::Paid(mut paid)) = decode(samples::PAID.as_bytes()) else {
        panic!("the paid sample does not decode");
    };
    let template = paid.invoice.items.clone();
    paid.invoice.items = (0..items)
        .map(|i| {
            let mut item = template[i % template.len()].clone();
            item.id = format!("COURSE-{i}");
            item
        })
        .collect();
    let body = justclick_invoice::encode_signed(&Notification::Paid(paid), &key);
    assert!(body.contains("items%5B0%5D"));
    assert_eq!(baseline_decode(&body).items.len(), items);
    body
}

const ITEMS: [usize; 2] = [2, 50];

#[divan::bench_group]
mod paid_decode_verified {
    use super::*;

    #[divan::bench(args = ITEMS)]
    fn justclick_invoice(bencher: Bencher, items: usize) {
        let key = JustClickKey::new(samples::SECRET).unwrap();
        let body = paid_body(items);
        bencher.bench_local(|| -> Notification {
            let delivery = Delivery::post("/hooks/justclick", black_box(body.as_bytes()));
            key.receive(&delivery).unwrap()
        });
    }

    #[divan::bench(args = ITEMS)]
    fn serde_qs_strings(bencher: Bencher, items: usize) {
        let key = JustClickKey::new(samples::SECRET).unwrap();
        let body = paid_body(items);
        bencher.bench_local(|| {
            let strings = baseline_decode(black_box(&body));
            let digest = compute_hash(&strings.id, &strings.email, &strings.paid, key.secret());
            verify_hex_digest(&strings.hash, &digest).unwrap();
            strings
        });
    }
}

/// The floor under `paid_decode_verified`: the parse alone, whose tree a `Notification<'a>`
/// borrowing from the body would still be read from. The gap between the two is all that
/// borrowed payload types could save (see the crate docs' decision).
#[divan::bench_group]
mod paid_parse_only {
    use super::*;

    #[divan::bench(args = ITEMS)]
    fn form_parse(bencher: Bencher, items: usize) {
        let body = paid_body(items);
        bencher.bench_local(|| {
            cartwire_core::form::Form::parse(black_box(body.as_bytes()))
                .unwrap()
                .into_tree()
        });
    }
}

#[divan::bench_group]
mod created_raw_brackets_decode {
    use super::*;

    #[divan::bench]
    fn justclick_invoice() -> Notification {
        decode(black_box(RAW_BRACKETS.as_bytes())).unwrap()
    }

    #[divan::bench]
    fn serde_qs_strings() -> CreatedStrings {
        serde_qs::from_str(black_box(RAW_BRACKETS)).unwrap()
    }
}

#[divan::bench_group]
mod paid_encode {
    use super::*;

    #[divan::bench]
    fn justclick_invoice(bencher: Bencher) {
        let notification = decode(samples::PAID.as_bytes()).unwrap();
        bencher.bench_local(|| encode(black_box(&notification)));
    }

    #[divan::bench]
    fn serde_qs_strings(bencher: Bencher) {
        let strings = baseline_decode(samples::PAID);
        bencher.bench_local(|| form_mode().serialize_string(black_box(&strings)).unwrap());
    }
}
