//! Cartfunnel: reading a full page of the customer list (100 customers, the vendor's wire
//! form) into typed customers, against `serde_json::from_slice::<serde_json::Value>` of the
//! same bytes, which is what a user without this crate would write (and then still have to
//! read string booleans, `"null"` ids and RFC 3339 times by hand).
//!
//! Run with `cargo bench --bench cartfunnel`.
//!
//! * `page_typed`: [`decode::customer_list`] (lenient scalars, timestamps, tag lists, unknown
//!   attributes kept, field-naming errors).
//! * `page_response`: [`ListCustomers::parse_response`] (the same plus the status check).
//! * `page_value`: the baseline, `serde_json::Value`.
//! * `page_owned_struct`: the baseline a user with serde would write, an owned struct of the
//!   same fields (flags and times left as strings, unknown attributes dropped).
//! * `customer_response` / `customer_value`: one customer answer (which also checks
//!   `persisted` and `errors`), against `Value`.
//! * `page_encode`: writing the page back in the wire form.
//! * `webhook_verify`: HMAC-SHA256 check of the order webhook body
//!   ([`verify::verify`] with a [`CartfunnelWebhookSecret`]).
//! * `webhook_receive`: the same webhook received as a receiver does
//!   ([`CartfunnelWebhookSecret`]'s `receive` of a [`Delivery`]: the header's signature over
//!   the raw body, then the JSON parse).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use cartfunnel_client_types::request::{Endpoint, GetCustomer};
use cartfunnel_client_types::verify::{self, SIGNATURE_HEADER, Webhook};
use cartfunnel_client_types::{
    CartfunnelWebhookSecret, Customer, Delivery, ListCustomers, RawJson, Receiver, TagList, decode,
    encode, samples,
};
use serde_json::{Value, json};

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// A full page in the vendor's wire form: the two documented customers, varied.
fn page() -> Vec<u8> {
    let base = decode::customer_list(samples::CUSTOMER_PAGE.as_bytes()).unwrap();
    let customers: Vec<Customer> = (0..100u64)
        .map(|i| {
            let mut c = base[usize::try_from(i % 2).unwrap()].clone();
            c.id = 1000 + i;
            c.email = Some(format!("customer{i}@example.com"));
            c.orders_count = Some(i % 7);
            c.total_spent_cents = Some(i64::try_from(i).unwrap() * 1995);
            c.last_order_id = (i % 3 != 0).then_some(3_200_000 + i);
            if i % 4 == 0 {
                c.tag_list = Some(TagList::parse("vip, wholesale, newsletter"));
                c.extra.insert(
                    "loyalty_tier".into(),
                    RawJson::from_value(&json!({"name": "gold"})),
                );
            }
            c
        })
        .collect();
    encode::customer_page(&customers).to_string().into_bytes()
}

#[divan::bench]
fn page_typed(bencher: divan::Bencher) {
    let body = page();
    bencher
        .counter(divan::counter::BytesCount::of_slice(&body))
        .bench(|| decode::customer_list(black_box(&body)).unwrap());
}

#[divan::bench]
fn page_response(bencher: divan::Bencher) {
    let body = page();
    let list = ListCustomers::page(2);
    bencher
        .counter(divan::counter::BytesCount::of_slice(&body))
        .bench(|| list.parse_response(200, black_box(&body)).unwrap());
}

/// The same fields as a user would declare them with serde: flags and times as the strings
/// they are on the wire, `last_order_id` as a `Value` (a number or `"null"`), unknown
/// attributes dropped.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct CustomerOwned {
    id: u64,
    email: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    accepts_marketing: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    note: Option<String>,
    orders_count: Option<u64>,
    total_spent_cents: Option<i64>,
    tax_exempt: Option<String>,
    subscriptions_count: Option<u64>,
    last_order_id: Value,
    persisted: Option<String>,
    tag_list: Option<String>,
}

#[divan::bench]
fn page_owned_struct(bencher: divan::Bencher) {
    let body = page();
    bencher
        .counter(divan::counter::BytesCount::of_slice(&body))
        .bench(|| serde_json::from_slice::<Vec<CustomerOwned>>(black_box(&body)).unwrap());
}

#[divan::bench]
fn page_value(bencher: divan::Bencher) {
    let body = page();
    bencher
        .counter(divan::counter::BytesCount::of_slice(&body))
        .bench(|| serde_json::from_slice::<Value>(black_box(&body)).unwrap());
}

#[divan::bench]
fn customer_response(bencher: divan::Bencher) {
    let body = samples::CUSTOMER.as_bytes();
    let get = GetCustomer::new(1);
    bencher.bench(|| get.parse_response(200, black_box(body)).unwrap());
}

#[divan::bench]
fn customer_value(bencher: divan::Bencher) {
    let body = samples::CUSTOMER.as_bytes();
    bencher.bench(|| serde_json::from_slice::<Value>(black_box(body)).unwrap());
}

#[divan::bench]
fn page_encode(bencher: divan::Bencher) {
    let customers = decode::customer_list(&page()).unwrap();
    bencher.bench(|| encode::customer_page(black_box(&customers)).to_string());
}

#[divan::bench]
fn webhook_verify(bencher: divan::Bencher) {
    let key = CartfunnelWebhookSecret::new("whsec_bench").unwrap();
    let body = samples::WEBHOOK_ORDER.as_bytes();
    let signature = verify::sign(body, &key);
    bencher.bench(|| verify::verify(black_box(body), black_box(&signature), &key).unwrap());
}

#[divan::bench]
fn webhook_receive(bencher: divan::Bencher) {
    let key = CartfunnelWebhookSecret::new("whsec_bench").unwrap();
    let body = samples::WEBHOOK_ORDER.as_bytes();
    let signature = verify::sign(body, &key);
    bencher.bench(|| -> Webhook {
        let delivery = Delivery::post("/hooks/cartfunnel", black_box(body))
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, black_box(&signature));
        key.receive(&delivery).unwrap()
    });
}
