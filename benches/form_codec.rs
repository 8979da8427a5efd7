//! The PHP-style form codec against serde_qs, decoding the same nested JustClick-style body
//! into the same struct.
//!
//! Run with `cargo bench --bench form_codec`.
//!
//! `flat_1mb`: [`parse_pairs`] against `url::form_urlencoded::parse` collected into a `Vec`,
//! on a flat form of 12,025 pairs just under 1 MiB (the pair limit raised to fit), with the
//! allocator settled first in the state of a long-running process (see `settle_the_heap`).
// Benches are test code: they may unwrap, index and panic.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use cartwire_core::form::{Form, Limits, Options, encode_map, parse_pairs};
use divan::Bencher;
use serde::Deserialize;

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

#[derive(Debug, Deserialize, PartialEq)]
struct Partner {
    partner_lvl: String,
    partner_id: String,
    partner_name: String,
    partner_fee: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
    title: String,
    sum: String,
    price: String,
    #[serde(default)]
    partners: Vec<Partner>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Utm {
    medium: String,
    source: String,
    campaign: String,
    content: String,
    term: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Invoice {
    id: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    created: String,
    paid: String,
    last_payment_sum: String,
    utm: Utm,
    items: Vec<Item>,
    hash: String,
}

/// A paid notification with three items of two partners each, brackets raw (serde_qs's
/// default mode does not read percent-encoded brackets), Cyrillic values percent-encoded.
fn body() -> String {
    let mut body = String::from(
        "id=1001&first_name=%D0%98%D0%B2%D0%B0%D0%BD&last_name=Petrov&email=ivan%40example.ru\
         &phone=%2B79990000000&created=1700000000&paid=1700000300&last_payment_sum=4500.00\
         &utm[medium]=cpc&utm[source]=yandex&utm[campaign]=autumn&utm[content]=banner&utm[term]=course",
    );
    for i in 0..3 {
        body.push_str(&format!(
            "&items[{i}][id]=course-{i}&items[{i}][title]=%D0%9A%D1%83%D1%80%D1%81+{i}\
             &items[{i}][sum]=1500.00&items[{i}][price]=1500.00"
        ));
        for p in 0..2 {
            body.push_str(&format!(
                "&items[{i}][partners][{p}][partner_lvl]={}&items[{i}][partners][{p}][partner_id]=77{p}\
                 &items[{i}][partners][{p}][partner_name]=partner{p}&items[{i}][partners][{p}][partner_fee]=150.00",
                p + 1
            ));
        }
    }
    body.push_str("&hash=0cc175b9c0f1b6a831c399e269772661");
    body
}

#[divan::bench]
fn cartwire_form(bencher: Bencher) {
    let body = body();
    let expected: Invoice = Form::parse(body.as_bytes()).unwrap().deserialize().unwrap();
    assert_eq!(expected.items.len(), 3);
    bencher.bench(|| {
        let form = Form::parse(black_box(body.as_bytes())).unwrap();
        form.deserialize::<Invoice>().unwrap()
    });
}

#[divan::bench]
fn serde_qs(bencher: Bencher) {
    let body = body();
    let ours: Invoice = Form::parse(body.as_bytes()).unwrap().deserialize().unwrap();
    let theirs: Invoice = serde_qs::from_str(&body).unwrap();
    assert_eq!(
        ours, theirs,
        "both decoders must agree before they are compared"
    );
    bencher.bench(|| serde_qs::from_str::<Invoice>(black_box(&body)).unwrap());
}

#[divan::bench]
fn cartwire_pairs_only(bencher: Bencher) {
    // What a hash check needs: the pairs and tree, no struct.
    let body = body();
    bencher.bench(|| Form::parse(black_box(body.as_bytes())).unwrap());
}

#[divan::bench]
fn cartwire_encode(bencher: Bencher) {
    let body = body();
    let form = Form::parse(body.as_bytes()).unwrap();
    bencher.bench(|| encode_map(black_box(form.tree())));
}

/// A flat form of 12,025 pairs just under 1 MiB: ASCII names, values with `+`, escapes and
/// UTF-8, as a large flat export would be.
fn flat_mb() -> String {
    let mut body = String::with_capacity(1 << 20);
    for i in 0..12_025 {
        if i > 0 {
            body.push('&');
        }
        body.push_str(&format!(
            "customer_field_{i:05}=value+{i}+%D0%98%D0%B2%D0%B0%D0%BD+plain-text_{i}-efghijklmnopq"
        ));
    }
    assert!(body.len() <= 1 << 20, "{}", body.len());
    body
}

fn flat_options() -> Options {
    let mut limits = Limits::default();
    limits.max_pairs = 20_000;
    Options::default().limits(limits)
}

mod flat_1mb {
    use super::*;

    /// Puts glibc's allocator in the state a long-running service is in, for both contenders.
    ///
    /// glibc serves a large block with `mmap` until a block of that size has been freed, and
    /// then raises its mmap threshold (and its trim threshold, to twice that) to the freed
    /// size, for the life of the process. A megabyte parse allocates one large list (577 KB
    /// for cartwire, 786 KB for `form_urlencoded` after doubling), so whether each list comes
    /// from `mmap` or the heap, and whether every drop trims the heap and the next parse
    /// faults it back in, depended on which thresholds the benches that ran earlier in this
    /// process happened to leave: in the suite, one run in about seven had cartwire trimming
    /// on every iteration (1,005 `brk` calls in a run of this file, 14 with the heap
    /// settled). Freeing a 4 MiB block first, as any service has done after its first large
    /// request, makes the state the same in every run and for both.
    fn settle_the_heap() {
        drop(black_box(vec![1u8; 4 << 20]));
    }

    #[divan::bench]
    fn cartwire_parse_pairs(bencher: Bencher) {
        settle_the_heap();
        let body = flat_mb();
        let options = flat_options();
        assert_eq!(
            parse_pairs(body.as_bytes(), &options).unwrap().len(),
            12_025
        );
        bencher
            .counter(divan::counter::BytesCount::of_str(&body))
            .bench(|| parse_pairs(black_box(body.as_bytes()), &options).unwrap());
    }

    #[divan::bench]
    fn form_urlencoded_parse_vec(bencher: Bencher) {
        settle_the_heap();
        let body = flat_mb();
        bencher
            .counter(divan::counter::BytesCount::of_str(&body))
            .bench(|| form_urlencoded::parse(black_box(body.as_bytes())).collect::<Vec<_>>());
    }
}
