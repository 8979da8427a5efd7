//! CartStack: building the confirmation URL and reading the answer, against what a user would
//! write by hand with serde_urlencoded and serde_json.
//!
//! Run with `cargo bench --bench cartstack`.
//!
//! * `url_build`: [`ConfirmRequest::to_url`] (validated request, RFC 3986 encoding, two-decimal
//!   total) against `serde_urlencoded::to_string` of the same four pairs with the total
//!   formatted by `format!("{:.2}")`.
//! * `url_parse`: [`ConfirmRequest::from_url`] (PHP `$_GET` semantics, every check) against
//!   `serde_urlencoded::from_str` into four strings (no checks).
//! * `response_parse`: [`ConfirmResponse::from_slice`] plus [`ConfirmResponse::outcome`] on every
//!   fixture, against `serde_json::from_slice` into a struct with `resp` as a
//!   `serde_json::Value` (no outcome, no extra members).
// Benches are test code: they may unwrap, index and panic.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use cartstack_confirm::samples::{CONFIRM_URL, RESPONSES};
use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Decimal};
use serde::{Deserialize, Serialize};

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

fn request() -> ConfirmRequest {
    ConfirmRequest::new("9f2c4e1ab7d35c08", "KQ7ZP2", "ann+shop@example.com")
        .unwrap()
        .with_total(Decimal::new(199, 1))
        .unwrap()
}

#[derive(Serialize, Deserialize)]
struct HandQuery {
    key: String,
    siteid: String,
    email: String,
    total: String,
}

mod url_build {
    use super::*;

    #[divan::bench]
    fn cartstack_confirm(bencher: divan::Bencher) {
        let request = request();
        bencher.bench_local(|| black_box(&request).to_url());
    }

    #[divan::bench]
    fn serde_urlencoded_by_hand(bencher: divan::Bencher) {
        let total = Decimal::new(199, 1);
        bencher.bench_local(|| {
            let query = HandQuery {
                key: black_box("9f2c4e1ab7d35c08").to_owned(),
                siteid: black_box("KQ7ZP2").to_owned(),
                email: black_box("ann+shop@example.com").to_owned(),
                total: format!("{:.2}", black_box(total)),
            };
            format!(
                "https://api.cartstack.com/ss/v1/?{}",
                serde_urlencoded::to_string(&query).unwrap()
            )
        });
    }
}

mod url_parse {
    use super::*;

    #[divan::bench]
    fn cartstack_confirm() -> ConfirmRequest {
        ConfirmRequest::from_url(black_box(CONFIRM_URL)).unwrap()
    }

    #[divan::bench]
    fn cartstack_confirm_query_only() -> ConfirmRequest {
        let query = black_box(CONFIRM_URL).split_once('?').unwrap().1;
        ConfirmRequest::from_query(query).unwrap()
    }

    #[divan::bench]
    fn serde_urlencoded_by_hand() -> HandQuery {
        let query = black_box(CONFIRM_URL).split_once('?').unwrap().1;
        serde_urlencoded::from_str(query).unwrap()
    }
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandAnswer {
    resp: serde_json::Value,
    #[serde(default)]
    err_txt: Option<String>,
}

/// A call here takes about a microsecond and a half, so a sample of one call is mostly the
/// noise of the machine: samples of ten calls, and a thousand of them, make the medians
/// steady from run to run (the same for every contender).
#[divan::bench_group(sample_count = 1000, sample_size = 10)]
mod response_parse {
    use super::*;

    #[divan::bench]
    fn cartstack_confirm() -> usize {
        RESPONSES
            .iter()
            .map(|(_, body)| {
                let answer = ConfirmResponse::from_slice(black_box(body.as_bytes())).unwrap();
                answer.outcome().name().len()
            })
            .sum()
    }

    #[divan::bench]
    fn cartstack_confirm_without_outcome() -> usize {
        RESPONSES
            .iter()
            .map(|(_, body)| {
                let answer = ConfirmResponse::from_slice(black_box(body.as_bytes())).unwrap();
                answer.err_txt.map_or(0, |t| t.len())
            })
            .sum()
    }

    #[divan::bench]
    fn serde_json_by_hand() -> usize {
        RESPONSES
            .iter()
            .map(|(_, body)| {
                let answer: HandAnswer =
                    serde_json::from_slice(black_box(body.as_bytes())).unwrap();
                answer.err_txt.map_or(0, |t| t.len())
            })
            .sum()
    }
}
