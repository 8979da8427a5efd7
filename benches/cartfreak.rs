//! CartFreak: decoding a CREATE against what a user would write by hand with
//! serde_urlencoded, and encoding it back.
//!
//! Run with `cargo bench --bench cartfreak`.
//!
//! * `decode_query`: [`cartfreak_notify::decode`] on the full CREATE fixture (typed decimals
//!   checked, unknown fields kept, repeated keys rejected) against
//!   `serde_urlencoded::from_str` into a struct of 25 `String`s (no checks, unknown fields
//!   dropped, repeated keys silently accepted).
//! * `pairs_query`: [`cartwire_core::form::parse_pairs`] (repeated keys rejected, limits,
//!   strict UTF-8) against `url::form_urlencoded::parse` collected into a `Vec`, on the same
//!   query.
//! * `decode_form`: the POST flavour with the `hash` field, received as a receiver does
//!   ([`CartFreakKey`]'s `receive` of a [`Delivery`]: the SHA-1 check on the raw `command` and
//!   `hash`, then the decode), against serde_urlencoded into 26 `String`s plus a hand-rolled
//!   hash check.
//! * `encode_query`: [`Notification::to_query`] against `serde_urlencoded::to_string` of the
//!   struct of `String`s.
// Benches are test code: they may unwrap, index and panic.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use cartfreak_notify::{CartFreakKey, Delivery, Notification, Received, Receiver, decode, samples};
use serde::{Deserialize, Serialize};

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

#[derive(Serialize, Deserialize)]
struct CreateStrings {
    command: String,
    billing_id: String,
    first_name: String,
    last_name: String,
    email: String,
    address: String,
    address2: String,
    city: String,
    state: String,
    zipcode: String,
    country: String,
    ship_address: String,
    ship_address2: String,
    ship_city: String,
    ship_state: String,
    ship_zipcode: String,
    ship_country: String,
    phone: String,
    product_id: String,
    product_name: String,
    amount: String,
    fee: String,
    total: String,
    order_id: String,
    order_hash: String,
}

#[derive(Deserialize)]
struct CreateFormStrings {
    #[serde(flatten)]
    fields: CreateStrings,
    hash: String,
}

mod decode_query {
    use super::*;

    #[divan::bench]
    fn cartfreak_notify() -> Notification {
        decode(black_box(samples::CREATE_QUERY.as_bytes()))
            .unwrap()
            .notification
    }

    #[divan::bench]
    fn serde_urlencoded_strings() -> CreateStrings {
        serde_urlencoded::from_str(black_box(samples::CREATE_QUERY)).unwrap()
    }
}

mod pairs_query {
    use super::*;

    #[divan::bench]
    fn cartwire_parse_pairs() -> usize {
        let pairs = cartwire_core::form::parse_pairs(
            black_box(samples::CREATE_QUERY.as_bytes()),
            &cartwire_core::form::Options::default(),
        )
        .unwrap();
        pairs.len()
    }

    #[divan::bench]
    fn form_urlencoded_parse_vec() -> usize {
        let pairs: Vec<_> =
            form_urlencoded::parse(black_box(samples::CREATE_QUERY.as_bytes())).collect();
        pairs.len()
    }
}

mod decode_form {
    use super::*;

    #[divan::bench]
    fn cartfreak_notify_verified(bencher: divan::Bencher) {
        let key = CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap();
        bencher.bench_local(|| -> Received {
            let delivery = Delivery::post(
                "/hooks/cartfreak",
                black_box(samples::CREATE_FORM.as_bytes()),
            );
            key.receive(&delivery).unwrap()
        });
    }

    #[divan::bench]
    fn serde_urlencoded_strings_and_hash(bencher: divan::Bencher) {
        let key = CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap();
        bencher.bench_local(|| -> CreateStrings {
            let form: CreateFormStrings =
                serde_urlencoded::from_str(black_box(samples::CREATE_FORM)).unwrap();
            // What a hand-written receiver does: compare with the expected hex (not even in
            // constant time).
            let expected = cartfreak_notify::compute_hash(key.secret(), "CREATE");
            assert_eq!(form.hash, expected);
            form.fields
        });
    }
}

mod encode_query {
    use super::*;

    #[divan::bench]
    fn cartfreak_notify(bencher: divan::Bencher) {
        let notification = decode(samples::CREATE_QUERY.as_bytes())
            .unwrap()
            .notification;
        bencher.bench_local(|| black_box(&notification).to_query());
    }

    #[divan::bench]
    fn serde_urlencoded_strings(bencher: divan::Bencher) {
        let strings: CreateStrings = serde_urlencoded::from_str(samples::CREATE_QUERY).unwrap();
        bencher.bench_local(|| serde_urlencoded::to_string(black_box(&strings)).unwrap());
    }
}
