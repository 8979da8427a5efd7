//! Cartloom: decoding the notify POST against what a user would otherwise write with
//! serde_json, and encoding it back.
//!
//! Run with `cargo bench --bench cartloom`.
//!
//! * `decode_json`: [`cartloom_order::decode`] on the vendor's sample order (2 items) and on
//!   the same order with 200 items: typed decimals, flags, counts and dates parsed, date
//!   spellings and raw values kept, unknown fields kept in order, duplicate keys rejected,
//!   limits enforced. Against `serde_json::from_slice` into a `serde_json::Value` (no typing
//!   at all) and into a struct of plain `String`s (no typing, unknown fields dropped,
//!   duplicate keys rejected by serde's derive), and into the same fields borrowed from the
//!   body (`Cow<str>`, `&RawValue`), on the same bytes.
//! * `decode_form`: the `order=` form body: the form decode plus the JSON decode; and the same
//!   body received as a receiver does ([`CartloomToken`]'s `receive` of a [`Delivery`]: the
//!   token in the query checked first, then the body decoded, either shape).
//! * `encode_json`: [`cartloom_order::encode_json`] against `serde_json::to_vec` of the
//!   `Value` and of the struct of `String`s.
// Benches are test code: they may unwrap, index and panic.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::hint::black_box;

use serde_json::value::RawValue;

use cartloom_order::{
    CartloomToken, Delivery, Order, ReceivedOrder, Receiver, decode, encode_form, encode_json,
    samples,
};
use divan::Bencher;
use serde::{Deserialize, Serialize};

/// Allocations per operation, reported by divan next to the time.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

/// Every documented order field as a plain string (nullable ones as `Option<String>`,
/// `extra_inputs` as a `Value`, `subscribed` as the number it is).
#[derive(Serialize, Deserialize)]
struct OrderStrings {
    oid: String,
    invoice: String,
    unique_id: String,
    on_hold: String,
    date: String,
    ip_address: String,
    payment_type: String,
    trans_id: String,
    subtotal: String,
    processing_fee: String,
    grandtotal: String,
    refunded: String,
    refund_amount: String,
    shipping_amount: String,
    shipping_title: String,
    shipping_status: String,
    shipping_date: String,
    shipping_tracking_number: String,
    tax_amount: String,
    tax_title: String,
    discount_code: String,
    discount_amount: String,
    discount_title: String,
    billing_first_name: String,
    billing_last_name: String,
    billing_company: Option<String>,
    billing_email: String,
    billing_phone: String,
    billing_address1: String,
    billing_address2: String,
    billing_city: String,
    billing_state: String,
    billing_postal_code: String,
    billing_country: String,
    shipping_first_name: String,
    shipping_last_name: String,
    shipping_company: String,
    shipping_address1: String,
    shipping_address2: String,
    shipping_city: String,
    shipping_state: String,
    shipping_postal_code: String,
    shipping_country: String,
    comments: String,
    notes: String,
    extra_inputs: serde_json::Value,
    card_number: String,
    card_type: String,
    vat_number: Option<String>,
    items: Vec<ItemStrings>,
    subscribed: u8,
}

#[derive(Serialize, Deserialize)]
struct ItemStrings {
    pid: String,
    item_id: String,
    qty: String,
    title: String,
    sku: String,
    send_link: String,
    category: String,
    options: String,
    digital: String,
    file_url: String,
    price: String,
    serial_nums: String,
    dl_cnt: String,
    dl_max: String,
    dl_unlimited: String,
    did: String,
    part_of_bundle: String,
    bundle_id: String,
    bundle_name: String,
}

/// The same fields borrowed from the body where they can be (`Cow`: borrowed unless the JSON
/// string has an escape), `extra_inputs` as its raw JSON text: the fastest thing a user
/// could write with serde_json.
#[derive(Deserialize)]
#[allow(dead_code)]
struct OrderBorrowed<'a> {
    #[serde(borrow)]
    oid: Cow<'a, str>,
    #[serde(borrow)]
    invoice: Cow<'a, str>,
    #[serde(borrow)]
    unique_id: Cow<'a, str>,
    #[serde(borrow)]
    on_hold: Cow<'a, str>,
    #[serde(borrow)]
    date: Cow<'a, str>,
    #[serde(borrow)]
    ip_address: Cow<'a, str>,
    #[serde(borrow)]
    payment_type: Cow<'a, str>,
    #[serde(borrow)]
    trans_id: Cow<'a, str>,
    #[serde(borrow)]
    subtotal: Cow<'a, str>,
    #[serde(borrow)]
    processing_fee: Cow<'a, str>,
    #[serde(borrow)]
    grandtotal: Cow<'a, str>,
    #[serde(borrow)]
    refunded: Cow<'a, str>,
    #[serde(borrow)]
    refund_amount: Cow<'a, str>,
    #[serde(borrow)]
    shipping_amount: Cow<'a, str>,
    #[serde(borrow)]
    shipping_title: Cow<'a, str>,
    #[serde(borrow)]
    shipping_status: Cow<'a, str>,
    #[serde(borrow)]
    shipping_date: Cow<'a, str>,
    #[serde(borrow)]
    shipping_tracking_number: Cow<'a, str>,
    #[serde(borrow)]
    tax_amount: Cow<'a, str>,
    #[serde(borrow)]
    tax_title: Cow<'a, str>,
    #[serde(borrow)]
    discount_code: Cow<'a, str>,
    #[serde(borrow)]
    discount_amount: Cow<'a, str>,
    #[serde(borrow)]
    discount_title: Cow<'a, str>,
    #[serde(borrow)]
    billing_first_name: Cow<'a, str>,
    #[serde(borrow)]
    billing_last_name: Cow<'a, str>,
    #[serde(borrow)]
    billing_company: Option<Cow<'a, str>>,
    #[serde(borrow)]
    billing_email: Cow<'a, str>,
    #[serde(borrow)]
    billing_phone: Cow<'a, str>,
    #[serde(borrow)]
    billing_address1: Cow<'a, str>,
    #[serde(borrow)]
    billing_address2: Cow<'a, str>,
    #[serde(borrow)]
    billing_city: Cow<'a, str>,
    #[serde(borrow)]
    billing_state: Cow<'a, str>,
    #[serde(borrow)]
    billing_postal_code: Cow<'a, str>,
    #[serde(borrow)]
    billing_country: Cow<'a, str>,
    #[serde(borrow)]
    shipping_first_name: Cow<'a, str>,
    #[serde(borrow)]
    shipping_last_name: Cow<'a, str>,
    #[serde(borrow)]
    shipping_company: Cow<'a, str>,
    #[serde(borrow)]
    shipping_address1: Cow<'a, str>,
    #[serde(borrow)]
    shipping_address2: Cow<'a, str>,
    #[serde(borrow)]
    shipping_city: Cow<'a, str>,
    #[serde(borrow)]
    shipping_state: Cow<'a, str>,
    #[serde(borrow)]
    shipping_postal_code: Cow<'a, str>,
    #[serde(borrow)]
    shipping_country: Cow<'a, str>,
    #[serde(borrow)]
    comments: Cow<'a, str>,
    #[serde(borrow)]
    notes: Cow<'a, str>,
    extra_inputs: &'a RawValue,
    #[serde(borrow)]
    card_number: Cow<'a, str>,
    #[serde(borrow)]
    card_type: Cow<'a, str>,
    #[serde(borrow)]
    vat_number: Option<Cow<'a, str>>,
    #[serde(borrow)]
    items: Vec<ItemBorrowed<'a>>,
    subscribed: u8,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ItemBorrowed<'a> {
    #[serde(borrow)]
    pid: Cow<'a, str>,
    #[serde(borrow)]
    item_id: Cow<'a, str>,
    #[serde(borrow)]
    qty: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    sku: Cow<'a, str>,
    #[serde(borrow)]
    send_link: Cow<'a, str>,
    #[serde(borrow)]
    category: Cow<'a, str>,
    #[serde(borrow)]
    options: Cow<'a, str>,
    #[serde(borrow)]
    digital: Cow<'a, str>,
    #[serde(borrow)]
    file_url: Cow<'a, str>,
    #[serde(borrow)]
    price: Cow<'a, str>,
    #[serde(borrow)]
    serial_nums: Cow<'a, str>,
    #[serde(borrow)]
    dl_cnt: Cow<'a, str>,
    #[serde(borrow)]
    dl_max: Cow<'a, str>,
    #[serde(borrow)]
    dl_unlimited: Cow<'a, str>,
    #[serde(borrow)]
    did: Cow<'a, str>,
    #[serde(borrow)]
    part_of_bundle: Cow<'a, str>,
    #[serde(borrow)]
    bundle_id: Cow<'a, str>,
    #[serde(borrow)]
    bundle_name: Cow<'a, str>,
}

/// The bodies: the vendor's sample (2 items), and the same order with 200 items.
fn body(items: usize) -> Vec<u8> {
    let mut order = decode(samples::ORDER_JSON.as_bytes()).unwrap();
    let template = order.items[0].clone();
    order.items = (0..items)
        .map(|i| {
            let mut item = template.clone();
            item.item_id = format!("{i:010}");
            item
        })
        .collect();
    encode_json(&order).into_bytes()
}

const SIZES: [usize; 2] = [2, 200];

mod decode_json {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn cartloom_order(bencher: Bencher, items: usize) {
        let body = body(items);
        bencher.bench(|| decode(black_box(&body)).unwrap());
    }

    #[divan::bench(args = SIZES)]
    fn serde_json_value(bencher: Bencher, items: usize) {
        let body = body(items);
        bencher.bench(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap());
    }

    #[divan::bench(args = SIZES)]
    fn serde_json_strings(bencher: Bencher, items: usize) {
        let body = body(items);
        bencher.bench(|| serde_json::from_slice::<OrderStrings>(black_box(&body)).unwrap());
    }

    #[divan::bench(args = SIZES)]
    fn serde_json_borrowed(bencher: Bencher, items: usize) {
        let body = body(items);
        bencher.bench(|| {
            serde_json::from_slice::<OrderBorrowed<'_>>(black_box(&body))
                .unwrap()
                .items
                .len()
        });
    }
}

mod decode_form {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn cartloom_order(bencher: Bencher, items: usize) {
        let order = decode(&body(items)).unwrap();
        let form = encode_form(&order).into_bytes();
        bencher.bench(|| decode(black_box(&form)).unwrap());
    }

    #[divan::bench(args = SIZES)]
    fn cartloom_token_receive(bencher: Bencher, items: usize) {
        const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
        let token = CartloomToken::new(TOKEN).unwrap();
        let target = format!("/hooks/cartloom?token={TOKEN}");
        let order = decode(&body(items)).unwrap();
        let form = encode_form(&order).into_bytes();
        bencher.bench(|| -> ReceivedOrder {
            let delivery = Delivery::post(black_box(&target), black_box(&form));
            token.receive(&delivery).unwrap()
        });
    }
}

mod encode {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn cartloom_order(bencher: Bencher, items: usize) {
        let order: Order = decode(&body(items)).unwrap();
        bencher.bench(|| encode_json(black_box(&order)));
    }

    #[divan::bench(args = SIZES)]
    fn serde_json_value(bencher: Bencher, items: usize) {
        let value: serde_json::Value = serde_json::from_slice(&body(items)).unwrap();
        bencher.bench(|| serde_json::to_vec(black_box(&value)).unwrap());
    }

    #[divan::bench(args = SIZES)]
    fn serde_json_strings(bencher: Bencher, items: usize) {
        let strings: OrderStrings = serde_json::from_slice(&body(items)).unwrap();
        bencher.bench(|| serde_json::to_vec(black_box(&strings)).unwrap());
    }
}
